import type { SchedulerEnqueueEvent, SchedulerEntry, ServerInfo, WorkerInfo } from "@asynq-ts/core";
import { HOUR, MINUTE, SECOND } from "@asynq-ts/core";
import { type ConformanceOptions, type SuiteContext, withContext } from "./harness.js";

/** A short TTL, so expiry tests that really wait (server-side TTLs) stay quick. */
const SHORT_TTL = SECOND;
/** A TTL no test outlives. */
const LONG_TTL = HOUR;

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A record with its byte fields as plain numbers, so equality compares them by value. */
function plain<T extends object>(record: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = value instanceof Uint8Array ? Array.from(value) : value;
  }
  return out;
}

/** Records in a stable order (by `key`) and comparable form. */
function sortedPlain<T extends object>(
  records: readonly T[],
  key: keyof T,
): Record<string, unknown>[] {
  return [...records].sort((a, b) => String(a[key]).localeCompare(String(b[key]))).map(plain);
}

function server(ctx: SuiteContext, serverId: string, fields: Partial<ServerInfo> = {}): ServerInfo {
  return {
    host: "host-a",
    pid: 4242,
    serverId,
    concurrency: 10,
    queues: { critical: 6, default: 3, low: 1 },
    strictPriority: false,
    status: "active",
    startedAt: ctx.now() - MINUTE,
    activeWorkerCount: 0,
    ...fields,
  };
}

function worker(ctx: SuiteContext, owner: ServerInfo, taskId: string): WorkerInfo {
  return {
    host: owner.host,
    pid: owner.pid,
    serverId: owner.serverId,
    taskId,
    taskType: "email:send",
    taskPayload: encode(`{"task":"${taskId}"}`),
    queue: "default",
    startedAt: ctx.now() - 5 * SECOND,
    deadline: ctx.now() + 25 * SECOND,
  };
}

function entry(
  ctx: SuiteContext,
  id: string,
  fields: Partial<SchedulerEntry> = {},
): SchedulerEntry {
  return {
    id,
    spec: "@every 30s",
    taskType: "report:daily",
    taskPayload: encode(`{"entry":"${id}"}`),
    enqueueOptions: ['Queue("critical")', "MaxRetry(5)"],
    nextEnqueueAt: ctx.now() + 30 * SECOND,
    prevEnqueueAt: 0,
    ...fields,
  };
}

/** Records one event per task ID, one second apart, keeping at most `maxEvents`. */
async function recordEvents(
  ctx: SuiteContext,
  entryId: string,
  taskIds: readonly string[],
  maxEvents = 1000,
): Promise<SchedulerEnqueueEvent[]> {
  const events: SchedulerEnqueueEvent[] = [];
  for (const taskId of taskIds) {
    const event = { taskId, enqueuedAt: ctx.now() };
    await ctx.broker.recordSchedulerEvent({ entryId, event, maxEvents, now: ctx.now() });
    events.push(event);
    ctx.clock.advance(SECOND);
  }
  return events;
}

async function eventIds(
  ctx: SuiteContext,
  entryId: string,
  offset = 0,
  limit = 100,
): Promise<string[]> {
  const events = await ctx.broker.listSchedulerEvents({ entryId, offset, limit });
  return events.map((e) => e.taskId);
}

