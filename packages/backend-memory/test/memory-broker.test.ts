import { createMemoryBroker, type MemoryBroker } from "@asynq-ts/backend-memory";
import { AsynqError, type Broker, BrokerClosedError, DEFAULTS, SECOND } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dequeueFrom, enqueuePending, message, settle, T0 } from "./fixtures.js";

let broker: MemoryBroker;

beforeEach(() => {
  broker = createMemoryBroker();
});

afterEach(async () => {
  await broker.close();
});

describe("copy on the way in and out", () => {
  it("keeps the stored payload and headers when the caller mutates what it passed", async () => {
    const payload = new Uint8Array([1, 2, 3]);
    const headers: Record<string, string> = { trace: "a" };
    const msg = message({ payload, headers });
    await broker.enqueue({ message: msg, placement: { state: "pending" }, now: T0 });
    payload[0] = 99;
    headers.trace = "changed";

    const got = await dequeueFrom(broker, "default", T0);
    expect([...got.payload]).toEqual([1, 2, 3]);
    expect(got.headers).toEqual({ trace: "a" });
  });

  it("hands out copies, so mutating a returned message or result changes nothing stored", async () => {
    const msg = await enqueuePending(broker, T0, { payload: new Uint8Array([7]) });
    const result = new Uint8Array([4, 5]);
    await broker.writeResult({ queue: "default", taskId: msg.id, result, now: T0 });
    result[0] = 0;

    const first = await broker.getTask({ queue: "default", taskId: msg.id, now: T0 });
    if (!first.ok) throw new Error(first.reason);
    first.task.message.payload[0] = 42;
    first.task.result?.fill(9);

    const second = await broker.getTask({ queue: "default", taskId: msg.id, now: T0 });
    if (!second.ok) throw new Error(second.reason);
    expect([...second.task.message.payload]).toEqual([7]);
    expect([...(second.task.result ?? [])]).toEqual([4, 5]);
  });

  it("stores a Buffer payload as a detached plain Uint8Array", async () => {
    const buffer = Buffer.from("hello");
    await enqueuePending(broker, T0, { payload: buffer });
    buffer.write("HELLO");
    const got = await dequeueFrom(broker, "default", T0);
    expect(Buffer.isBuffer(got.payload)).toBe(false);
    expect(new TextDecoder().decode(got.payload)).toBe("hello");
  });
});

