// A Broker fake for Client tests: records enqueue calls; any other member Client touches throws.
import type {
  Broker,
  EnqueueBulkParams,
  EnqueueParams,
  EnqueueRefusal,
  Result,
} from "@asynq-ts/core";
import { Client } from "@asynq-ts/core";
import { manualClock, sequentialIds } from "./fixtures.js";

/** A broker that records what Client sends; anything else Client touches throws "not used". */
export function fakeBroker() {
  const enqueueCalls: EnqueueParams[] = [];
  const bulkCalls: EnqueueBulkParams[] = [];
  const touched: string[] = [];
  const replies = {
    enqueue: { ok: true } as Result<EnqueueRefusal>,
    bulk: (params: EnqueueBulkParams): readonly Result<EnqueueRefusal>[] =>
      params.requests.map(() => ({ ok: true })),
  };
  const used = {
    async enqueue(params: EnqueueParams) {
      enqueueCalls.push(params);
      return replies.enqueue;
    },
    async enqueueBulk(params: EnqueueBulkParams) {
      bulkCalls.push(params);
      return replies.bulk(params);
    },
  };
  const broker = new Proxy(used, {
    get(target, property) {
      touched.push(String(property));
      if (property in target) return target[property as keyof typeof target];
      throw new Error(`not used: ${String(property)}`);
    },
  }) as unknown as Broker;
  return { broker, enqueueCalls, bulkCalls, touched, replies };
}

/** A Client over a fresh fake broker, with a manual clock at NOW and ids "id-1", "id-2", … */
export function setup() {
  const fake = fakeBroker();
  const clock = manualClock();
  const ids = sequentialIds();
  const client = new Client(fake.broker, { clock, ids });
  return { ...fake, clock, ids, client };
}
