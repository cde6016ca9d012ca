// Inspector properties that need to watch or stub the broker: arguments are checked before any
// broker call, the clock's reading and the archive trim reach the port, capabilities gate the
// cluster methods, and workers are joined only to listed servers.
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import {
  type Broker,
  Client,
  DEFAULT_SEARCH_SCAN_LIMIT,
  defaultArchiveTrim,
  Inspector,
  NotSupportedError,
  SECOND,
  Task,
  type WorkerInfo,
} from "@asynq-ts/core";
import { FakeClock } from "@asynq-ts/testing";
import { everyInspectorCall } from "@asynq-ts/testing/conformance";
import { describe, expect, it } from "vitest";

interface Call {
  readonly method: string;
  readonly params: unknown;
}

/** A memory broker whose method calls are recorded, with some members replaced. */
function watchedBroker(overrides: Partial<Record<keyof Broker, unknown>> = {}) {
  const inner = createMemoryBroker();
  const calls: Call[] = [];
  const broker = new Proxy(inner, {
    get(target, property, receiver) {
      const value =
        property in overrides
          ? overrides[property as keyof Broker]
          : Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push({ method: String(property), params: args[0] });
        return value.apply(target, args);
      };
    },
  }) as Broker;
  const clock = new FakeClock();
  const inspector = new Inspector(broker, { clock });
  const client = new Client(broker, { clock });
  return { broker, calls, clock, inspector, client };
}

const locatingCapabilities = {
  ...createMemoryBroker().capabilities,
  queueLocation: true,
};

describe("Inspector over a watched memory broker", () => {
  it("checks every argument before calling the broker", async () => {
    const { inspector, calls } = watchedBroker();
    const blankQueue = [
      () => inspector.queueInfo(""),
      () => inspector.history(" ", 3),
      () => inspector.listTasks("", "pending"),
      () => inspector.searchTasks("", "pending"),
      () => inspector.deleteAll("", "pending"),
      () => inspector.deleteQueue(" ", { force: true }),
      () => inspector.clusterKeySlot(""),
    ];
    const badOther = [
      () => inspector.history("default", 0),
      () => inspector.taskInfo("default", ""),
      () => inspector.listTasks("default", "aggregating"),
      () => inspector.listPendingTasks("default", { page: Number.POSITIVE_INFINITY }),
      () => inspector.searchTasks("default", "pending", { scanLimit: -1 }),
      () => inspector.runAll("default", "scheduled", { group: "g" }),
      () => inspector.updateTaskPayload("default", "t", null as unknown as string),
      () => inspector.cancelProcessing(" "),
      () => inspector.schedulerEnqueueEvents("", { page: 1 }),
    ];
    for (const action of [...blankQueue, ...badOther]) {
      await expect(action()).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    }
    expect(calls).toEqual([]);
  });

  it("passes the injected clock's reading and the default archive trim", async () => {
    const { inspector, calls, clock, client } = watchedBroker();
    clock.advance(7 * SECOND);
    await client.enqueue(new Task("x"), { taskId: "a" });
    await client.enqueue(new Task("x"), { taskId: "b" });
    calls.length = 0;
    await inspector.archiveTask("default", "a");
    await inspector.archiveAll("default", "pending");
    const now = clock.now();
    const trim = defaultArchiveTrim(now);
    expect(calls).toEqual([
      { method: "archiveTask", params: { queue: "default", taskId: "a", trim, now } },
      { method: "archiveAll", params: { queue: "default", state: "pending", trim, now } },
    ]);
  });

  it("a closed inspector calls nothing on the broker", async () => {
    const { inspector, calls } = watchedBroker();
    await inspector.close();
    for (const call of Object.values(everyInspectorCall(inspector))) {
      await expect(call()).rejects.toMatchObject({ code: "BROKER_CLOSED" });
    }
    expect(calls).toEqual([]);
  });

  it("searches read in chunks and stop one task past the scan limit", async () => {
    const { inspector, calls, client } = watchedBroker();
    const items = Array.from({ length: 8 }, (_, i) => new Task(`t${i}`));
    await client.enqueueBulk(items);
    calls.length = 0;
    const found = await inspector.searchTasks("default", "pending", { type: "t7", scanLimit: 3 });
    expect(found).toEqual({ tasks: [], scanned: 3, truncated: true });
    const reads = calls.map((c) => c.params as { offset: number; limit: number });
    expect(reads.map(({ offset, limit }) => ({ offset, limit }))).toEqual([
      { offset: 0, limit: 4 },
    ]);
    expect(DEFAULT_SEARCH_SCAN_LIMIT).toBe(10_000);
  });

  it("cluster methods throw NotSupportedError unless capabilities.queueLocation is set", async () => {
    const location = { keySlot: 1234, nodes: [{ id: "n1", address: "10.0.0.1:7000" }] };
    const without = watchedBroker({ queueLocation: async () => location });
    await expect(without.inspector.clusterKeySlot("default")).rejects.toBeInstanceOf(
      NotSupportedError,
    );
    const declaredOnly = watchedBroker({ capabilities: locatingCapabilities });
    await expect(declaredOnly.inspector.clusterNodes("default")).rejects.toMatchObject({
      code: "NOT_SUPPORTED",
    });
    const located = watchedBroker({
      capabilities: locatingCapabilities,
      queueLocation: async () => location,
    });
    expect(await located.inspector.clusterKeySlot("critical")).toBe(1234);
    expect(await located.inspector.clusterNodes("critical")).toEqual(location.nodes);
    expect(located.calls).toEqual([
      { method: "queueLocation", params: { queue: "critical" } },
      { method: "queueLocation", params: { queue: "critical" } },
    ]);
  });

  it("sorts queue and group names whatever order the broker reports them in", async () => {
    const { inspector } = watchedBroker({
      listQueues: async () => ["low", "critical", "default"],
      groupStats: async () => ({
        ok: true,
        groups: [
          { group: "b", size: 1 },
          { group: "a", size: 2 },
        ],
      }),
    });
    expect(await inspector.queues()).toEqual(["critical", "default", "low"]);
    expect(await inspector.groups("default")).toEqual([
      { group: "a", size: 2 },
      { group: "b", size: 1 },
    ]);
  });

  it("servers() drops workers whose server is not listed", async () => {
    const stray: WorkerInfo = {
      host: "gone",
      pid: 1,
      serverId: "old",
      taskId: "t",
      taskType: "x",
      taskPayload: new Uint8Array(),
      queue: "default",
      startedAt: 1,
      deadline: 0,
    };
    const { inspector, broker, clock } = watchedBroker({ listWorkers: async () => [stray] });
    const now = clock.now();
    const server = {
      host: "h",
      pid: 2,
      serverId: "live",
      concurrency: 1,
      queues: { default: 1 },
      strictPriority: false,
      status: "active",
      startedAt: now,
      activeWorkerCount: 0,
    };
    await broker.writeServerState({ server, workers: [], ttl: 10 * SECOND, now });
    const [only, ...rest] = await inspector.servers();
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ id: "live", activeWorkers: [] });
  });
});
