import { DEFAULTS } from "@asynq-ts/core";

/** Zset scores are Unix seconds, as Go asynq writes them (`time.Unix()`, rounding down). */
export function toScore(epochMs: number): string {
  return String(Math.floor(epochMs / 1000));
}

/** A zset score (Unix seconds) as epoch ms. */
export function fromScore(score: number): number {
  return score * 1000;
}

/**
 * `pending_since` is Unix nanoseconds (≈1.8e18, beyond safe integers), written as a plain
 * integer string: the whole milliseconds followed by six zeros (no BigInt on the enqueue path).
 */
export function toNanos(epochMs: number): string {
  const ms = Math.trunc(epochMs);
  return ms === 0 ? "0" : `${ms}000000`;
}

/** A `pending_since` value (Unix ns) as epoch ms; 0 when missing or unreadable. */
export function fromNanos(text: string | null): number {
  if (text === null || !/^-?\d+$/.test(text)) return 0;
  return Number(BigInt(text) / 1_000_000n);
}

/** A TTL in ms for a lock or record that must expire at `expiresAt` (at least 1 ms). */
export function ttlUntil(expiresAt: number, now: number): string {
  return String(Math.max(1, Math.ceil(expiresAt - now)));
}

/** Go asynq's MaxInt64, where its counters wrap to 1. */
export const MAX_INT64 = "9223372036854775807";

/** How long daily stats keys live after their first increment, in seconds. */
export const STATS_TTL_SECONDS = String(Math.floor(DEFAULTS.statsTtl / 1000));
