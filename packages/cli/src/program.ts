import { createRequire } from "node:module";
import { Command, Option } from "commander";
import { registerCronCommands } from "./commands/cron.js";
import { registerDashCommand } from "./commands/dash.js";
import { registerGroupCommands } from "./commands/group.js";
import { registerQueueCommands } from "./commands/queue.js";
import { registerServerCommands } from "./commands/server.js";
import { registerStatsCommand } from "./commands/stats.js";
import { registerTaskCommands } from "./commands/task.js";
import { registerWebCommand } from "./commands/web.js";
import { parseDb } from "./connection-settings.js";
import type { CliIo } from "./io.js";
import { secondsAtLeast } from "./parse.js";

const { version } = createRequire(import.meta.url)("../package.json") as { version: string };

/**
 * The `asynq` command tree (Go asynq's CLI: same commands and flags, flags in kebab-case with
 * the snake_case spellings accepted). Commander never exits the process: errors surface as
 * exceptions that `run()` turns into exit statuses.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command("asynq")
    .description("Inspect and manage asynq task queues on Redis (asynq-ts and Go asynq).")
    .version(version, "-V, --version", "print the version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 100,
      getErrHelpWidth: () => io.stderr.columns ?? 100,
    })
    .showSuggestionAfterError(true)
    .option("--config <file>", "config file (YAML) [default: ~/.asynq.yaml; env ASYNQ_CONFIG]")
    .option(
      "-u, --uri <uri>",
      "Redis: host:port, redis://, rediss://, redis-socket://, redis-sentinel:// [default: 127.0.0.1:6379]",
    )
    .addOption(
      new Option("-n, --db <number>", "Redis database number [default: 0]").argParser((text) =>
        parseDb(text, "--db"),
      ),
    )
    .option("-p, --password <password>", "Redis password")
    .option("-U, --username <username>", "Redis username (ACL)")
    .option("--cluster", "connect to a Redis Cluster (uses --cluster-addrs)")
    .addOption(
      new Option(
        "--cluster-addrs <list>",
        "comma-separated host:port of cluster nodes [default: 127.0.0.1:7000-7005]",
      ).argParser((text) =>
        text
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== ""),
      ),
    )
    .option("--tls", "connect with TLS")
    .option("--tls-server <name>", "server name for TLS (SNI and certificate check)")
    .option("--insecure", "accept any TLS certificate")
    .option("--prefix <prefix>", "key prefix of the queues [default: asynq]")
    .addOption(
      new Option(
        "--connect-timeout <seconds>",
        "give up connecting after this long [default: 5]",
      ).argParser(secondsAtLeast(0.1)),
    )
    .option("--json", "print JSON (for scripts) instead of tables")
    .option("--no-color", "never colour the output")
    .option("--debug", "print stack traces of errors");

  registerStatsCommand(program, io);
  registerQueueCommands(program, io);
  registerTaskCommands(program, io);
  registerGroupCommands(program, io);
  registerCronCommands(program, io);
  registerServerCommands(program, io);
  registerDashCommand(program, io);
  registerWebCommand(program, io);
  return program;
}
