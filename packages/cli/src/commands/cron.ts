import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { formatPayload, formatRelative, formatTime } from "../output/format.js";
import { schedulerEntryJson } from "../output/json.js";
import { pageOptions } from "../parse.js";
import { sessionOf } from "../session.js";

/** `asynq cron ls` and `asynq cron history <entryID>…`. */
export function registerCronCommands(program: Command, io: CliIo): void {
  const cron = program.command("cron").description("inspect periodic tasks of live schedulers");

  cron
    .command("list")
    .alias("ls")
    .description("list scheduler entries")
    .action(async (_options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const entries = await backend.inspector.schedulerEntries();
        if (out.json) return out.emit(entries.map(schedulerEntryJson));
        const now = Date.now();
        out.table(
          ["EntryID", "Spec", "Type", "Payload", "Options", "Next", "Prev"],
          entries.map((e) => [
            e.id,
            e.spec,
            e.taskType,
            formatPayload(e.taskPayload, 30),
            e.enqueueOptions.join(", ") || "-",
            formatRelative(e.nextEnqueueAt, now),
            e.prevEnqueueAt === null ? "never" : formatRelative(e.prevEnqueueAt, now),
          ]),
          "no scheduler entries",
        );
      });
    });

  cron
    .command("history")
    .description("show the enqueues of scheduler entries, newest first")
    .argument("<entryIds...>", "entry IDs (see cron ls)")
    .addOption(pageOptions.page())
    .addOption(pageOptions.size())
    .action(async (ids: string[], options: { page: number; size: number }, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const histories = [];
        for (const entryId of ids) {
          const events = await backend.inspector.schedulerEnqueueEvents(entryId, {
            page: options.page,
            pageSize: options.size,
          });
          histories.push({ entryId, events });
        }
        if (out.json) return out.emit(histories);
        histories.forEach(({ entryId, events }, index) => {
          if (index > 0) out.line();
          out.heading(`Entry: ${entryId}`);
          out.table(
            ["TaskID", "EnqueuedAt"],
            events.map((e) => [e.taskId, formatTime(e.enqueuedAt)]),
            "no enqueues recorded",
          );
        });
      });
    });
}
