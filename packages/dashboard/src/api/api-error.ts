import { AsynqError } from "@asynq-ts/core";
import type { ErrorResponse } from "./wire-types.js";

/** An HTTP status the API answers errors with. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 500 | 501 | 502 | 503;

/** A refusal of the dashboard itself (routing, request checks), with its status and code. */
export class ApiError extends Error {
  readonly status: ErrorStatus;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: ErrorStatus,
    code: string,
    message: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** The JSON error answer `{ error: { code, message } }`. */
export function errorResponse(
  status: ErrorStatus,
  code: string,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): Response {
  const body: ErrorResponse = { error: { code, message } };
  return Response.json(body, { status, headers });
}

// Refusals whose message names only what the caller sent: safe to show.
const CLIENT_ERROR_STATUS: Readonly<Record<string, ErrorStatus>> = {
  INVALID_ARGUMENT: 400,
  QUEUE_NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  QUEUE_NOT_EMPTY: 409,
  QUEUE_ALREADY_PAUSED: 409,
  QUEUE_NOT_PAUSED: 409,
  FAILED_PRECONDITION: 409,
  TASK_ID_CONFLICT: 409,
  DUPLICATE_TASK: 409,
};

/**
 * The answer for anything a handler threw. Core refusals keep their stable code; backend
 * failures and unknown errors get a fixed message, since theirs may name hosts or internals.
 * No stack trace is ever included.
 */
export function responseForError(error: unknown): Response {
  if (error instanceof ApiError) {
    return errorResponse(error.status, error.code, error.message, error.headers);
  }
  if (AsynqError.isInstance(error)) {
    const status = CLIENT_ERROR_STATUS[error.code];
    if (status !== undefined) return errorResponse(status, error.code, error.message);
    switch (error.code) {
      case "NOT_SUPPORTED":
        return errorResponse(501, error.code, error.message);
      case "BROKER_CLOSED":
        return errorResponse(503, error.code, "the inspector is closed");
      case "BACKEND_ERROR":
        return errorResponse(502, error.code, "the backend failed to answer");
      default:
        return errorResponse(500, error.code, "internal error");
    }
  }
  return errorResponse(500, "INTERNAL_ERROR", "internal error");
}
