import { type DailyStats, type QueueInfo, QueueNotFoundError } from "@asynq-ts/core";
import type { Command } from "commander";
import type { Backend } from "../connection.js";
import type { CliIo } from "../io.js";
import { errorRate, formatBytes, formatDuration } from "../output/format.js";
import type { Output } from "../output/output.js";
import { forEachWithProgress } from "../output/progress.js";
import { integerAtLeast } from "../parse.js";
import { sessionOf } from "../session.js";
import { reportOutcomes } from "./report.js";

const STATE_COLUMNS = [
  "active",
  "pending",
  "aggregating",
  "scheduled",
  "retry",
  "archived",
  "completed",
] as const;

/** `asynq queue …`: list, inspect, history, pause, resume, remove. */
export function registerQueueCommands(program: Command, io: CliIo): void {
  const queue = program.command("queue").description("manage queues");

  queue
    .command("list")
    .alias("ls")
    .description("list queues (with --cluster: their key slot and nodes)")
    .action(async (_options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => listQueues(out, backend));
    });

  queue
    .command("inspect")
    .description("show a queue's size, state counts and today's figures")
    .argument("<queues...>", "queue names")
    .action(async (names: string[], _options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const infos: QueueInfo[] = [];
        for (const name of names) infos.push(await backend.inspector.queueInfo(name));
        if (out.json) return out.emit(infos);
        infos.forEach((info, index) => {
          if (index > 0) out.line();
          printQueueInfo(out, info);
        });
      });
    });

  queue
    .command("history")
    .description("show daily processed/failed counts")
    .argument("<queues...>", "queue names")
    .option("-x, --days <n>", "number of days", integerAtLeast(1), 10)
    .action(async (names: string[], options: { days: number }, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const histories: { queue: string; days: DailyStats[] }[] = [];
        for (const name of names) {
          histories.push({
            queue: name,
            days: await backend.inspector.history(name, options.days),
          });
        }
        if (out.json) return out.emit(histories);
        histories.forEach(({ queue: name, days }, index) => {
          if (index > 0) out.line();
          out.heading(`Queue: ${name}`);
          out.table(
            ["date (UTC)", "processed", "failed", "error rate"],
            days.map((d) => [d.date, d.processed, d.failed, errorRate(d.processed, d.failed)]),
          );
        });
      });
    });

  queue
    .command("pause")
    .description("pause queues: servers stop taking their tasks")
    .argument("<queues...>", "queue names")
    .action(async (names: string[], _options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const outcomes = await forEachWithProgress(io.stderr, "pausing", names, async (name) => {
          await requireQueue(backend, name);
          await backend.inspector.pauseQueue(name);
        });
        reportOutcomes(out, "queue", outcomes, (name) => `Paused queue ${name}`);
      });
    });

  queue
    .command("resume")
    .alias("unpause")
    .description("resume paused queues")
    .argument("<queues...>", "queue names")
    .action(async (names: string[], _options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const outcomes = await forEachWithProgress(io.stderr, "resuming", names, async (name) => {
          await requireQueue(backend, name);
          await backend.inspector.unpauseQueue(name);
        });
        reportOutcomes(out, "queue", outcomes, (name) => `Resumed queue ${name}`);
      });
    });

  queue
    .command("remove")
    .aliases(["rm", "delete"])
    .description("remove queues (refused while they hold tasks, unless --force)")
    .argument("<queues...>", "queue names")
    .option("-f, --force", "also delete their tasks (still refused while tasks are active)")
    .action(async (names: string[], options: { force?: boolean }, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const force = options.force === true;
        const outcomes = await forEachWithProgress(io.stderr, "removing", names, (name) =>
          backend.inspector.deleteQueue(name, { force }),
        );
        reportOutcomes(out, "queue", outcomes, (name) => `Removed queue ${name}`);
      });
    });
}

/** Throws `QueueNotFoundError` unless the queue is registered (pausing a typo helps nobody). */
async function requireQueue(backend: Backend, name: string): Promise<void> {
  if (!(await backend.inspector.queues()).includes(name)) throw new QueueNotFoundError(name);
}

async function listQueues(out: Output, backend: Backend): Promise<void> {
  const names = await backend.inspector.queues();
  if (!backend.clustered) {
    if (out.json) return out.emit(names.map((queue) => ({ queue })));
    return out.table(
      ["Queue"],
      names.map((n) => [n]),
      "no queues",
    );
  }
  const rows = [];
  for (const queue of names) {
    const [keySlot, nodes] = await Promise.all([
      backend.inspector.clusterKeySlot(queue),
      backend.inspector.clusterNodes(queue),
    ]);
    rows.push({ queue, keySlot, nodes });
  }
  if (out.json) return out.emit(rows);
  out.table(
    ["Queue", "KeySlot", "Nodes"],
    rows.map((r) => [r.queue, r.keySlot, r.nodes.map((n) => n.address).join(", ")]),
    "no queues",
  );
}

/** Go asynq's `queue inspect` block. */
export function printQueueInfo(out: Output, info: QueueInfo): void {
  out.heading("Queue Info");
  out.fields([
    ["Name", info.queue],
    ["Size", info.size],
    ["Groups", info.groups],
    ["Paused", info.paused ? out.c.yellow("yes") : "no"],
    ["Latency", formatDuration(info.latency)],
    ["Memory", formatBytes(info.memoryUsageBytes)],
  ]);
  out.line();
  out.heading("Task Count by State");
  out.table([...STATE_COLUMNS], [STATE_COLUMNS.map((s) => info[s])]);
  out.line();
  out.heading(`Daily Stats ${info.timestamp.toISOString().slice(0, 10)} UTC`);
  out.table(
    ["processed", "failed", "error rate"],
    [[info.processed, info.failed, errorRate(info.processed, info.failed)]],
  );
}
