// Crash test: a worker child process is SIGKILLed mid-task several times while tasks are being
// enqueued, and restarted each time. Every task must complete, none may be lost, and no two
// attempts of one task may run at once while the earlier one still held its lease.
//
// Time travel: a killed worker's tasks stay active until their lease (30 s) plus the
// recoverer's cutoff (30 s) have passed, which is too slow for a test. After each kill the test
// moves the dead worker's lease scores an hour into the past (`ZADD <prefix>:{q}:lease`), as if
// that time had gone by; the restarted worker's recoverer, which runs at start, then retries
// those tasks at once (retry delay 0, forwarder every 100 ms).
import { fileURLToPath } from "node:url";
import { Client, seededRandom, Task } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRedisBroker, type RedisBroker } from "../../src/index.js";
import { type ChildScript, killChildScripts, startChildScript } from "../support/child-script.js";
import {
  type AttemptRecord,
  analyseAttempts,
  type Kill,
  pairAttempts,
} from "../support/crash-records.js";
import { delay, eventually } from "./support.js";

// Longer runs by hand: CRASH_TASKS=2000 CRASH_KILLS=20 npx vitest run <this file>
const TASKS = Number(process.env.CRASH_TASKS ?? 300);
const KILLS = Number(process.env.CRASH_KILLS ?? 5);
const PREFIX = "crash";
const RECORDS = "crash-test:attempts";
const QUEUE = "default";
const WORKER = fileURLToPath(new URL("../support/crash-worker.ts", import.meta.url));

let redis: RedisServerHandle;
let broker: RedisBroker;
let direct: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  broker = createRedisBroker({ url: redis.url, prefix: PREFIX });
  direct = new Redis(redis.url);
});
afterAll(async () => {
  killChildScripts();
  await broker?.close();
  direct?.disconnect();
  await redis?.stop();
});

/** A running crash worker. */
type Worker = ChildScript;

function startWorker(): Promise<Worker> {
  return startChildScript(WORKER, [redis.url, PREFIX, RECORDS], /ready/);
}

async function readRecords(): Promise<AttemptRecord[]> {
  const lines = await direct.lrange(RECORDS, 0, -1);
  return lines.map((line) => JSON.parse(line) as AttemptRecord);
}

/** True when `pid` has started an attempt it has not finished. */
async function hasAttemptInFlight(pid: number): Promise<boolean> {
  const open = new Set<number>();
  for (const r of await readRecords()) {
    if (r.pid !== pid) continue;
    if (r.kind === "start") open.add(r.seq);
    else open.delete(r.seq);
  }
  return open.size > 0;
}

/** Moves every lease of the queue an hour into the past: the dead worker's tasks are orphans. */
async function expireLeases(): Promise<number> {
  const key = `${PREFIX}:{${QUEUE}}:lease`;
  const ids = await direct.zrange(key, 0, -1);
  const past = Math.floor(Date.now() / 1000) - 3_600;
  for (const id of ids) await direct.zadd(key, "XX", past, id);
  return ids.length;
}

it("loses no task and never runs one twice at once across SIGKILLs of the worker", async () => {
  const began = Date.now();
  const seed = Date.now() % 100_000;
  const random = seededRandom(seed);
  const client = new Client(broker);
  const taskIds = Array.from({ length: TASKS }, (_, i) => `task-${i}`);
  const batches = KILLS + 1;
  const enqueueBatch = async (batch: number) => {
    const ids = taskIds.filter((_, i) => i % batches === batch);
    const results = await client.enqueueBulk(
      ids.map((taskId) => ({ task: new Task("crash:job"), options: { taskId } })),
      { retention: 3_600_000 },
    );
    expect(results.every((r) => r.ok)).toBe(true);
  };

  const kills: Kill[] = [];
  let killsMidTask = 0;
  let orphanedLeases = 0;
  for (let k = 0; k < KILLS; k++) {
    const worker = await startWorker();
    await enqueueBatch(k);
    await delay(30 + Math.floor(random() * 220));
    // Aim the kill at a moment when a handler is running (bounded: kill anyway after 3 s).
    const midTask = await eventually(() => hasAttemptInFlight(worker.pid), "an attempt", 3_000, 2)
      .then(() => true)
      .catch(() => false);
    if (midTask) killsMidTask++;
    worker.child.kill("SIGKILL");
    await worker.exited;
    const killedAt = process.hrtime.bigint();
    orphanedLeases += await expireLeases();
    kills.push({ pid: worker.pid, killedAt, leasesExpiredAt: process.hrtime.bigint() });
  }

  const last = await startWorker();
  await enqueueBatch(KILLS);
  const stats = async () => {
    const result = await broker.queueStats({ queue: QUEUE, now: Date.now() });
    if (!result.ok) throw new Error(result.reason);
    return result.stats;
  };
  await eventually(
    async () => (await stats()).completed === TASKS,
    "every task completed",
    60_000,
    50,
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}; worker stderr: ${last.stderr()}`);
  });
  last.child.kill("SIGTERM");
  expect(await last.exited).toBe(0);

  const final = await stats();
  const attempts = pairAttempts(await readRecords(), kills);
  const report = analyseAttempts(taskIds, attempts);
  const completed = await broker.listTasks({
    queue: QUEUE,
    state: "completed",
    offset: 0,
    limit: TASKS + 1,
    now: Date.now(),
  });
  const recovered = completed.ok
    ? completed.tasks.filter((t) => t.message.lastError === "task lease expired")
    : [];
  console.log(
    `crash test (seed ${seed}): tasks=${report.tasks} kills=${kills.length} ` +
      `(mid-task ${killsMidTask}) orphaned-leases=${orphanedLeases} attempts=${report.attempts} ` +
      `killed-attempts=${report.killedAttempts} recovered-tasks=${recovered.length} ` +
      `lost=${report.lost.length} duplicates=${report.duplicates.length} ` +
      `overlaps=${report.overlaps.length} wall=${Date.now() - began} ms`,
  );

  expect(report.lost).toStrictEqual([]);
  expect(report.overlaps).toStrictEqual([]);
  expect(report.unfinished).toStrictEqual([]);
  expect(report.withoutLease).toStrictEqual([]);
  expect(final).toMatchObject({
    completed: TASKS,
    pending: 0,
    active: 0,
    retry: 0,
    scheduled: 0,
    archived: 0,
  });
  // The kills did interrupt handlers, and those tasks came back through the recoverer.
  expect(report.killedAttempts).toBeGreaterThan(0);
  const recoveredIds = new Set(recovered.map((t) => t.message.id));
  const interrupted = new Set(attempts.filter((a) => a.killed).map((a) => a.taskId));
  expect([...interrupted].filter((id) => !recoveredIds.has(id))).toStrictEqual([]);
}, 120_000);
