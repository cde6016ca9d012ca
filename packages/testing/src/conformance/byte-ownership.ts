import type { SchedulerEntry, ServerInfo, WorkerInfo } from "@asynq-ts/core";
import { DEFAULTS, HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import { bytes, encode, listed, mustSucceed, recordOf } from "./fixtures.js";
import { type ConformanceOptions, withContext } from "./harness.js";

// Byte fields cross the port by value: a broker keeps no reference to bytes it is given and
// hands out Uint8Arrays (of any subclass) that the caller owns, so zeroing either side's copy
// changes nothing stored. Handlers and dashboards may reuse or scribble on the buffers.

/** Conformance: payloads, results and liveness payloads are copied in and out. */
export function describeByteOwnershipConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("byte ownership", () => {
    withContext(options, (ctx) => {
      it("stores a copy of a payload and hands out copies from every read", async () => {
        const { broker, expect } = ctx();
        const given = encode("original");
        const message = await ctx().enqueue({ payload: given });
        given.fill(0);
        const stored = bytes(encode("original"));

        const record = await recordOf(ctx(), message.id);
        expect(record.message.payload).toBeInstanceOf(Uint8Array);
        expect(bytes(record.message.payload)).toEqual(stored);
        record.message.payload.fill(0);

        const [listedRecord] = await listed(ctx(), { state: "pending" });
        expect(listedRecord?.message.payload).toBeInstanceOf(Uint8Array);
        expect(bytes(listedRecord?.message.payload ?? null)).toEqual(stored);
        listedRecord?.message.payload.fill(0);

        const now = ctx().now();
        const got = await broker.dequeue({ queues: ["default"], leaseUntil: now + MINUTE, now });
        expect(got?.message.payload).toBeInstanceOf(Uint8Array);
        expect(bytes(got?.message.payload ?? null)).toEqual(stored);
        got?.message.payload.fill(0);

        expect(bytes((await recordOf(ctx(), message.id)).message.payload)).toEqual(stored);
      });

      it("stores a copy of an updated payload", async () => {
        const { broker, expect } = ctx();
        const processAt = ctx().now() + MINUTE;
        const message = await ctx().enqueue({}, { placement: { state: "scheduled", processAt } });
        const given = encode("updated");
        mustSucceed(
          await broker.updateTaskPayload({
            queue: "default",
            taskId: message.id,
            payload: given,
            now: ctx().now(),
          }),
          "updateTaskPayload",
        );
        given.fill(0);
        expect(bytes((await recordOf(ctx(), message.id)).message.payload)).toEqual(
          bytes(encode("updated")),
        );
      });

      it("stores a copy of a result and hands out copies of it", async () => {
        const { broker, expect } = ctx();
        const active = await ctx().activate({ retention: HOUR });
        const given = new Uint8Array([0, 1, 2, 255]);
        const now = ctx().now();
        mustSucceed(
          await broker.writeResult({ queue: "default", taskId: active.id, result: given, now }),
          "writeResult",
        );
        given.fill(9);
        const first = await recordOf(ctx(), active.id);
        expect(first.result).toBeInstanceOf(Uint8Array);
        expect(bytes(first.result)).toEqual([0, 1, 2, 255]);
        first.result?.fill(9);
        expect(bytes((await recordOf(ctx(), active.id)).result)).toEqual([0, 1, 2, 255]);
      });

      it("stores copies of worker and scheduler-entry payloads and hands out copies", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const server: ServerInfo = {
          host: "host-a",
          pid: 1,
          serverId: "srv",
          concurrency: 1,
          queues: { default: 1 },
          strictPriority: false,
          status: "active",
          startedAt: now,
          activeWorkerCount: 1,
        };
        const worker: WorkerInfo = {
          host: server.host,
          pid: server.pid,
          serverId: server.serverId,
          taskId: "t1",
          taskType: "email:send",
          taskPayload: encode("worker"),
          queue: "default",
          startedAt: now,
          deadline: now + 30 * SECOND,
        };
        const entry: SchedulerEntry = {
          id: "entry-1",
          spec: "@every 30s",
          taskType: "report:build",
          taskPayload: encode("entry"),
          enqueueOptions: [],
          nextEnqueueAt: now + 30 * SECOND,
          prevEnqueueAt: 0,
        };
        await broker.writeServerState({ server, workers: [worker], ttl: DEFAULTS.lease, now });
        await broker.writeSchedulerEntries({
          schedulerId: "s1",
          entries: [entry],
          ttl: DEFAULTS.lease,
          now,
        });
        worker.taskPayload.fill(0);
        entry.taskPayload.fill(0);

        const readBack = async () => ({
          worker: (await broker.listWorkers({ now }))[0]?.taskPayload ?? null,
          entry: (await broker.listSchedulerEntries({ now }))[0]?.taskPayload ?? null,
        });
        const first = await readBack();
        expect(first.worker).toBeInstanceOf(Uint8Array);
        expect(first.entry).toBeInstanceOf(Uint8Array);
        const expected = { worker: bytes(encode("worker")), entry: bytes(encode("entry")) };
        expect({ worker: bytes(first.worker), entry: bytes(first.entry) }).toEqual(expected);
        first.worker?.fill(0);
        first.entry?.fill(0);
        const again = await readBack();
        expect({ worker: bytes(again.worker), entry: bytes(again.entry) }).toEqual(expected);
      });
    });
  });
}
