import { readBodyText } from "../http/request-guards.js";
import { ApiError } from "./api-error.js";

/** asynqmon's default page size. */
export const DEFAULT_PAGE_SIZE = 20;
/** The largest page the API serves. */
export const MAX_PAGE_SIZE = 1000;
/** The most task IDs one batch request may name. */
export const MAX_BATCH_IDS = 1000;

/** A page as the Inspector takes it. */
export interface PageQuery {
  readonly page: number;
  readonly pageSize: number;
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) {
    throw new ApiError(400, "INVALID_ARGUMENT", `${name}: must be a positive integer`);
  }
  return Number(raw);
}

/** `?page=&size=`: defaults 1 and 20, size clamped to 1000; anything but a positive integer is 400. */
export function pageQuery(params: URLSearchParams): PageQuery {
  const page = integerParam(params, "page", 1);
  const size = integerParam(params, "size", DEFAULT_PAGE_SIZE);
  return { page, pageSize: Math.min(size, MAX_PAGE_SIZE) };
}

/** A non-empty query parameter, or undefined when absent or empty. */
export function optionalParam(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === "" ? undefined : value;
}

/**
 * The `task_ids` of a batch body `{ "task_ids": [...] }`: an array of at most 1000 non-empty
 * strings. Anything else is a 400 (unknown fields too, as asynqmon refuses them).
 */
export async function readBatchIds(request: Request): Promise<string[]> {
  let body: unknown;
  try {
    body = JSON.parse(await readBodyText(request));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "INVALID_ARGUMENT", 'the body must be JSON: {"task_ids": [...]}');
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, "INVALID_ARGUMENT", "the body must be an object with task_ids");
  }
  const unknown = Object.keys(body).filter((key) => key !== "task_ids");
  if (unknown.length > 0) {
    throw new ApiError(400, "INVALID_ARGUMENT", `unknown field: ${unknown[0]}`);
  }
  const ids: unknown = (body as { task_ids?: unknown }).task_ids;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string" && id !== "")) {
    throw new ApiError(400, "INVALID_ARGUMENT", "task_ids: must be an array of non-empty strings");
  }
  if (ids.length > MAX_BATCH_IDS) {
    throw new ApiError(
      400,
      "INVALID_ARGUMENT",
      `task_ids: at most ${MAX_BATCH_IDS} IDs per request`,
    );
  }
  return ids as string[];
}
