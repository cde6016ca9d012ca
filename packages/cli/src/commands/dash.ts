import type { Command } from "commander";
import { CliError } from "../errors.js";
import type { CliIo } from "../io.js";
import { secondsAtLeast } from "../parse.js";
import { sessionOf } from "../session.js";

/** `asynq dash`: the live terminal dashboard. */
export function registerDashCommand(program: Command, io: CliIo): void {
  program
    .command("dash")
    .description("live terminal dashboard: queues, their tasks by state, task details")
    .option("--refresh <seconds>", "refresh interval (at least 1)", secondsAtLeast(1), 8_000)
    .action(async (options: { refresh: number }, command: Command) => {
      const { withBackend } = sessionOf(command, io);
      if (io.stdin?.isTTY !== true || io.stdout.isTTY !== true) {
        throw new CliError("dash needs an interactive terminal (stdin and stdout must be a TTY)");
      }
      // ink and React load only for the dashboard: every other command starts faster.
      const { runDashboard } = await import("../dash/run-dashboard.js");
      await withBackend(
        (backend) =>
          runDashboard(io, {
            inspector: backend.inspector,
            label: backend.label,
            refreshMs: options.refresh,
          }),
        { reconnect: true },
      );
    });
}
