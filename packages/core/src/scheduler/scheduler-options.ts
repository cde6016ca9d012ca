import { InvalidArgumentError } from "../errors.js";
import { type IdGenerator, uuidV4Generator } from "../ids.js";
import type { TaskOptions } from "../options/task-options.js";
import {
  consoleLogger,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
  leveledLogger,
} from "../server/logger.js";
import type { Task } from "../task/task.js";
import type { TaskInfo } from "../task/task-info.js";
import { type Clock, systemClock } from "../time/clock.js";
import { MINUTE, SECOND } from "../time/durations.js";
import { isTimers, systemTimers, type Timers } from "../time/timers.js";
import { requireTimeZone } from "./cron.js";

/** What a scheduler does at start about fires that happened while no instance was running. */
export type CatchUpPolicy = "skip" | "last";

/** Which fire of which entry an enqueue belongs to. */
export interface FireContext {
  readonly entryId: string;
  /** The scheduled fire time, epoch ms. */
  readonly fireAt: number;
  /** True when another scheduler instance had already enqueued this fire (nothing was written). */
  readonly enqueuedByPeer: boolean;
}

/** Called before each enqueue with the task and the options it is enqueued with. */
export type PreEnqueueHook = (task: Task, options: TaskOptions) => void | Promise<void>;

/**
 * Called after each enqueue attempt: `(info, null)` on success, `(null, error)` on failure,
 * `(null, null)` when a peer instance had enqueued this fire already (`fire.enqueuedByPeer`).
 */
export type PostEnqueueHook = (
  info: TaskInfo | null,
  error: Error | null,
  fire: FireContext,
) => void | Promise<void>;

/** Scheduler settings; every field is optional. Durations are milliseconds. */
export interface SchedulerOptions {
  /** IANA time zone the cron fields are read in, unless a spec says `CRON_TZ=`. @default "UTC" */
  readonly location?: string;
  /** How often the scheduler publishes its entries (they expire after two). @default 10 s */
  readonly heartbeatInterval?: number;
  readonly preEnqueue?: PreEnqueueHook;
  readonly postEnqueue?: PostEnqueueHook;
  /**
   * How long each enqueued fire's task ID is kept after the task succeeds (its retention is
   * raised to this), so an instance whose clock lags this much still sees the ID and does not
   * enqueue the fire again. 0 keeps the task's own retention. @default 1 min
   */
  readonly dedupeWindow?: number;
  /**
   * At start, `"last"` enqueues the most recent fire of each entry that no instance enqueued
   * (judged from the entry's enqueue history); `"skip"` drops missed fires. @default "skip"
   */
  readonly catchUp?: CatchUpPolicy;
  /**
   * Delete the enqueue history of this scheduler's entries at shutdown, as Go asynq does. The
   * history is shared by every instance running the same entries and is what `catchUp: "last"`
   * reads, so it is kept by default. @default false
   */
  readonly clearHistoryOnShutdown?: boolean;
  /** @default the console, prefixed `asynq: pid=<pid>` */
  readonly logger?: Logger;
  /** @default "info" */
  readonly logLevel?: LogLevel;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default the clock when it also implements `Timers`, else the system timers */
  readonly timers?: Timers;
  /** Source of the scheduler ID's unique part. @default UUID v4 */
  readonly ids?: IdGenerator;
}

/** Scheduler settings with every default applied. */
export interface ResolvedSchedulerOptions {
  readonly location: string;
  readonly heartbeatInterval: number;
  readonly preEnqueue: PreEnqueueHook | undefined;
  readonly postEnqueue: PostEnqueueHook | undefined;
  readonly dedupeWindow: number;
  readonly catchUp: CatchUpPolicy;
  readonly clearHistoryOnShutdown: boolean;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdGenerator;
}

const KNOWN = new Set<string>([
  "location",
  "heartbeatInterval",
  "preEnqueue",
  "postEnqueue",
  "dedupeWindow",
  "catchUp",
  "clearHistoryOnShutdown",
  "logger",
  "logLevel",
  "clock",
  "timers",
  "ids",
]);

function duration(field: string, value: unknown, allowZero: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(field, "must be a non-negative number of milliseconds");
  }
  if (!allowZero && value === 0) throw new InvalidArgumentError(field, "must be positive");
  return value;
}

// Retention is stored in whole seconds by Redis brokers; a shorter window would round to none.
function dedupeWindow(value: unknown): number {
  const ms = duration("dedupeWindow", value, true);
  if (ms !== 0 && ms < SECOND) throw new InvalidArgumentError("dedupeWindow", "must be 0 or ≥ 1 s");
  return ms;
}

function fn<T>(field: string, value: unknown): T {
  if (typeof value !== "function") throw new InvalidArgumentError(field, "must be a function");
  return value as T;
}

function withMethods<T>(field: string, value: unknown, methods: readonly string[]): T {
  const ok =
    typeof value === "object" &&
    value !== null &&
    methods.every((m) => typeof Reflect.get(value, m) === "function");
  if (!ok) throw new InvalidArgumentError(field, `must have ${methods.join(", ")} methods`);
  return value as T;
}

/** Validates scheduler options and applies defaults; throws `InvalidArgumentError`. */
export function resolveSchedulerOptions(options: SchedulerOptions = {}): ResolvedSchedulerOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError("options", "must be an object");
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new InvalidArgumentError(key, "unknown scheduler option");
  }
  const o = options;
  if (o.catchUp !== undefined && o.catchUp !== "skip" && o.catchUp !== "last") {
    throw new InvalidArgumentError("catchUp", 'must be "skip" or "last"');
  }
  if (o.logLevel !== undefined && !LOG_LEVELS.includes(o.logLevel)) {
    throw new InvalidArgumentError("logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  if (o.clearHistoryOnShutdown !== undefined && typeof o.clearHistoryOnShutdown !== "boolean") {
    throw new InvalidArgumentError("clearHistoryOnShutdown", "must be a boolean");
  }
  const clock = o.clock === undefined ? systemClock : withMethods<Clock>("clock", o.clock, ["now"]);
  const timers =
    o.timers !== undefined
      ? withMethods<Timers>("timers", o.timers, ["setTimeout", "clearTimeout"])
      : isTimers(clock)
        ? clock
        : systemTimers;
  const logger =
    o.logger === undefined
      ? consoleLogger()
      : withMethods<Logger>("logger", o.logger, ["debug", "info", "warn", "error"]);
  return {
    location: o.location === undefined ? "UTC" : requireTimeZone("location", o.location),
    heartbeatInterval:
      o.heartbeatInterval === undefined
        ? 10 * SECOND
        : duration("heartbeatInterval", o.heartbeatInterval, false),
    preEnqueue: o.preEnqueue === undefined ? undefined : fn("preEnqueue", o.preEnqueue),
    postEnqueue: o.postEnqueue === undefined ? undefined : fn("postEnqueue", o.postEnqueue),
    dedupeWindow: o.dedupeWindow === undefined ? MINUTE : dedupeWindow(o.dedupeWindow),
    catchUp: o.catchUp ?? "skip",
    clearHistoryOnShutdown: o.clearHistoryOnShutdown ?? false,
    logger: leveledLogger(logger, o.logLevel ?? "info"),
    clock,
    timers,
    ids: o.ids === undefined ? uuidV4Generator : withMethods<IdGenerator>("ids", o.ids, ["next"]),
  };
}
