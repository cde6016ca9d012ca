import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { sessionOf } from "../session.js";

/** `asynq group ls --queue Q`: aggregation groups and their sizes. */
export function registerGroupCommands(program: Command, io: CliIo): void {
  const group = program.command("group").description("inspect aggregation groups");
  group
    .command("list")
    .alias("ls")
    .description("list a queue's groups with their sizes")
    .requiredOption("-q, --queue <queue>", "queue name")
    .action(async (options: { queue: string }, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const groups = await backend.inspector.groups(options.queue);
        if (out.json) return out.emit(groups);
        out.table(
          ["Group", "Size"],
          groups.map((g) => [g.group, g.size]),
          `no groups in queue ${options.queue}`,
        );
      });
    });
}
