import { createMemoryBroker } from "@asynq-ts/backend-memory";
import {
  type Broker,
  Client,
  defaultRetryDelay,
  type EnqueueRequest,
  type Handler,
  type IdGenerator,
  type RetryDelayFn,
  type ServeMux,
  seededRandom,
  type TaskMessage,
  type TaskState,
} from "@asynq-ts/core";
import { FakeClock } from "./fake-clock.js";
import { type AttemptRecord, runUntilIdle } from "./run-until-idle.js";

/** Options of `createTestKit`. */
export interface TestKitOptions {
  /** Where the fake clock starts. @default 2030-01-01T00:00:00Z */
  readonly start?: Date | number;
  /** Task ID source. @default UUID v4 */
  readonly ids?: IdGenerator;
  /** Retry delay used by `runUntilIdle`. @default asynq's formula with a seeded random */
  readonly retryDelay?: RetryDelayFn;
  /** False means "retry without counting". @default every error counts */
  readonly isFailure?: (error: unknown) => boolean;
}

/** A recorded enqueue: the stored message and where it went. */
export interface EnqueuedTask {
  readonly message: TaskMessage;
  readonly state: TaskState;
}

/** Filter of `expectEnqueued`; a string or object payload is compared with the payload text / JSON. */
export interface EnqueuedFilter {
  readonly queue?: string;
  readonly state?: TaskState;
  readonly payload?: Uint8Array | string | object;
}

/** Memory broker, fake clock, client and helpers for testing an application's use of asynq-ts. */
export interface TestKit extends AsyncDisposable {
  readonly clock: FakeClock;
  readonly broker: Broker;
  readonly client: Client;
  /** Every task stored through this kit's broker, in enqueue order (refused enqueues are not recorded). */
  readonly enqueued: readonly EnqueuedTask[];
  /** Returns the first recorded enqueue of `type` matching `filter`, or throws describing what was enqueued. */
  expectEnqueued(type: string, filter?: EnqueuedFilter): EnqueuedTask;
  /** Processes every due task with `handler`, jumping the clock through schedules and retries. */
  runUntilIdle(
    handler: Handler | ServeMux,
    options?: { maxAttempts?: number },
  ): Promise<AttemptRecord[]>;
  close(): Promise<void>;
}

const decoder = new TextDecoder();

function payloadMatches(actual: Uint8Array, expected: Uint8Array | string | object): boolean {
  if (expected instanceof Uint8Array) {
    return actual.length === expected.length && actual.every((b, i) => b === expected[i]);
  }
  const text = decoder.decode(actual);
  if (typeof expected === "string") return text === expected;
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(expected);
  } catch {
    return false;
  }
}

/** Records successful enqueues on their way to the real broker. */
function recording(broker: Broker, log: EnqueuedTask[]): Broker {
  const record = (request: EnqueueRequest) =>
    log.push({ message: request.message, state: request.placement.state });
  return new Proxy(broker, {
    get(target, property, receiver) {
      if (property === "enqueue") {
        return async (params: Parameters<Broker["enqueue"]>[0]) => {
          const result = await target.enqueue(params);
          if (result.ok) record(params);
          return result;
        };
      }
      if (property === "enqueueBulk") {
        return async (params: Parameters<Broker["enqueueBulk"]>[0]) => {
          const results = await target.enqueueBulk(params);
          results.forEach((r, i) => {
            const request = params.requests[i];
            if (r.ok && request !== undefined) record(request);
          });
          return results;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Everything an application test needs, without Redis and without sleeping:
 * ```ts
 * const kit = createTestKit();
 * await signup(kit.client, "a@b.c");
 * kit.expectEnqueued("email:deliver", { queue: "critical" });
 * await kit.runUntilIdle(mux);
 * ```
 */
export function createTestKit(options: TestKitOptions = {}): TestKit {
  const clock = new FakeClock(options.start);
  const log: EnqueuedTask[] = [];
  const broker = recording(createMemoryBroker(), log);
  const client = new Client(
    broker,
    options.ids === undefined ? { clock } : { clock, ids: options.ids },
  );
  const random = seededRandom(1);
  const retryDelay: RetryDelayFn = options.retryDelay ?? ((n) => defaultRetryDelay(n, random));
  const kit: TestKit = {
    clock,
    broker,
    client,
    enqueued: log,
    expectEnqueued(type, filter = {}) {
      const found = log.find(
        (t) =>
          t.message.type === type &&
          (filter.queue === undefined || t.message.queue === filter.queue) &&
          (filter.state === undefined || t.state === filter.state) &&
          (filter.payload === undefined || payloadMatches(t.message.payload, filter.payload)),
      );
      if (found === undefined) {
        const seen =
          log.map((t) => `${t.message.type}@${t.message.queue}(${t.state})`).join(", ") ||
          "nothing";
        throw new Error(
          `expected a ${JSON.stringify(type)} task matching ${JSON.stringify(filter)}; enqueued: ${seen}`,
        );
      }
      return found;
    },
    runUntilIdle(handler, runOptions = {}) {
      return runUntilIdle({
        broker,
        clock,
        handler,
        retryDelay,
        ...(options.isFailure === undefined ? {} : { isFailure: options.isFailure }),
        ...(runOptions.maxAttempts === undefined ? {} : { maxAttempts: runOptions.maxAttempts }),
      });
    },
    async close() {
      await client.close();
      await broker.close();
    },
    async [Symbol.asyncDispose]() {
      await kit.close();
    },
  };
  return kit;
}
