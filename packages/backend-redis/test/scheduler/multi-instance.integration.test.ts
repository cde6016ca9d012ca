// Three scheduler PROCESSES run the same `@every 1s` registration on one real Redis for ~10 s.
// Every fire must be enqueued exactly once (the others see the task ID taken), the slots must be
// consecutive, and the records the schedulers publish must be what Go asynq writes: the
// `schedulers` index zset, one `schedulers:{<id>}` list per instance and the entry's
// `scheduler_history:<entryID>` zset, each protobuf checked with an independent wire reader.
import { fileURLToPath } from "node:url";
import { entryIdentity, fireTaskId, Inspector, parseGoDuration } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRedisBroker, type RedisBroker } from "../../src/index.js";
import { delay, eventually } from "../server/support.js";
import { type ChildScript, killChildScripts, startChildScript } from "../support/child-script.js";
import {
  type FireRecord,
  fireRecordsKey,
  PERIODIC_GO_OPTIONS,
  PERIODIC_QUEUE,
  PERIODIC_SPEC,
  periodicTask,
  SCHEDULER_HEARTBEAT_MS,
} from "../support/scheduler-fixture.js";
import {
  GO_ZERO_SECONDS,
  type GoTimestamp,
  parseGoOption,
  readEnqueueEvent,
  readSchedulerEntry,
} from "../support/scheduler-wire.js";

const PROCESSES = 3;
const RUN_FOR_MS = 10_000;
const PREFIX = "sched";
const PROCESS_SCRIPT = fileURLToPath(new URL("../support/scheduler-process.ts", import.meta.url));

const task = periodicTask();
const ENTRY_ID = entryIdentity({
  spec: PERIODIC_SPEC,
  location: "UTC",
  type: task.type,
  payload: task.payload,
  optionStrings: PERIODIC_GO_OPTIONS,
});
const TASK_ID = new RegExp(`^cron:${ENTRY_ID}:(\\d+)$`);

let redis: RedisServerHandle;
let broker: RedisBroker;
let inspector: Inspector;
let direct: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  broker = createRedisBroker({ url: redis.url, prefix: PREFIX });
  inspector = new Inspector(broker);
  direct = new Redis(redis.url);
});
afterAll(async () => {
  killChildScripts();
  await inspector?.close();
  await broker?.close();
  direct?.disconnect();
  await redis?.stop();
});

/** A running scheduler process. */
interface SchedulerProcess extends ChildScript {
  readonly schedulerId: string;
}

async function startSchedulerProcess(): Promise<SchedulerProcess> {
  const started = await startChildScript(PROCESS_SCRIPT, [redis.url, PREFIX], /^ready (\S+)$/m);
  return { ...started, schedulerId: started.ready[1] ?? "" };
}

const seconds = (epochMs: number) => Math.floor(epochMs / 1000);

/** A Timestamp of a whole-second instant, as Go writes it (nanos omitted), as epoch s. */
function wholeSecond(timestamp: GoTimestamp | undefined): number {
  expect(timestamp).toBeDefined();
  expect(timestamp?.nanos).toBe(0);
  return Number(timestamp?.seconds);
}

