import { InvalidArgumentError } from "../errors.js";
import { type IdGenerator, uuidV4Generator } from "../ids.js";
import { DEFAULTS } from "../options/defaults.js";
import { createQueueSelector, type QueuePriorities } from "../queues/queue-selection.js";
import { defaultRetryDelay, type Random, type RetryDelayFn } from "../retry/retry-delay.js";
import type { Task } from "../task/task.js";
import type { TaskInfo } from "../task/task-info.js";
import { type Clock, systemClock } from "../time/clock.js";
import { MINUTE, SECOND } from "../time/durations.js";
import { isTimers, systemTimers, type Timers } from "../time/timers.js";
import type { GroupAggregator } from "./aggregator.js";
import { consoleLogger, LOG_LEVELS, type Logger, type LogLevel, leveledLogger } from "./logger.js";

/** Told about every error a handler attempt ends with, before the task is retried or archived. */
export type ErrorHandler = (error: unknown, task: Task, info: TaskInfo) => void | Promise<void>;

/** Told the outcome of each periodic broker ping: `undefined` when it answered. */
export type HealthCheckFn = (error?: unknown) => void | Promise<void>;

/** Server settings; every field is optional. Durations are milliseconds. */
export interface ServerConfig {
  /**
   * Handlers running at once. @default `navigator.hardwareConcurrency` where the runtime has it
   * (Node ≥ 21, browsers, Deno, Bun), else 10.
   */
  readonly concurrency?: number;
  /** Queue name → priority (positive integer). @default { default: 1 } */
  readonly queues?: QueuePriorities;
  /** Serve lower-priority queues only when higher ones are empty. @default false (weighted) */
  readonly strictPriority?: boolean;
  /** Delay before a failed task's next attempt. @default asynq's `n⁴ + 15 + rand·(n+1)` s */
  readonly retryDelay?: RetryDelayFn;
  /** False means "retry without counting a failure or using up a retry". @default always true */
  readonly isFailure?: (error: unknown) => boolean;
  /** Called for every failed attempt (errors, timeouts, cancellations, lease loss). */
  readonly errorHandler?: ErrorHandler;
  /** @default the console, prefixed `asynq: pid=<pid>` */
  readonly logger?: Logger;
  /** Least severe level written, applied to any logger. @default "info" */
  readonly logLevel?: LogLevel;
  /** How long shutdown waits for running handlers before requeueing their tasks. @default 8 s */
  readonly shutdownTimeout?: number;
  /** Enables the health checker: called after each ping of the broker. */
  readonly healthCheck?: HealthCheckFn;
  /** @default 15 s */
  readonly healthCheckInterval?: number;
  /** How often scheduled and retry tasks that are due are moved to pending. @default 5 s */
  readonly delayedTaskCheckInterval?: number;
  /**
   * Longest wait for work when every queue is empty. A broker that wakes waiters on enqueue
   * starts new tasks at once; this bound keeps the server correct when a Go asynq process
   * shares the queues and does not notify. @default 1 s
   */
  readonly taskCheckInterval?: number;
  /** How often expired completed tasks are deleted. @default 8 s */
  readonly janitorInterval?: number;
  /** Completed tasks deleted per broker call. @default 100 */
  readonly janitorBatchSize?: number;
  /**
   * Combines a group's tasks into one task. Without it grouped tasks are never aggregated
   * (the server logs a warning once when it sees groups in its queues).
   */
  readonly groupAggregator?: GroupAggregator;
  /** Aggregate a group once its newest task has waited this long (≥ 1 s). @default 1 min */
  readonly groupGracePeriod?: number;
  /** Aggregate a group once its oldest task has waited this long (0 or ≥ 1 s). @default 0, no limit */
  readonly groupMaxDelay?: number;
  /** Aggregate as soon as a group has this many tasks. @default 0, no limit */
  readonly groupMaxSize?: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default the clock when it also implements `Timers` (a fake clock), else the system timers */
  readonly timers?: Timers;
  /** Source of the server ID. @default UUID v4 */
  readonly ids?: IdGenerator;
  /** Source of randomness for queue selection and the default retry delay. @default Math.random */
  readonly random?: Random;
}

