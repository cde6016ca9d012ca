import { NotSupportedError, SECOND, type ServerInfo, type WorkerInfo } from "@asynq-ts/core";
import {
  bytes,
  comparable,
  type InspectorBehaviourOptions,
  rejection,
  withInspector,
} from "./harness.js";

const TTL = 60 * SECOND;

function server(serverId: string, host: string, pid: number, startedAt: number): ServerInfo {
  return {
    host,
    pid,
    serverId,
    concurrency: 10,
    queues: { default: 1, critical: 6 },
    strictPriority: false,
    status: "active",
    startedAt,
    activeWorkerCount: 0,
  };
}

function worker(of: ServerInfo, taskId: string, startedAt: number): WorkerInfo {
  return {
    host: of.host,
    pid: of.pid,
    serverId: of.serverId,
    taskId,
    taskType: "email:send",
    taskPayload: bytes(taskId),
    queue: "default",
    startedAt,
    deadline: startedAt + 30 * SECOND,
  };
}

/** Servers with their workers, scheduler entries and events, cancellation, cluster location. */
export function describeInspectorLiveness(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("servers, schedulers, cancellation and cluster", () => {
    withInspector(options, (ctx) => {
      it("servers() joins each live server with its own active workers", async () => {
        const { inspector, expect, broker, now } = ctx();
        expect(await inspector.servers()).toEqual([]);
        const t = now();
        // Same host and pid, different server IDs: workers must go to the right one.
        const a = server("srv-a", "host-1", 100, t - 10 * SECOND);
        const b = server("srv-b", "host-1", 100, t - 5 * SECOND);
        const idle = server("srv-c", "host-2", 7, t - 20 * SECOND);
        const workersOfA = [worker(a, "t2", t - 2 * SECOND), worker(a, "t1", t - 3 * SECOND)];
        await broker.writeServerState({ server: a, workers: workersOfA, ttl: TTL, now: t });
        await broker.writeServerState({
          server: b,
          workers: [worker(b, "t3", t)],
          ttl: TTL,
          now: t,
        });
        await broker.writeServerState({ server: idle, workers: [], ttl: TTL, now: t });

        const servers = await inspector.servers();
        expect(servers.map((s) => s.id)).toEqual(["srv-a", "srv-b", "srv-c"]);
        expect(comparable(servers[0])).toEqual(
          comparable({
            id: "srv-a",
            host: "host-1",
            pid: 100,
            concurrency: 10,
            queues: { default: 1, critical: 6 },
            strictPriority: false,
            status: "active",
            startedAt: new Date(t - 10 * SECOND),
            activeWorkers: [
              {
                taskId: "t1",
                taskType: "email:send",
                taskPayload: bytes("t1"),
                queue: "default",
                startedAt: new Date(t - 3 * SECOND),
                deadline: new Date(t + 27 * SECOND),
              },
              {
                taskId: "t2",
                taskType: "email:send",
                taskPayload: bytes("t2"),
                queue: "default",
                startedAt: new Date(t - 2 * SECOND),
                deadline: new Date(t + 28 * SECOND),
              },
            ],
          }),
        );
        expect(servers[1]?.activeWorkers.map((w) => w.taskId)).toEqual(["t3"]);
        expect(servers[2]?.activeWorkers).toEqual([]);

        await broker.clearServerState({ host: "host-1", pid: 100, serverId: "srv-a" });
        expect((await inspector.servers()).map((s) => s.id)).toEqual(["srv-b", "srv-c"]);
      });

      it("schedulerEntries() lists live schedulers' entries with Dates", async () => {
        const { inspector, expect, broker, now } = ctx();
        expect(await inspector.schedulerEntries()).toEqual([]);
        const t = now();
        const entry = {
          id: "entry-1",
          spec: "@every 30s",
          taskType: "report:build",
          taskPayload: bytes("{}"),
          enqueueOptions: ['Queue("critical")', "MaxRetry(3)"],
          nextEnqueueAt: t + 30 * SECOND,
          prevEnqueueAt: 0,
        };
        await broker.writeSchedulerEntries({
          schedulerId: "s1",
          entries: [entry],
          ttl: TTL,
          now: t,
        });
        expect(comparable(await inspector.schedulerEntries())).toEqual(
          comparable([
            {
              id: "entry-1",
              spec: "@every 30s",
              taskType: "report:build",
              taskPayload: bytes("{}"),
              enqueueOptions: ['Queue("critical")', "MaxRetry(3)"],
              nextEnqueueAt: new Date(t + 30 * SECOND),
              prevEnqueueAt: null,
            },
          ]),
        );
      });

      it("schedulerEnqueueEvents() pages an entry's history, newest first", async () => {
        const { inspector, expect, broker, now } = ctx();
        const t = now();
        for (let i = 1; i <= 5; i++) {
          const event = { taskId: `e${i}`, enqueuedAt: t + i * SECOND };
          await broker.recordSchedulerEvent({ entryId: "entry-1", event, maxEvents: 100, now: t });
        }
        const page = async (n: number) =>
          (await inspector.schedulerEnqueueEvents("entry-1", { page: n, pageSize: 2 })).map(
            (e) => e.taskId,
          );
        expect(await page(1)).toEqual(["e5", "e4"]);
        expect(await page(2)).toEqual(["e3", "e2"]);
        expect(await page(3)).toEqual(["e1"]);
        const [newest] = await inspector.schedulerEnqueueEvents("entry-1");
        expect(newest).toEqual({ taskId: "e5", enqueuedAt: new Date(t + 5 * SECOND) });
        expect(await inspector.schedulerEnqueueEvents("unknown")).toEqual([]);
        await expect(inspector.schedulerEnqueueEvents(" ")).rejects.toMatchObject({
          code: "INVALID_ARGUMENT",
          field: "entryId",
        });
      });

      it("cancelProcessing delivers the task ID to cancellation subscribers", async () => {
        const { inspector, expect, broker } = ctx();
        let deliver: (taskId: string) => void = () => {};
        const received = new Promise<string>((resolve) => {
          deliver = resolve;
        });
        const subscription = await broker.subscribeCancellations((taskId) => deliver(taskId));
        try {
          await inspector.cancelProcessing("task-42");
          expect(await received).toBe("task-42");
        } finally {
          await subscription.close();
        }
        await expect(inspector.cancelProcessing("")).rejects.toMatchObject({
          code: "INVALID_ARGUMENT",
          field: "taskId",
        });
      });

      it("clusterKeySlot and clusterNodes follow capabilities.queueLocation", async () => {
        const { inspector, expect, broker, place } = ctx();
        await place("pending");
        if (broker.capabilities.queueLocation) {
          const slot = await inspector.clusterKeySlot("default");
          expect(Number.isInteger(slot) && slot >= 0 && slot < 16_384).toBe(true);
          expect((await inspector.clusterNodes("default")).length).toBeGreaterThan(0);
        } else {
          for (const action of [
            () => inspector.clusterKeySlot("default"),
            () => inspector.clusterNodes("default"),
          ]) {
            const error = await rejection(action);
            expect(error).toBeInstanceOf(NotSupportedError);
            expect(error).toMatchObject({ code: "NOT_SUPPORTED" });
          }
        }
      });
    });
  });
}
