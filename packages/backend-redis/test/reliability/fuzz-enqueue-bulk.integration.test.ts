import { createMemoryBroker } from "@asynq-ts/backend-memory";
import {
  AsynqError,
  type Broker,
  type BulkItem,
  Client,
  type PayloadInput,
  Task,
  type TaskOptions,
} from "@asynq-ts/core";
import { FakeClock } from "@asynq-ts/testing";
import { type EnqueueInput, enqueueInput, optionsInput } from "@asynq-ts/testing/model";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  expectInfoOfInput,
  expectRefusal,
  expectStored,
  NOW,
  withinDeadline,
} from "./support/fuzz-oracle.js";
import { useRedisTargets } from "./support/redis-targets.js";

// Fuzzed Client.enqueueBulk: results are aligned with the items; each accepted item is stored
// exactly, each refused one carries a coded AsynqError and leaves nothing behind — the broker
// holds exactly the accepted tasks and registers exactly their queues.

const SOAK = process.env.SOAK === "1";
const RUNS = SOAK ? 1_000 : 50;
const SEED = Number(process.env.SOAK_SEED ?? (SOAK ? Date.now() % 2 ** 31 : 20_261_125));

const redisBroker = useRedisTargets();
const brokers = {
  memory: () => createMemoryBroker(),
  "redis standalone": () => redisBroker("standalone (ioredis)"),
} as const;

const figures = { accepted: 0, refused: 0 };
afterAll(() => {
  console.log(`fuzzed bulk items: ${figures.accepted} accepted, ${figures.refused} refused`);
});

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The options an item ends up with: its own over the shared ones, headers merged. */
function mergedOptions(shared: unknown, own: unknown): unknown {
  if (shared === undefined) return own;
  if (own === undefined) return shared;
  if (!isObject(shared) || !isObject(own)) return own; // refused either way
  const merged: Record<string, unknown> = Object.fromEntries([
    ...Object.entries(shared),
    ...Object.entries(own),
  ]);
  if ("headers" in shared || "headers" in own) {
    const entries = [shared.headers, own.headers].flatMap((h) =>
      isObject(h) ? Object.entries(h) : [],
    );
    merged.headers = Object.fromEntries(entries);
  }
  return merged;
}

/** How many tasks the broker holds in every registered queue. */
async function storedTaskCount(broker: Broker): Promise<number> {
  let count = 0;
  for (const queue of await broker.listQueues()) {
    const result = await broker.queueStats({ queue, now: NOW });
    if (result.ok)
      count += result.stats.pending + result.stats.scheduled + result.stats.aggregating;
  }
  return count;
}

async function fuzzBulk(broker: Broker, inputs: readonly EnqueueInput[], shared: unknown) {
  const client = new Client(broker, { clock: new FakeClock(NOW) });
  const items: BulkItem[] = [];
  const effective: EnqueueInput[] = [];
  for (const input of inputs) {
    try {
      const task = new Task(
        input.type as string,
        input.payload as PayloadInput,
        input.taskOptions as TaskOptions,
      );
      items.push({ task, options: input.enqueueOptions as TaskOptions });
      effective.push({
        ...input,
        enqueueOptions: mergedOptions(shared, input.enqueueOptions),
      });
    } catch (error) {
      expectRefusal(error);
      figures.refused += 1;
    }
  }
  const results = await withinDeadline(client.enqueueBulk(items, shared as TaskOptions));
  expect(results).toHaveLength(items.length);
  const accepted = new Set<string>();
  for (const [index, result] of results.entries()) {
    if (result.ok) {
      figures.accepted += 1;
      accepted.add(result.info.queue);
      expectInfoOfInput(effective[index]!, result.info);
      await expectStored(broker, effective[index]!, result.info);
    } else {
      figures.refused += 1;
      expect(AsynqError.isInstance(result.error)).toBe(true);
      expectRefusal(result.error);
    }
  }
  // Nothing but the accepted tasks was written, and only their queues were registered.
  expect(await storedTaskCount(broker)).toBe(results.filter((r) => r.ok).length);
  expect(await broker.listQueues()).toEqual([...accepted].sort());
}

describe.each(Object.keys(brokers) as (keyof typeof brokers)[])(
  "fuzzed enqueueBulk on %s",
  (name) => {
    it(
      `${RUNS} bulk calls of up to 5 items are stored exactly or refused per item (seed ${SEED})`,
      async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(enqueueInput(NOW), { minLength: 1, maxLength: 5 }),
            fc.oneof(fc.constant(undefined), optionsInput(NOW)),
            async (inputs, shared) => {
              const broker = brokers[name]();
              try {
                await fuzzBulk(broker, inputs, shared);
              } finally {
                await broker.close();
              }
            },
          ),
          { numRuns: RUNS, seed: SEED },
        );
      },
      SOAK ? 3_600_000 : 120_000,
    );
  },
);
