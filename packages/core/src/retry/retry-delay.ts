import type { Task } from "../task/task.js";
import { SECOND } from "../time/durations.js";

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** Decides how long to wait before retry number `retried + 1`, in ms. */
export type RetryDelayFn = (retried: number, error: unknown, task: Task) => number;

/**
 * Go asynq's default (Sidekiq's formula): `n⁴ + 15 + rand[0,30)·(n+1)` seconds, n = retries
 * so far. n=0 gives 15–44 s; n=24 about 3.8 days.
 */
export function defaultRetryDelay(retried: number, random: Random = Math.random): number {
  const n = Math.max(0, retried);
  const jitter = Math.floor(random() * 30) * (n + 1);
  return (n ** 4 + 15 + jitter) * SECOND;
}

/** A small seeded generator (mulberry32) for reproducible draws in tests and simulations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
