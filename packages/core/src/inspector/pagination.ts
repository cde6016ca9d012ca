import { InvalidArgumentError } from "../errors.js";
import { optionsObject } from "./options-object.js";

/** Which page of a listing to read. */
export interface PageOptions {
  /** 1-based page number; values below 1 read page 1. @default 1 */
  readonly page?: number;
  /** Items per page; negative values become 0 (an empty page). @default 30 */
  readonly pageSize?: number;
}

/** The default page size, as in Go asynq. */
export const DEFAULT_PAGE_SIZE = 30;

/** A page as the port reads it. */
export interface PageWindow {
  readonly offset: number;
  readonly limit: number;
}

function requireInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(field, "must be an integer");
  }
  return value;
}

/**
 * The window of a page, with Go asynq's leniency (page < 1 reads page 1, a negative size an
 * empty page) but refusing non-integers, which are mistakes rather than edge cases.
 */
export function pageWindow(options?: PageOptions): PageWindow {
  const { page: requested = 1, pageSize = DEFAULT_PAGE_SIZE }: PageOptions = optionsObject(options);
  const page = Math.max(1, requireInteger("page", requested));
  const limit = Math.max(0, requireInteger("pageSize", pageSize));
  const offset = (page - 1) * limit;
  if (!Number.isSafeInteger(offset)) throw new InvalidArgumentError("page", "is too large");
  return { offset, limit };
}
