import type { Broker, EnqueueRequest, Placement, TaskMessage } from "@asynq-ts/core";
import { DAY, DEFAULTS, uniqueDigest } from "@asynq-ts/core";
import { FakeClock } from "../fake-clock.js";
import { taskMessage } from "../task-message.js";

/** The subset of an `expect` the suite uses (vitest's and jest's both fit). */
// biome-ignore lint/suspicious/noExplicitAny: mirrors the test framework's own signature
export type Expect = (actual: unknown, message?: string) => any;

/** The test framework, injected so the suite runs under vitest, jest or node:test wrappers. */
export interface TestApi {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void> | void, timeout?: number) => void;
  readonly beforeEach: (body: () => Promise<void> | void) => void;
  readonly afterEach: (body: () => Promise<void> | void) => void;
  readonly expect: Expect;
}

/** How the suite gets a broker to test. */
export interface ConformanceOptions {
  /** Shown in the suite's name. */
  readonly name: string;
  /** Returns a broker isolated from every other one this factory returned (own keyspace). */
  readonly createBroker: () => Promise<Broker>;
  /** Disposes a broker after a test. @default broker.close() */
  readonly destroyBroker?: (broker: Broker) => Promise<void>;
  readonly test: TestApi;
}

/** What each test gets: a fresh broker, a fake clock, and helpers. */
export interface SuiteContext {
  readonly broker: Broker;
  readonly clock: FakeClock;
  readonly expect: Expect;
  /** The clock's current reading. */
  now(): number;
  /**
   * Lets `ms` pass. Moves the fake clock; on a broker whose TTLs are enforced by the server
   * (`capabilities.serverSideTtl`) it also really waits, so server-side expiry happens.
   */
  elapse(ms: number): Promise<void>;
  /** A message with Go asynq's defaults, overridden by `fields`. */
  message(fields?: Partial<TaskMessage>): TaskMessage;
  /** Enqueues a message (pending unless placed otherwise) and fails the test if refused. */
  enqueue(fields?: Partial<TaskMessage>, options?: EnqueueExtras): Promise<TaskMessage>;
  /** Enqueues then dequeues one task from its queue, so it is active. */
  activate(fields?: Partial<TaskMessage>): Promise<TaskMessage>;
}

/** Placement and uniqueness for `SuiteContext.enqueue`. */
export interface EnqueueExtras {
  readonly placement?: Placement;
  /** Unique lock TTL in ms from now (or from processAt when scheduled). */
  readonly uniqueTtl?: number;
}

let counter = 0;

/** Builds the request `enqueue` sends, so tests can also call the broker directly. */
export function enqueueRequest(
  message: TaskMessage,
  now: number,
  extras: EnqueueExtras = {},
): EnqueueRequest {
  const placement: Placement = extras.placement ?? { state: "pending" };
  if (extras.uniqueTtl === undefined) return { message, placement };
  const base = placement.state === "scheduled" ? Math.max(placement.processAt, now) : now;
  return {
    message,
    placement,
    unique: { digest: uniqueDigest(message.payload), expiresAt: base + extras.uniqueTtl },
  };
}

/** Default archive trim, as core passes it. */
export function defaultTrim(now: number): { maxSize: number; cutoff: number } {
  return { maxSize: DEFAULTS.archiveMaxSize, cutoff: now - DEFAULTS.archiveMaxAge };
}

/** Wires a fresh broker and clock into every test of `body`. */
export function withContext(
  options: ConformanceOptions,
  body: (ctx: () => SuiteContext) => void,
): void {
  const { test } = options;
  let current: SuiteContext | undefined;

  test.beforeEach(async () => {
    const broker = await options.createBroker();
    const clock = new FakeClock();
    const ctx: SuiteContext = {
      broker,
      clock,
      expect: test.expect,
      now: () => clock.now(),
      async elapse(ms) {
        clock.advance(ms);
        if (broker.capabilities.serverSideTtl) await new Promise((r) => setTimeout(r, ms));
      },
      message(fields = {}) {
        counter += 1;
        return taskMessage(`task-${counter}`, fields);
      },
      async enqueue(fields = {}, extras = {}) {
        const msg = ctx.message(fields);
        const result = await broker.enqueue({
          ...enqueueRequest(msg, clock.now(), extras),
          now: clock.now(),
        });
        if (!result.ok) throw new Error(`enqueue refused: ${result.reason}`);
        return msg;
      },
      async activate(fields = {}) {
        const msg = await ctx.enqueue(fields);
        const got = await broker.dequeue({
          queues: [msg.queue],
          leaseUntil: clock.now() + DEFAULTS.lease,
          now: clock.now(),
        });
        if (got === null || got.message.id !== msg.id)
          throw new Error("activate: dequeued another task");
        return got.message;
      },
    };
    current = ctx;
  });

  test.afterEach(async () => {
    const ctx = current;
    current = undefined;
    if (ctx === undefined) return;
    if (options.destroyBroker) await options.destroyBroker(ctx.broker);
    else await ctx.broker.close();
  });

  body(() => {
    if (current === undefined) throw new Error("suite context used outside a test");
    return current;
  });
}

/** One day in ms, re-exported for suites that move the clock across UTC days. */
export const ONE_DAY = DAY;