/** A configuration with every default applied. */
export interface ResolvedServerConfig {
  readonly concurrency: number;
  readonly queues: QueuePriorities;
  readonly strictPriority: boolean;
  readonly retryDelay: RetryDelayFn;
  readonly isFailure: (error: unknown) => boolean;
  readonly errorHandler: ErrorHandler | undefined;
  readonly logger: Logger;
  readonly logLevel: LogLevel;
  readonly shutdownTimeout: number;
  readonly healthCheck: HealthCheckFn | undefined;
  readonly healthCheckInterval: number;
  readonly delayedTaskCheckInterval: number;
  readonly taskCheckInterval: number;
  readonly janitorInterval: number;
  readonly janitorBatchSize: number;
  readonly groupAggregator: GroupAggregator | undefined;
  readonly groupGracePeriod: number;
  readonly groupMaxDelay: number;
  readonly groupMaxSize: number;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdGenerator;
  readonly random: Random;
}

const FALLBACK_CONCURRENCY = 10;

/** The default concurrency: the runtime's CPU count where it tells, else 10. */
export function defaultConcurrency(): number {
  const navigator: unknown = Reflect.get(globalThis, "navigator");
  const cpus =
    typeof navigator === "object" && navigator !== null
      ? Reflect.get(navigator, "hardwareConcurrency")
      : undefined;
  return typeof cpus === "number" && Number.isInteger(cpus) && cpus >= 1
    ? cpus
    : FALLBACK_CONCURRENCY;
}

const KNOWN = new Set<string>([
  "concurrency",
  "queues",
  "strictPriority",
  "retryDelay",
  "isFailure",
  "errorHandler",
  "logger",
  "logLevel",
  "shutdownTimeout",
  "healthCheck",
  "healthCheckInterval",
  "delayedTaskCheckInterval",
  "taskCheckInterval",
  "janitorInterval",
  "janitorBatchSize",
  "groupAggregator",
  "groupGracePeriod",
  "groupMaxDelay",
  "groupMaxSize",
  "clock",
  "timers",
  "ids",
  "random",
]);

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(field, "must be a positive integer");
  }
  return value;
}

function nonNegativeInteger(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(field, "must be a non-negative integer");
  }
  return value;
}

function duration(field: string, value: unknown, allowZero: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidArgumentError(field, "must be a finite number of milliseconds");
  }
  if (value < 0 || (!allowZero && value === 0)) {
    throw new InvalidArgumentError(field, allowZero ? "must not be negative" : "must be positive");
  }
  return value;
}

// Redis brokers keep group times in whole seconds: shorter group durations would mean nothing.
function groupDuration(field: string, value: unknown, allowZero: boolean): number {
  const ms = duration(field, value, allowZero);
  if (ms !== 0 && ms < SECOND) throw new InvalidArgumentError(field, "must be at least 1 s");
  return ms;
}

function fn<T>(field: string, value: unknown): T {
  if (typeof value !== "function") throw new InvalidArgumentError(field, "must be a function");
  return value as T;
}

function withMethods<T>(field: string, value: unknown, methods: readonly string[]): T {
  if (typeof value !== "object" || value === null) {
    throw new InvalidArgumentError(field, `must be an object with ${methods.join(", ")}`);
  }
  for (const method of methods) {
    if (typeof Reflect.get(value, method) !== "function") {
      throw new InvalidArgumentError(field, `must have a ${method}() method`);
    }
  }
  return value as T;
}

function queuesOf(value: unknown): QueuePriorities {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError("queues", "must be an object of queue name → priority");
  }
  const queues = Object.fromEntries(Object.entries(value)) as Record<string, number>;
  createQueueSelector(queues, false); // validates names and priorities
  return Object.freeze(queues);
}

/**
 * Validates a server configuration and applies the defaults. Throws `InvalidArgumentError`
 * naming the first bad field, including unknown ones.
 */
