import { DEFAULTS } from "@asynq-ts/core";
import { type ConformanceOptions, enqueueRequest, withContext } from "./harness.js";

/**
 * Waits (really: delivery may be asynchronous) until `done` holds, checking every 10 ms for at
 * most 2 s. Returns whether it held; tests assert on what was delivered, not on timing.
 */
async function eventually(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !done(); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return done();
}

/** Conformance: ping, capabilities, close, and cancellation announcements. */
export function describeLifecycleConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("lifecycle", () => {
    withContext(options, (ctx) => {
      it("ping resolves on an open broker", async () => {
        const { broker, expect } = ctx();
        await expect(broker.ping()).resolves.toBeUndefined();
      });

      it("capabilities declare every field with its type", () => {
        const { broker, expect } = ctx();
        const caps = broker.capabilities;
        for (const flag of [
          "blockingDequeue",
          "crossProcessCancellation",
          "serverSideTtl",
          "memoryUsage",
          "queueLocation",
        ] as const) {
          expect(typeof caps[flag], flag).toBe("boolean");
        }
        expect(Number.isInteger(caps.timePrecision)).toBe(true);
        expect(caps.timePrecision).toBeGreaterThan(0);
        // A broker that claims queue locations must offer the optional method.
        if (caps.queueLocation) expect(typeof broker.queueLocation).toBe("function");
      });

      it("close is idempotent", async () => {
        const { broker, expect } = ctx();
        await broker.close();
        await expect(broker.close()).resolves.toBeUndefined();
      });

      it("after close every call rejects with BROKER_CLOSED", async () => {
        const { broker, expect } = ctx();
        const message = ctx().message();
        await broker.close();
        const now = ctx().now();
        const closed = { code: "BROKER_CLOSED" };
        await expect(
          broker.enqueue({ ...enqueueRequest(message, now), now }),
        ).rejects.toMatchObject(closed);
        await expect(
          broker.dequeue({ queues: ["default"], leaseUntil: now + DEFAULTS.lease, now }),
        ).rejects.toMatchObject(closed);
        await expect(broker.queueStats({ queue: "default", now })).rejects.toMatchObject(closed);
        await expect(broker.listQueues()).rejects.toMatchObject(closed);
        await expect(broker.listServers({ now })).rejects.toMatchObject(closed);
        await expect(broker.publishCancellation({ taskId: "t" })).rejects.toMatchObject(closed);
        await expect(broker.ping()).rejects.toMatchObject(closed);
      });

      it("a subscriber receives every published cancellation", async () => {
        const { broker, expect } = ctx();
        const received: string[] = [];
        const subscription = await broker.subscribeCancellations((id) => received.push(id));
        await broker.publishCancellation({ taskId: "task-1" });
        await broker.publishCancellation({ taskId: "task-2" });
        expect(await eventually(() => received.length >= 2)).toBe(true);
        expect([...received].sort()).toEqual(["task-1", "task-2"]);
        await subscription.close();
      });

      it("every subscriber receives each cancellation", async () => {
        const { broker, expect } = ctx();
        const first: string[] = [];
        const second: string[] = [];
        const subscriptions = [
          await broker.subscribeCancellations((id) => first.push(id)),
          await broker.subscribeCancellations((id) => second.push(id)),
        ];
        await broker.publishCancellation({ taskId: "task-1" });
        expect(await eventually(() => first.length >= 1 && second.length >= 1)).toBe(true);
        expect([first, second]).toEqual([["task-1"], ["task-1"]]);
        for (const subscription of subscriptions) await subscription.close();
      });

      it("a closed subscription receives nothing more", async () => {
        const { broker, expect } = ctx();
        const stopped: string[] = [];
        const witness: string[] = [];
        const closing = await broker.subscribeCancellations((id) => stopped.push(id));
        const open = await broker.subscribeCancellations((id) => witness.push(id));
        await broker.publishCancellation({ taskId: "before" });
        expect(await eventually(() => stopped.length >= 1 && witness.length >= 1)).toBe(true);
        await closing.close();
        await broker.publishCancellation({ taskId: "after" });
        // Once the open subscription has the second ID, the closed one would have it too.
        expect(await eventually(() => witness.length >= 2)).toBe(true);
        expect(witness).toEqual(["before", "after"]);
        expect(stopped).toEqual(["before"]);
        await open.close();
      });

      it("publishing with no subscriber resolves and is not delivered later", async () => {
        const { broker, expect } = ctx();
        await broker.publishCancellation({ taskId: "unheard" });
        const received: string[] = [];
        const subscription = await broker.subscribeCancellations((id) => received.push(id));
        await broker.publishCancellation({ taskId: "heard" });
        expect(await eventually(() => received.length >= 1)).toBe(true);
        expect(received).toEqual(["heard"]);
        await subscription.close();
      });

      it("close resolves while a subscription is open", async () => {
        const { broker, expect } = ctx();
        await broker.subscribeCancellations(() => {});
        await expect(broker.close()).resolves.toBeUndefined();
      });
    });
  });
}
