// Per-test wiring of the Inspector behaviour suite: a fresh broker from the factory, a fake
// clock, a Client and an Inspector over them, and seeding helpers that reach every task state
// through the Client and the broker's worker edges only (never the Inspector under test).
import {
  type Broker,
  Client,
  DEFAULTS,
  defaultArchiveTrim,
  HOUR,
  Inspector,
  MINUTE,
  Task,
  type TaskMessage,
  type TaskOptions,
  type TaskState,
} from "@asynq-ts/core";
import type { ConformanceOptions, Expect } from "../conformance/harness.js";
import { FakeClock } from "../fake-clock.js";

/** Options of `describeInspectorBehaviour`: the conformance suite's shape. */
export type InspectorBehaviourOptions = ConformanceOptions;

/** What each test gets. */
export interface InspectorContext {
  readonly broker: Broker;
  readonly clock: FakeClock;
  readonly client: Client;
  readonly inspector: Inspector;
  readonly expect: Expect;
  /** The clock's reading. */
  now(): number;
  /** Stores a task in `state` (see `place`). */
  place(state: TaskState, seed?: Seed): Promise<TaskMessage>;
  /** Dequeues the next pending task of `queue`, failing unless it is `taskId`. */
  activate(queue: string, taskId: string): Promise<TaskMessage>;
}

/** What a seeded task looks like; everything has a default. */
export interface Seed {
  readonly id?: string;
  readonly queue?: string;
  readonly type?: string;
  readonly payload?: string | Uint8Array;
  /** Extra enqueue options (group, processIn, unique, retention…). */
  readonly options?: TaskOptions;
}

let counter = 0;

/** UTF-8 bytes of `text`. */
export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** How `comparable` shows a byte field: its content, tagged so only a Uint8Array matches it. */
export interface ComparableBytes {
  readonly uint8Array: number[];
}

/**
 * `value` with every Uint8Array in it (inside arrays and plain objects too) replaced by its
 * bytes as numbers, so `toEqual` compares byte fields by content. The port promises a
 * Uint8Array, not which class: Redis clients hand out Buffers, and `toEqual` tells a Buffer
 * from a Uint8Array with the same bytes. Anything else is kept, so a byte field that is not a
 * Uint8Array at all still fails to match.
 */
export function comparable(value: unknown): unknown {
  if (value instanceof Uint8Array) return { uint8Array: Array.from(value) } as ComparableBytes;
  if (Array.isArray(value)) return value.map(comparable);
  if (!isPlainObject(value)) return value;
  // fromEntries defines own keys, so a header named __proto__ stays a plain key.
  return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, comparable(field)]));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Wires a fresh broker, clock, client and inspector into every test of `body`. */
export function withInspector(
  options: InspectorBehaviourOptions,
  body: (ctx: () => InspectorContext) => void,
): void {
  const { test } = options;
  let current: InspectorContext | undefined;

  test.beforeEach(async () => {
    const broker = await options.createBroker();
    const clock = new FakeClock();
    const client = new Client(broker, { clock });
    const inspector = new Inspector(broker, { clock });

    const activate = async (queue: string, taskId: string): Promise<TaskMessage> => {
      const now = clock.now();
      const got = await broker.dequeue({ queues: [queue], leaseUntil: now + DEFAULTS.lease, now });
      if (got?.message.id !== taskId) throw new Error(`activate: expected ${taskId} first`);
      return got.message;
    };

    const place = async (state: TaskState, seed: Seed = {}): Promise<TaskMessage> => {
      counter += 1;
      const id = seed.id ?? `task-${counter}`;
      const queue = seed.queue ?? DEFAULTS.queue;
      const task = new Task(seed.type ?? "email:send", seed.payload ?? `{"n":${counter}}`);
      const placed: TaskOptions = { taskId: id, queue, ...seed.options };
      const now = clock.now();
      if (state === "pending" || state === "scheduled" || state === "aggregating") {
        const extra: TaskOptions =
          state === "scheduled"
            ? { processIn: placed.processIn ?? MINUTE }
            : state === "aggregating"
              ? { group: placed.group ?? "g" }
              : {};
        const info = await client.enqueue(task, { ...placed, ...extra });
        if (info.state !== state) throw new Error(`place: ${id} went to ${info.state}`);
        return messageOf(broker, queue, id, now);
      }
      await client.enqueue(task, {
        ...(state === "completed" ? { retention: HOUR } : {}),
        ...placed,
      });
      const active = await activate(queue, id);
      if (state === "active") return active;
      if (state === "retry") {
        const message = { ...active, retried: 1, lastError: "boom", lastFailedAt: now };
        await mustApply(broker.retry({ message, retryAt: now + MINUTE, isFailure: true, now }));
        return message;
      }
      if (state === "archived") {
        const message = { ...active, lastError: "boom", lastFailedAt: now };
        await mustApply(broker.archive({ message, trim: defaultArchiveTrim(now), now }));
        return message;
      }
      const message = { ...active, completedAt: now };
      await mustApply(broker.markComplete({ message, expiresAt: now + message.retention, now }));
      return message;
    };

    current = {
      broker,
      clock,
      client,
      inspector,
      expect: test.expect,
      now: () => clock.now(),
      place,
      activate,
    };
  });

  test.afterEach(async () => {
    const ctx = current;
    current = undefined;
    if (ctx === undefined) return;
    await ctx.inspector.close();
    await ctx.client.close();
    if (options.destroyBroker) await options.destroyBroker(ctx.broker);
    else await ctx.broker.close();
  });

  body(() => {
    if (current === undefined) throw new Error("inspector context used outside a test");
    return current;
  });
}

async function mustApply(result: Promise<{ ok: boolean }>): Promise<void> {
  if (!(await result).ok) throw new Error("place: a worker edge was refused");
}

async function messageOf(
  broker: Broker,
  queue: string,
  taskId: string,
  now: number,
): Promise<TaskMessage> {
  const found = await broker.getTask({ queue, taskId, now });
  if (!found.ok) throw new Error(`place: ${taskId} not stored (${found.reason})`);
  return found.task.message;
}

/** The error `action` rejects with; fails the test when it succeeds. */
export async function rejection(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** IDs of a list of tasks, in order. */
export function idsOf(tasks: readonly { readonly id: string }[]): string[] {
  return tasks.map((task) => task.id);
}
