import { createHash } from "node:crypto";
import { InvalidArgumentError } from "../errors.js";
import { resolveOptions } from "../options/resolve-options.js";
import type { TaskOptions } from "../options/task-options.js";
import { Task } from "../task/task.js";
import { type CronSchedule, parseCronSpec } from "./cron.js";
import { goOptionStrings } from "./go-format.js";

/** A validated scheduler registration: what fires, when, and with which options. */
export interface EntryDefinition {
  /**
   * Deterministic identity: the same spec, location, task type, payload and options give the
   * same ID in every process, so scheduler instances share enqueue history and task IDs.
   */
  readonly id: string;
  readonly spec: string;
  readonly schedule: CronSchedule;
  readonly task: Task;
  /** The options given at registration (the task's own options apply first). */
  readonly options: TaskOptions;
  /** The task's options then the registration's, as Go asynq option strings. */
  readonly optionStrings: readonly string[];
  /** The retention the options resolve to, ms. */
  readonly retention: number;
  /** True when the user fixed the task ID, which turns off the scheduler's deduplication. */
  readonly ownTaskId: boolean;
}

// Validation needs an ID source; the ID it makes is never used.
const UNUSED_IDS = { next: () => "unused" };

/**
 * The identity of a periodic registration, as Go asynq's PeriodicTaskManager computes it
 * (SHA-256 over spec, type, payload and the sorted option strings), plus the location the
 * spec is read in; the first 128 bits as hex.
 */
export function entryIdentity(parts: {
  readonly spec: string;
  readonly location: string;
  readonly type: string;
  readonly payload: Uint8Array;
  readonly optionStrings: readonly string[];
}): string {
  // The JSON text delimits itself, so the payload bytes can follow it unambiguously.
  const text = JSON.stringify([
    parts.spec,
    parts.location,
    parts.type,
    [...parts.optionStrings].sort(),
  ]);
  return createHash("sha256").update(text).update(parts.payload).digest("hex").slice(0, 32);
}

/**
 * The task ID the scheduler gives one fire of an entry: the same in every instance, so only
 * the first instance to enqueue it succeeds and the others get `TASK_ID_CONFLICT`.
 */
export function fireTaskId(entryId: string, fireAt: number): string {
  return `cron:${entryId}:${Math.floor(fireAt / 1000)}`;
}

/**
 * Validates a registration (spec, task and options) and computes its identity. Throws
 * `InvalidArgumentError` naming what is wrong.
 */
export function defineEntry(
  spec: string,
  task: Task,
  options: TaskOptions | undefined,
  location: string,
  now: number,
): EntryDefinition {
  if (!(task instanceof Task)) throw new InvalidArgumentError("task", "must be a Task");
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new InvalidArgumentError("options", "must be an object");
  }
  const schedule = parseCronSpec(spec, location);
  const own = Object.freeze({ ...options });
  const { retention } = resolveOptions([task.options, own], now, UNUSED_IDS);
  const optionStrings = [...goOptionStrings(task.options), ...goOptionStrings(own)];
  const id = entryIdentity({
    spec,
    location,
    type: task.type,
    payload: task.payload,
    optionStrings,
  });
  const ownTaskId = task.options.taskId !== undefined || own.taskId !== undefined;
  return { id, spec, schedule, task, options: own, optionStrings, retention, ownTaskId };
}
