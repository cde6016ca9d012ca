// Deterministic clocks, ids and messages shared by core's unit tests.
import {
  type Clock,
  type IdGenerator,
  InvalidArgumentError,
  type TaskMessage,
} from "@asynq-ts/core";

/** A fixed instant every test starts from: 2026-01-15T12:00:00Z. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

/** IDs "id-1", "id-2", … and how many were handed out. */
export interface SequentialIds extends IdGenerator {
  readonly issued: number;
}

/** An id generator that yields `${prefix}-1`, `${prefix}-2`, … */
export function sequentialIds(prefix = "id"): SequentialIds {
  let issued = 0;
  return {
    next: () => `${prefix}-${++issued}`,
    get issued() {
      return issued;
    },
  };
}

/** A clock that only moves when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** A manual clock starting at `start`. */
export function manualClock(start = NOW): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A stored message with neutral values, overridden by `fields`. */
export function message(fields: Partial<TaskMessage> = {}): TaskMessage {
  return {
    id: "task-1",
    type: "email:deliver",
    payload: new TextEncoder().encode('{"to":"a@b.c"}'),
    headers: {},
    queue: "default",
    maxRetry: 3,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: 1_800_000,
    deadline: 0,
    retention: 0,
    completedAt: 0,
    group: "",
    uniqueKey: "",
    ...fields,
  };
}

/** Runs `fn` and returns the `InvalidArgumentError` it throws; fails if it throws anything else or nothing. */
export function invalidArgument(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidArgumentError) return error;
    throw error;
  }
  throw new Error("expected an InvalidArgumentError, but nothing was thrown");
}