/** Checks the raw keys Go asynq's Inspector/CLI read, while the schedulers run. */
async function checkPublishedRecords(schedulerIds: readonly string[]): Promise<void> {
  const indexKey = `${PREFIX}:schedulers`;
  const listKeys = schedulerIds.map((id) => `${PREFIX}:schedulers:{${id}}`);
  expect(await direct.type(indexKey)).toBe("zset");
  const index = await direct.zrange(indexKey, 0, -1, "WITHSCORES");
  const members = index.filter((_, i) => i % 2 === 0);
  const scores = index.filter((_, i) => i % 2 === 1).map(Number);
  const readAt = Date.now();
  expect(members.sort()).toStrictEqual([...listKeys].sort());
  // Scores are expiry instants in whole Unix seconds (write time + two heartbeats).
  for (const score of scores) {
    expect(Number.isInteger(score)).toBe(true);
    expect(score).toBeLessThanOrEqual(seconds(readAt + 2 * SCHEDULER_HEARTBEAT_MS));
  }
  for (const key of listKeys) {
    expect(await direct.type(key)).toBe("list");
    // Written with PEXPIRE of two heartbeats: it vanishes unless refreshed.
    const ttl = await direct.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2 * SCHEDULER_HEARTBEAT_MS);
    const elements = await direct.lrangeBuffer(key, 0, -1);
    expect(elements).toHaveLength(1);
    const entry = readSchedulerEntry(elements[0] as Buffer);
    expect(entry.fieldNumbers).toStrictEqual([1, 2, 3, 4, 5, 5, 5, 5, 6, 7]);
    expect(entry.id).toBe(ENTRY_ID);
    expect(entry.spec).toBe(PERIODIC_SPEC);
    expect(entry.taskType).toBe(task.type);
    expect(Buffer.from(entry.taskPayload).equals(Buffer.from(task.payload))).toBe(true);
    expect(entry.enqueueOptions).toStrictEqual(PERIODIC_GO_OPTIONS);
    const parsed = entry.enqueueOptions.map((o) => parseGoOption(o, parseGoDuration));
    expect(parsed).toStrictEqual([
      { name: "Queue", value: PERIODIC_QUEUE },
      { name: "MaxRetry", value: 2 },
      { name: "Timeout", value: 90_000 },
      { name: "Retention", value: 7_200_000 },
    ]);
    // Fire times of `@every 1s` are whole seconds; "never enqueued" is Go's zero time.
    const next = wholeSecond(entry.next);
    expect(entry.prev).toBeDefined();
    if (entry.prev?.seconds !== GO_ZERO_SECONDS) expect(wholeSecond(entry.prev)).toBeLessThan(next);
    else expect(entry.prev.nanos).toBe(0);
  }

  const historyKey = `${PREFIX}:scheduler_history:${ENTRY_ID}`;
  expect(await direct.type(historyKey)).toBe("zset");
  const history = await direct.zrangeBuffer(historyKey, 0, -1, "WITHSCORES");
  expect(history.length).toBeGreaterThan(0);
  for (let i = 0; i < history.length; i += 2) {
    const event = readEnqueueEvent(history[i] as Buffer);
    expect(event.fieldNumbers).toStrictEqual([1, 2]);
    const slot = Number(TASK_ID.exec(event.taskId)?.[1]);
    expect(Number.isInteger(slot)).toBe(true);
    expect(event.enqueueTime).toBeDefined();
    const enqueuedAt = Number(event.enqueueTime?.seconds);
    // The score is the enqueue time in whole Unix seconds, and an enqueue follows its fire.
    expect(Number((history[i + 1] as Buffer).toString())).toBe(enqueuedAt);
    expect(enqueuedAt).toBeGreaterThanOrEqual(slot);
  }
}