describe("waitForTasks", () => {
  it("resolves at once when a listed queue already has a pending task", async () => {
    await enqueuePending(broker, T0, { queue: "q" });
    await broker.waitForTasks({ queues: ["other", "q"], timeout: 3_600_000 });
  });

  it("wakes when a task is enqueued into a listed queue, not before", async () => {
    let woken = false;
    const waiting = broker.waitForTasks({ queues: ["a", "b"], timeout: 3_600_000 }).then(() => {
      woken = true;
    });
    await enqueuePending(broker, T0, { queue: "elsewhere" });
    await settle();
    expect(woken).toBe(false);

    await enqueuePending(broker, T0, { queue: "b" });
    await waiting;
    expect(woken).toBe(true);
  });

  it("ignores tasks arriving in a paused queue and wakes on unpause", async () => {
    await broker.pauseQueue({ queue: "q", now: T0 });
    let woken = false;
    const waiting = broker.waitForTasks({ queues: ["q"], timeout: 3_600_000 }).then(() => {
      woken = true;
    });
    await enqueuePending(broker, T0, { queue: "q" });
    await settle();
    expect(woken).toBe(false);

    await broker.unpauseQueue({ queue: "q", now: T0 });
    await waiting;
    expect(woken).toBe(true);
  });

  it("wakes when a requeue, forward or runTask makes a task pending", async () => {
    const active = await enqueuePending(broker, T0, { queue: "q" });
    await dequeueFrom(broker, "q", T0);
    let waiting = broker.waitForTasks({ queues: ["q"], timeout: 3_600_000 });
    await broker.requeue({ queue: "q", taskId: active.id, now: T0 });
    await waiting;

    await dequeueFrom(broker, "q", T0);
    const scheduled = message({ queue: "q" });
    await broker.enqueue({
      message: scheduled,
      placement: { state: "scheduled", processAt: T0 + SECOND },
      now: T0,
    });
    waiting = broker.waitForTasks({ queues: ["q"], timeout: 3_600_000 });
    await broker.forwardDue({ queue: "q", from: "scheduled", limit: 100, now: T0 + SECOND });
    await waiting;

    await dequeueFrom(broker, "q", T0 + SECOND);
    await broker.enqueue({
      message: message({ queue: "q", id: "later" }),
      placement: { state: "scheduled", processAt: T0 + 60 * SECOND },
      now: T0,
    });
    waiting = broker.waitForTasks({ queues: ["q"], timeout: 3_600_000 });
    await broker.runTask({ queue: "q", taskId: "later", now: T0 });
    await waiting;
  });

  it("resolves when its signal aborts, and at once for an aborted signal", async () => {
    const controller = new AbortController();
    const waiting = broker.waitForTasks({
      queues: ["q"],
      timeout: 3_600_000,
      signal: controller.signal,
    });
    controller.abort();
    await waiting;
    await broker.waitForTasks({ queues: ["q"], timeout: 3_600_000, signal: controller.signal });
  });

  it("resolves after its timeout when nothing arrives", async () => {
    await broker.waitForTasks({ queues: ["q"], timeout: 1 });
    expect(await broker.dequeue({ queues: ["q"], leaseUntil: T0, now: T0 })).toBeNull();
  });

  it("resolves when the broker closes", async () => {
    const waiting = broker.waitForTasks({ queues: ["q"], timeout: 3_600_000 });
    await broker.close();
    await waiting;
  });
});

describe("close", () => {
  it("makes every port method reject with BrokerClosedError and is idempotent", async () => {
    await broker.close();
    await broker.close();
    const calls: (() => Promise<unknown>)[] = [
      () => broker.ping(),
      () => broker.enqueue({ message: message(), placement: { state: "pending" }, now: T0 }),
      () => broker.enqueueBulk({ requests: [], now: T0 }),
      () => broker.dequeue({ queues: ["default"], leaseUntil: T0 + DEFAULTS.lease, now: T0 }),
      () => broker.waitForTasks({ queues: ["default"], timeout: 10 }),
      () => broker.listQueues(),
      () => broker.queueStats({ queue: "default", now: T0 }),
      () => broker.listServers({ now: T0 }),
      () => broker.publishCancellation({ taskId: "x" }),
      () => broker.subscribeCancellations(() => {}),
      () => broker.deleteQueue({ queue: "default", force: true, now: T0 }),
    ];
    for (const call of calls) {
      const error: unknown = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BrokerClosedError);
      expect(AsynqError.isInstance(error) && error.code).toBe("BROKER_CLOSED");
    }
  });
});

describe("cancellation", () => {
  it("delivers a published task ID to every open subscription, not to closed ones", async () => {
    const first: string[] = [];
    const second: string[] = [];
    const sub1 = await broker.subscribeCancellations((id) => first.push(id));
    const sub2 = await broker.subscribeCancellations((id) => second.push(id));
    await broker.publishCancellation({ taskId: "a" });
    await sub2.close();
    await broker.publishCancellation({ taskId: "b" });
    await settle();
    expect(first).toEqual(["a", "b"]);
    expect(second).toEqual(["a"]);
    await sub1.close();
  });
});

describe("capabilities", () => {
  it("declares a blocking, in-process, millisecond-precise broker without queue location", () => {
    expect(broker.capabilities).toEqual({
      blockingDequeue: true,
      crossProcessCancellation: false,
      serverSideTtl: false,
      memoryUsage: false,
      queueLocation: false,
      batchDequeue: true,
      timePrecision: 1,
    });
    expect((broker as Broker).queueLocation).toBeUndefined();
  });
});
