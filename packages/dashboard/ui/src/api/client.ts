import type { ErrorResponse } from "../../../src/api/wire-types.js";
import { apiRoot } from "../base-path.js";

/** A failed API call, carrying the server's `{error:{code,message}}` when it sent one. */
export class ApiCallError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiCallError";
    this.status = status;
    this.code = code;
  }
}

function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error: unknown = value.error;
  return typeof error === "object" && error !== null && "message" in error;
}

/** Percent-encodes one path segment (queue name, task ID, group), ':' included. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

/** A query string from the defined, non-empty values, with its leading "?" ("" when none). */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

type Method = "GET" | "POST" | "DELETE";

/**
 * Calls `<api root><path>` and returns its JSON (undefined for an empty body). Errors become
 * {@link ApiCallError} with the server's message, so pages can show it as is.
 */
export async function apiCall<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers = { Accept: "application/json", "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(`${apiRoot()}${path}`, init);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    if (isErrorResponse(parsed)) {
      throw new ApiCallError(response.status, parsed.error.code, parsed.error.message);
    }
    throw new ApiCallError(
      response.status,
      "HTTP_ERROR",
      `${response.status} ${response.statusText}`,
    );
  }
  return parsed as T;
}

/** GET shorthand for queries. */
export function apiGet<T>(path: string): Promise<T> {
  return apiCall<T>("GET", path);
}

/** The message to show for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
