import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { formatRelative } from "../output/format.js";
import { serverJson } from "../output/json.js";
import { sessionOf } from "../session.js";

/** `asynq server ls`: live servers. */
export function registerServerCommands(program: Command, io: CliIo): void {
  const server = program.command("server").description("inspect live servers");
  server
    .command("list")
    .alias("ls")
    .description("list live servers")
    .action(async (_options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const servers = await backend.inspector.servers();
        if (out.json) return out.emit(servers.map(serverJson));
        const now = Date.now();
        out.table(
          ["Host", "PID", "State", "Active Workers", "Queues", "Started"],
          servers.map((s) => [
            s.host,
            s.pid,
            s.status === "active" ? out.c.green(s.status) : out.c.yellow(s.status),
            `${s.activeWorkers.length}/${s.concurrency}`,
            Object.entries(s.queues)
              .sort(([, a], [, b]) => b - a)
              .map(([q, p]) => `${q}:${p}`)
              .join(", "),
            formatRelative(s.startedAt, now),
          ]),
          "no live servers",
        );
      });
    });
}
