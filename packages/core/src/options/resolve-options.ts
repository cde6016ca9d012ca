import { InvalidArgumentError } from "../errors.js";
import type { IdGenerator } from "../ids.js";
import { DEFAULTS } from "./defaults.js";
import type { TaskOptions } from "./task-options.js";
import {
  requireDuration,
  requireHeaders,
  requireInstant,
  requireName,
  requireRetryCount,
  requireZeroOrAtLeast,
} from "./validate.js";

/** Where a new task goes: decided by core, executed by the broker. */
export type Placement =
  | { readonly state: "pending" }
  | { readonly state: "scheduled"; readonly processAt: number }
  | { readonly state: "aggregating"; readonly group: string };

/** Options after merging, validation and defaults. All durations ms, instants epoch ms, 0 = none. */
export interface ResolvedOptions {
  readonly queue: string;
  readonly taskId: string;
  readonly maxRetry: number;
  readonly timeout: number;
  readonly deadline: number;
  /** Unique lock TTL in ms, 0 = not unique. */
  readonly unique: number;
  /** When the task becomes due (≤ now means immediately). */
  readonly processAt: number;
  readonly retention: number;
  readonly group: string;
  readonly headers: Readonly<Record<string, string>>;
}

const KNOWN_OPTIONS = new Set<string>([
  "maxRetry",
  "queue",
  "taskId",
  "timeout",
  "deadline",
  "unique",
  "processAt",
  "processIn",
  "retention",
  "group",
  "headers",
]);

/**
 * Merges option layers (the task's own first, then enqueue-time ones), validates every value
 * and applies Go asynq's defaults. Later layers win; within the layers, whichever of
 * `processAt`/`processIn` comes last wins. Throws `InvalidArgumentError` before anything is
 * written.
 */
export function resolveOptions(
  layers: readonly (TaskOptions | undefined)[],
  now: number,
  ids: IdGenerator,
): ResolvedOptions {
  let queue: string = DEFAULTS.queue;
  let taskId: string | undefined;
  let maxRetry: number = DEFAULTS.maxRetry;
  let timeout: number | undefined;
  let deadline = 0;
  let unique = 0;
  let processAt = now;
  let retention = 0;
  let group = "";
  let headers: Record<string, string> = {};

  for (const layer of layers) {
    if (layer === undefined) continue;
    if (typeof layer !== "object" || layer === null || Array.isArray(layer)) {
      throw new InvalidArgumentError("options", "must be an object");
    }
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (!KNOWN_OPTIONS.has(key)) throw new InvalidArgumentError(key, "unknown option");
      switch (key) {
        case "maxRetry":
          maxRetry = requireRetryCount(key, value);
          break;
        case "queue":
          queue = requireName(key, value);
          break;
        case "taskId":
          taskId = requireName(key, value);
          break;
        case "timeout":
          timeout = requireZeroOrAtLeast(key, value, DEFAULTS.minimumDuration);
          break;
        case "deadline":
          deadline = requireInstant(key, value);
          break;
        case "unique":
          unique = requireDuration(key, value);
          if (unique < DEFAULTS.minimumDuration) {
            throw new InvalidArgumentError(
              key,
              `unique TTL must be at least ${DEFAULTS.minimumDuration} ms`,
            );
          }
          break;
        case "processAt":
          processAt = requireInstant(key, value);
          break;
        case "processIn":
          processAt = now + requireDuration(key, value);
          break;
        case "retention":
          retention = requireDuration(key, value);
          break;
        case "group":
          group = requireName(key, value);
          break;
        case "headers":
          headers = { ...headers, ...requireHeaders(key, value) };
          break;
      }
    }
  }

  // Go asynq's rule: no timeout and no deadline means the 30-minute default timeout.
  const effectiveTimeout =
    (timeout ?? 0) === 0 && deadline === 0 ? DEFAULTS.timeout : (timeout ?? 0);
  return {
    queue,
    taskId: taskId ?? ids.next(),
    maxRetry,
    timeout: effectiveTimeout,
    deadline,
    unique,
    processAt,
    retention,
    group,
    headers,
  };
}

/** Go asynq's placement rule: future → scheduled; else grouped → aggregating; else pending. */
export function placementOf(options: ResolvedOptions, now: number): Placement {
  if (options.processAt > now) return { state: "scheduled", processAt: options.processAt };
  if (options.group !== "") return { state: "aggregating", group: options.group };
  return { state: "pending" };
}

/**
 * When a unique lock expires: `ttl` after the task becomes due, so a scheduled task keeps its
 * lock until it has had its chance to run.
 */
export function uniqueLockExpiry(options: ResolvedOptions, now: number): number {
  return Math.max(options.processAt, now) + options.unique;
}