/** Conformance: server, worker and scheduler liveness records and scheduler history (reference §8 71–75). */
export function describeLivenessConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("liveness", () => {
    withContext(options, (ctx) => {
      it("writeServerState stores the server and its workers for listing", async () => {
        const { broker, expect } = ctx();
        const info = server(ctx(), "server-1", { activeWorkerCount: 2 });
        const workers = [worker(ctx(), info, "task-b"), worker(ctx(), info, "task-a")];
        await broker.writeServerState({ server: info, workers, ttl: LONG_TTL, now: ctx().now() });
        const servers = await broker.listServers({ now: ctx().now() });
        expect(servers.map(plain)).toEqual([plain(info)]);
        const listed = await broker.listWorkers({ now: ctx().now() });
        expect(sortedPlain(listed, "taskId")).toEqual(sortedPlain(workers, "taskId"));
      });

      it("writing server state again replaces the record and the workers", async () => {
        const { broker, expect } = ctx();
        const first = server(ctx(), "server-1", { activeWorkerCount: 2 });
        const workers = [worker(ctx(), first, "task-1"), worker(ctx(), first, "task-2")];
        await broker.writeServerState({ server: first, workers, ttl: LONG_TTL, now: ctx().now() });
        ctx().clock.advance(5 * SECOND);
        const second = { ...first, status: "stopped", activeWorkerCount: 1 };
        const remaining = [worker(ctx(), second, "task-3")];
        await broker.writeServerState({
          server: second,
          workers: remaining,
          ttl: LONG_TTL,
          now: ctx().now(),
        });
        expect((await broker.listServers({ now: ctx().now() })).map(plain)).toEqual([
          plain(second),
        ]);
        expect((await broker.listWorkers({ now: ctx().now() })).map(plain)).toEqual(
          remaining.map(plain),
        );
      });

      it("server and worker records vanish once their TTL passes", async () => {
        const { broker, expect } = ctx();
        const info = server(ctx(), "server-1");
        const workers = [worker(ctx(), info, "task-1")];
        await broker.writeServerState({ server: info, workers, ttl: SHORT_TTL, now: ctx().now() });
        expect(await broker.listServers({ now: ctx().now() })).toHaveLength(1);
        await ctx().elapse(SHORT_TTL + SECOND);
        expect(await broker.listServers({ now: ctx().now() })).toEqual([]);
        expect(await broker.listWorkers({ now: ctx().now() })).toEqual([]);
      });

      it("clearServerState removes only that server's records", async () => {
        const { broker, expect } = ctx();
        const gone = server(ctx(), "server-1");
        const kept = server(ctx(), "server-2", { host: "host-b", pid: 7 });
        const now = ctx().now();
        await broker.writeServerState({
          server: gone,
          workers: [worker(ctx(), gone, "t-1")],
          ttl: LONG_TTL,
          now,
        });
        await broker.writeServerState({
          server: kept,
          workers: [worker(ctx(), kept, "t-2")],
          ttl: LONG_TTL,
          now,
        });
        await broker.clearServerState({ host: gone.host, pid: gone.pid, serverId: gone.serverId });
        expect((await broker.listServers({ now })).map(plain)).toEqual([plain(kept)]);
        expect((await broker.listWorkers({ now })).map((w) => w.taskId)).toEqual(["t-2"]);
      });

      it("listServers and listWorkers cover every live server", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const servers = [
          server(ctx(), "server-b", { host: "host-b", activeWorkerCount: 1 }),
          server(ctx(), "server-a", {
            status: "stopped",
            strictPriority: true,
            queues: { default: 1 },
          }),
          server(ctx(), "server-c", { host: "host-c", pid: 1, concurrency: 1 }),
        ];
        const workers = servers.map((s, i) => [worker(ctx(), s, `task-${i}`)]);
        for (const [i, s] of servers.entries()) {
          await broker.writeServerState({
            server: s,
            workers: workers[i] ?? [],
            ttl: LONG_TTL,
            now,
          });
        }
        expect(sortedPlain(await broker.listServers({ now }), "serverId")).toEqual(
          sortedPlain(servers, "serverId"),
        );
        expect(sortedPlain(await broker.listWorkers({ now }), "taskId")).toEqual(
          sortedPlain(workers.flat(), "taskId"),
        );
      });

      it("writeSchedulerEntries stores a scheduler's entries and a rewrite replaces them", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const entries = [
          entry(ctx(), "entry-b"),
          entry(ctx(), "entry-a", { prevEnqueueAt: now - 30 * SECOND }),
        ];
        await broker.writeSchedulerEntries({ schedulerId: "sched-1", entries, ttl: LONG_TTL, now });
        expect(sortedPlain(await broker.listSchedulerEntries({ now }), "id")).toEqual(
          sortedPlain(entries, "id"),
        );
        const replaced = [entry(ctx(), "entry-c", { spec: "0 * * * *", enqueueOptions: [] })];
        await broker.writeSchedulerEntries({
          schedulerId: "sched-1",
          entries: replaced,
          ttl: LONG_TTL,
          now,
        });
        expect((await broker.listSchedulerEntries({ now })).map(plain)).toEqual(
          replaced.map(plain),
        );
      });

      it("listSchedulerEntries covers every scheduler and clearSchedulerEntries removes one", async () => {
        const { broker, expect } = ctx();
        const now = ctx().now();
        const first = [entry(ctx(), "entry-1")];
        const second = [entry(ctx(), "entry-2"), entry(ctx(), "entry-3")];
        await broker.writeSchedulerEntries({
          schedulerId: "sched-1",
          entries: first,
          ttl: LONG_TTL,
          now,
        });
        await broker.writeSchedulerEntries({
          schedulerId: "sched-2",
          entries: second,
          ttl: LONG_TTL,
          now,
        });
        const all = (await broker.listSchedulerEntries({ now })).map((e) => e.id).sort();
        expect(all).toEqual(["entry-1", "entry-2", "entry-3"]);
        await broker.clearSchedulerEntries({ schedulerId: "sched-1" });
        const left = (await broker.listSchedulerEntries({ now })).map((e) => e.id).sort();
        expect(left).toEqual(["entry-2", "entry-3"]);
      });

      it("scheduler entries vanish once their TTL passes", async () => {
        const { broker, expect } = ctx();
        const entries = [entry(ctx(), "entry-1")];
        await broker.writeSchedulerEntries({
          schedulerId: "sched-1",
          entries,
          ttl: SHORT_TTL,
          now: ctx().now(),
        });
        expect(await broker.listSchedulerEntries({ now: ctx().now() })).toHaveLength(1);
        await ctx().elapse(SHORT_TTL + SECOND);
        expect(await broker.listSchedulerEntries({ now: ctx().now() })).toEqual([]);
      });

      it("listSchedulerEvents returns an entry's events newest first", async () => {
        const { broker, expect } = ctx();
        const events = await recordEvents(ctx(), "entry-1", ["t-1", "t-2", "t-3"]);
        const listed = await broker.listSchedulerEvents({
          entryId: "entry-1",
          offset: 0,
          limit: 10,
        });
        expect(listed).toEqual([...events].reverse());
      });

      it("recordSchedulerEvent keeps only the newest maxEvents events", async () => {
        const { expect } = ctx();
        await recordEvents(ctx(), "entry-1", ["t-1", "t-2", "t-3", "t-4", "t-5"], 3);
        expect(await eventIds(ctx(), "entry-1")).toEqual(["t-5", "t-4", "t-3"]);
      });

      it("listSchedulerEvents pages with offset and limit", async () => {
        const { expect } = ctx();
        await recordEvents(ctx(), "entry-1", ["t-1", "t-2", "t-3", "t-4"]);
        expect(await eventIds(ctx(), "entry-1", 1, 2)).toEqual(["t-3", "t-2"]);
        expect(await eventIds(ctx(), "entry-1", 3, 2)).toEqual(["t-1"]);
        expect(await eventIds(ctx(), "entry-1", 4, 2)).toEqual([]);
      });

      it("scheduler histories are kept per entry and clearSchedulerHistory deletes one", async () => {
        const { broker, expect } = ctx();
        await recordEvents(ctx(), "entry-1", ["t-1", "t-2"]);
        await recordEvents(ctx(), "entry-2", ["t-3"]);
        expect(await eventIds(ctx(), "entry-1")).toEqual(["t-2", "t-1"]);
        expect(await eventIds(ctx(), "entry-2")).toEqual(["t-3"]);
        await broker.clearSchedulerHistory({ entryId: "entry-1" });
        expect(await eventIds(ctx(), "entry-1")).toEqual([]);
        expect(await eventIds(ctx(), "entry-2")).toEqual(["t-3"]);
      });
    });
  });
}
