import { InvalidArgumentError } from "../errors.js";
import { MAX_INT32 } from "./defaults.js";

/**
 * The largest instant a `Date` can hold, in epoch ms. Durations are bounded alike, so that every
 * backend can store every accepted value (Redis keeps them as integer seconds).
 */
export const MAX_TIME_MS = 8.64e15;

// A UTF-16 surrogate without its partner: UTF-8 (Redis keys, protobuf strings) cannot hold it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string every backend can store exactly (well-formed UTF-16), or an INVALID_ARGUMENT error. */
export function requireText(field: string, value: unknown): string {
  if (typeof value !== "string") throw new InvalidArgumentError(field, "must be a string");
  if (LONE_SURROGATE.test(value)) {
    throw new InvalidArgumentError(field, "must be well-formed Unicode (a lone surrogate)");
  }
  return value;
}

/** A non-blank string, or an INVALID_ARGUMENT error naming `field`. */
export function requireName(field: string, value: unknown): string {
  const text = requireText(field, value);
  if (text.trim() === "") throw new InvalidArgumentError(field, "must not be blank");
  return text;
}

/** A finite, non-negative number of milliseconds. */
export function requireDuration(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidArgumentError(field, "must be a finite number of milliseconds");
  }
  if (value < 0) throw new InvalidArgumentError(field, "must not be negative");
  if (value > MAX_TIME_MS)
    throw new InvalidArgumentError(field, `must be at most ${MAX_TIME_MS} ms`);
  return value;
}

/** A duration that is 0 (none) or at least `minimum` ms. */
export function requireZeroOrAtLeast(field: string, value: unknown, minimum: number): number {
  const ms = requireDuration(field, value);
  if (ms !== 0 && ms < minimum) {
    throw new InvalidArgumentError(field, `must be 0 or at least ${minimum} ms, got ${ms}`);
  }
  return ms;
}

/** A valid instant (`Date` or epoch ms) as epoch milliseconds. */
export function requireInstant(field: string, value: unknown): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new InvalidArgumentError(field, "must be a valid Date or epoch milliseconds");
  }
  if (ms <= 0) throw new InvalidArgumentError(field, "must be after the Unix epoch");
  if (ms > MAX_TIME_MS) throw new InvalidArgumentError(field, `must be at most ${MAX_TIME_MS} ms`);
  return ms;
}

/** An integer retry count; negatives become 0 as in Go asynq. */
export function requireRetryCount(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new InvalidArgumentError(field, "must be an integer");
  }
  if (value > MAX_INT32) throw new InvalidArgumentError(field, `must be at most ${MAX_INT32}`);
  return Math.max(0, value);
}

/** A string-to-string record, copied into a fresh object (safe for keys like `__proto__`). */
export function requireHeaders(field: string, value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(field, "must be an object of string values");
  }
  const entries = Object.entries(value);
  for (const [key, v] of entries) {
    if (typeof v !== "string") {
      throw new InvalidArgumentError(`${field}.${key}`, "header values must be strings");
    }
    requireText(`${field} key`, key);
    requireText(`${field}.${key}`, v);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}