export function resolveServerConfig(config: ServerConfig = {}): ResolvedServerConfig {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new InvalidArgumentError("config", "must be an object");
  }
  for (const key of Object.keys(config)) {
    if (!KNOWN.has(key)) throw new InvalidArgumentError(key, "unknown server option");
  }
  const c = config;
  const given = <K extends keyof ServerConfig>(key: K): boolean => c[key] !== undefined;

  if (given("strictPriority") && typeof c.strictPriority !== "boolean") {
    throw new InvalidArgumentError("strictPriority", "must be a boolean");
  }
  if (given("logLevel") && !LOG_LEVELS.includes(c.logLevel as LogLevel)) {
    throw new InvalidArgumentError("logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  }
  const random = given("random") ? fn<Random>("random", c.random) : Math.random;
  const clock = given("clock") ? withMethods<Clock>("clock", c.clock, ["now"]) : systemClock;
  const timers = given("timers")
    ? withMethods<Timers>("timers", c.timers, ["setTimeout", "clearTimeout"])
    : isTimers(clock)
      ? clock
      : systemTimers;
  const logLevel = c.logLevel ?? "info";
  const baseLogger = given("logger")
    ? withMethods<Logger>("logger", c.logger, ["debug", "info", "warn", "error"])
    : consoleLogger();

  return {
    concurrency: given("concurrency")
      ? positiveInteger("concurrency", c.concurrency)
      : defaultConcurrency(),
    queues: given("queues") ? queuesOf(c.queues) : Object.freeze({ [DEFAULTS.queue]: 1 }),
    strictPriority: c.strictPriority ?? false,
    retryDelay: given("retryDelay")
      ? fn<RetryDelayFn>("retryDelay", c.retryDelay)
      : (retried) => defaultRetryDelay(retried, random),
    isFailure: given("isFailure") ? fn("isFailure", c.isFailure) : () => true,
    errorHandler: given("errorHandler")
      ? fn<ErrorHandler>("errorHandler", c.errorHandler)
      : undefined,
    logger: leveledLogger(baseLogger, logLevel),
    logLevel,
    shutdownTimeout: given("shutdownTimeout")
      ? duration("shutdownTimeout", c.shutdownTimeout, true)
      : 8 * SECOND,
    healthCheck: given("healthCheck") ? fn<HealthCheckFn>("healthCheck", c.healthCheck) : undefined,
    healthCheckInterval: given("healthCheckInterval")
      ? duration("healthCheckInterval", c.healthCheckInterval, false)
      : 15 * SECOND,
    delayedTaskCheckInterval: given("delayedTaskCheckInterval")
      ? duration("delayedTaskCheckInterval", c.delayedTaskCheckInterval, false)
      : 5 * SECOND,
    taskCheckInterval: given("taskCheckInterval")
      ? duration("taskCheckInterval", c.taskCheckInterval, false)
      : SECOND,
    janitorInterval: given("janitorInterval")
      ? duration("janitorInterval", c.janitorInterval, false)
      : 8 * SECOND,
    janitorBatchSize: given("janitorBatchSize")
      ? positiveInteger("janitorBatchSize", c.janitorBatchSize)
      : DEFAULTS.janitorBatchSize,
    groupAggregator: given("groupAggregator")
      ? fn<GroupAggregator>("groupAggregator", c.groupAggregator)
      : undefined,
    groupGracePeriod: given("groupGracePeriod")
      ? groupDuration("groupGracePeriod", c.groupGracePeriod, false)
      : MINUTE,
    groupMaxDelay: given("groupMaxDelay")
      ? groupDuration("groupMaxDelay", c.groupMaxDelay, true)
      : 0,
    groupMaxSize: given("groupMaxSize") ? nonNegativeInteger("groupMaxSize", c.groupMaxSize) : 0,
    clock,
    timers,
    ids: given("ids") ? withMethods<IdGenerator>("ids", c.ids, ["next"]) : uuidV4Generator,
    random,
  };
}

/** How often the recoverer looks for expired leases (Go asynq: 1 min, not configurable). */
export const RECOVERER_INTERVAL = MINUTE;
/** How often the heartbeater writes liveness records and extends leases. */
export const HEARTBEAT_INTERVAL = DEFAULTS.leaseExtendInterval;
/** How long liveness records live unless rewritten: two heartbeats. */
export const SERVER_STATE_TTL = 2 * HEARTBEAT_INTERVAL;