it("enqueues each fire of an entry shared by three scheduler processes exactly once", async () => {
  const processes = await Promise.all(
    Array.from({ length: PROCESSES }, () => startSchedulerProcess()),
  );
  const allReadyAt = Date.now();
  const schedulerIds = processes.map((p) => p.schedulerId);
  expect(new Set(schedulerIds).size).toBe(PROCESSES);

  // While running: every instance publishes the same entry, and the history fills.
  await eventually(
    async () =>
      (await inspector.schedulerEntries()).length === PROCESSES &&
      (await inspector.schedulerEnqueueEvents(ENTRY_ID)).length >= 2,
    "three published entries and two enqueue events",
    8_000,
    50,
  );
  const live = await inspector.schedulerEntries();
  for (const entry of live) {
    expect(entry).toMatchObject({
      id: ENTRY_ID,
      spec: PERIODIC_SPEC,
      taskType: task.type,
      enqueueOptions: PERIODIC_GO_OPTIONS,
    });
    expect(entry.nextEnqueueAt.getTime() % 1000).toBe(0);
  }
  const liveEvents = await inspector.schedulerEnqueueEvents(ENTRY_ID);
  for (const event of liveEvents) expect(event.taskId).toMatch(TASK_ID);
  await checkPublishedRecords(schedulerIds);

  await delay(Math.max(0, allReadyAt + RUN_FOR_MS - Date.now()));
  const stopAt = Date.now();
  for (const p of processes) p.child.kill("SIGTERM");
  const codes = await Promise.all(processes.map((p) => p.exited));
  expect(codes, processes.map((p) => p.stderr()).join("\n")).toStrictEqual([0, 0, 0]);

  // Stopped: the published entries are gone (as Go does); the history is kept.
  expect(await inspector.schedulerEntries()).toStrictEqual([]);
  expect(await direct.exists(`${PREFIX}:schedulers`)).toBe(0);
  for (const id of schedulerIds) {
    expect(await direct.exists(`${PREFIX}:schedulers:{${id}}`)).toBe(0);
  }

  const listed = await broker.listTasks({
    queue: PERIODIC_QUEUE,
    state: "pending",
    offset: 0,
    limit: 1_000,
    now: Date.now(),
  });
  if (!listed.ok) throw new Error(`cannot list tasks: ${listed.reason}`);
  const taskIds = listed.tasks.map((t) => t.message.id);
  // The pending list holds each ID once: no fire was pushed twice.
  expect(await direct.llen(`${PREFIX}:{${PERIODIC_QUEUE}}:pending`)).toBe(taskIds.length);
  expect(new Set(taskIds).size).toBe(taskIds.length);
  const slots = taskIds.map((id) => Number(TASK_ID.exec(id)?.[1])).sort((a, b) => a - b);
  expect(slots.every(Number.isInteger)).toBe(true);
  for (const t of listed.tasks) {
    expect(t.message).toMatchObject({ queue: PERIODIC_QUEUE, maxRetry: 2, timeout: 90_000 });
    // The registration's 2 h retention is longer than the dedupe window, so it is kept.
    expect(t.message.retention).toBe(7_200_000);
  }

  // Consecutive slots; every whole second inside the window where all three ran has one.
  for (let i = 1; i < slots.length; i++) expect(slots[i]).toBe((slots[i - 1] as number) + 1);
  const interior: number[] = [];
  for (let s = seconds(allReadyAt) + 1; (s + 1) * 1000 < stopAt; s++) interior.push(s);
  expect(interior.length).toBeGreaterThan(0);
  for (const s of interior) expect(slots).toContain(s);

  // What each process saw: one enqueue per slot, the other attempts found the ID taken.
  const fires = (await direct.lrange(fireRecordsKey(PREFIX), 0, -1)).map(
    (line) => JSON.parse(line) as FireRecord,
  );
  expect(fires.filter((f) => f.outcome === "error")).toStrictEqual([]);
  const enqueued = fires.filter((f) => f.outcome === "enqueued");
  const peers = fires.filter((f) => f.outcome === "peer");
  expect(enqueued.map((f) => seconds(f.fireAt)).sort((a, b) => a - b)).toStrictEqual(slots);
  for (const f of enqueued) expect(f.taskId).toBe(fireTaskId(ENTRY_ID, f.fireAt));
  for (const f of peers) expect(slots).toContain(seconds(f.fireAt));
  expect(peers.length).toBeGreaterThan(0);

  // The history has one event per enqueued task, newest first.
  const events = await inspector.schedulerEnqueueEvents(ENTRY_ID, { pageSize: 1_000 });
  expect(events.map((e) => e.taskId).sort()).toStrictEqual([...taskIds].sort());
  for (let i = 1; i < events.length; i++) {
    expect(events[i - 1]?.enqueuedAt.getTime()).toBeGreaterThanOrEqual(
      events[i]?.enqueuedAt.getTime() ?? 0,
    );
  }

  const attemptsPerSlot = new Map<number, number>();
  for (const f of fires) {
    attemptsPerSlot.set(seconds(f.fireAt), (attemptsPerSlot.get(seconds(f.fireAt)) ?? 0) + 1);
  }
  const slotsSeenByAll = [...attemptsPerSlot.values()].filter((n) => n === PROCESSES).length;
  const enqueuers = new Set(enqueued.map((f) => f.pid)).size;
  const tasksPerSlot = new Set(
    slots.map((slot) => taskIds.filter((id) => id === fireTaskId(ENTRY_ID, slot * 1000)).length),
  );
  console.log(
    `scheduler processes=${PROCESSES} slots=${slots.length} (${slots[0]}..${slots.at(-1)}) ` +
      `interior=${interior.length} tasks=${taskIds.length} tasks-per-slot=${[...tasksPerSlot].join("/")} ` +
      `attempts=${fires.length} enqueued=${enqueued.length} peer-conflicts=${peers.length} ` +
      `slots-attempted-by-all=${slotsSeenByAll} distinct-enqueuing-processes=${enqueuers} ` +
      `history-events=${events.length}`,
  );
}, 40_000);
