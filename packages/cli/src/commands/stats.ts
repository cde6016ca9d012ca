import { type QueueInfo, TASK_STATES } from "@asynq-ts/core";
import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { errorRate } from "../output/format.js";
import { queueJson } from "../output/json.js";
import type { Output } from "../output/output.js";
import type { RedisServerInfo } from "../redis-info.js";
import { sessionOf } from "../session.js";

// Go asynq's column order for task counts by state.
const STATE_ORDER = [
  "active",
  "pending",
  "aggregating",
  "scheduled",
  "retry",
  "archived",
  "completed",
] as const;

/** `asynq stats`: task counts by state and queue, today's figures, and Redis INFO. */
export function registerStatsCommand(program: Command, io: CliIo): void {
  program
    .command("stats")
    .description("show task counts by state and queue, today's processed/failed, and Redis info")
    .action(async (_options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const names = await backend.inspector.queues();
        const queues = await Promise.all(names.map((q) => backend.inspector.queueInfo(q)));
        const redis = await backend.redisInfo();
        printStats(out, queues, redis, new Date());
      });
    });
}

/** Sums of every queue's figures. */
export function totalsOf(queues: readonly QueueInfo[]) {
  const byState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<
    (typeof TASK_STATES)[number],
    number
  >;
  let processed = 0;
  let failed = 0;
  for (const q of queues) {
    for (const state of TASK_STATES) byState[state] += q[state];
    processed += q.processed;
    failed += q.failed;
  }
  return { byState, processed, failed };
}

function printStats(out: Output, queues: QueueInfo[], redis: RedisServerInfo, now: Date): void {
  const totals = totalsOf(queues);
  const date = now.toISOString().slice(0, 10);
  if (out.json) {
    out.emit({
      states: totals.byState,
      queues: queues.map(queueJson),
      today: {
        date,
        processed: totals.processed,
        failed: totals.failed,
        errorRate: totals.processed === 0 ? 0 : totals.failed / totals.processed,
      },
      redis: { mode: redis.mode, ...redis.fields },
    });
    return;
  }
  out.heading("Task Count by State");
  out.table([...STATE_ORDER], [STATE_ORDER.map((s) => totals.byState[s])]);
  out.line();
  out.heading("Task Count by Queue");
  out.table(
    queues.map((q) => q.queue),
    queues.length === 0 ? [] : [queues.map((q) => q.size)],
    "no queues yet",
  );
  out.line();
  out.heading(`Daily Stats ${date} UTC`);
  out.table(
    ["processed", "failed", "error rate"],
    [[totals.processed, totals.failed, errorRate(totals.processed, totals.failed)]],
  );
  out.line();
  if (redis.mode === "cluster") {
    out.heading("Redis Cluster Info");
    out.fields(Object.entries(redis.fields));
    return;
  }
  const f = redis.fields;
  out.heading("Redis Info");
  out.table(
    ["version", "uptime", "connections", "memory usage", "peak memory usage"],
    [
      [
        f.redis_version ?? "-",
        `${f.uptime_in_days ?? "?"} days`,
        f.connected_clients ?? "-",
        f.used_memory_human ?? "-",
        f.used_memory_peak_human ?? "-",
      ],
    ],
  );
}
