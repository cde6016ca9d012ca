import type { DashboardSettings } from "../settings.js";
import type { TextPolicy } from "./conversions.js";

/** What every API handler gets: the settings, the request and its query. */
export interface ApiContext {
  readonly settings: DashboardSettings;
  readonly request: Request;
  readonly query: URLSearchParams;
  /** Payload and result caps of list answers. */
  readonly listText: TextPolicy;
  /** Payload and result caps of the task page. */
  readonly detailText: TextPolicy;
}

/** A JSON answer (200 unless told), always `application/json`. */
export function json<T>(body: T, status = 200): Response {
  return Response.json(body, { status });
}

/** 204 No Content, asynqmon's answer to single mutations. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
