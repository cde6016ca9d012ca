import { Task, type TaskOptions } from "@asynq-ts/core";
import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { formatTime } from "../output/format.js";
import { taskJson } from "../output/json.js";
import { goDuration, header, integerAtLeast, rfc3339 } from "../parse.js";
import { sessionOf } from "../session.js";

interface EnqueueFlags {
  typeName: string;
  payload?: string;
  queue?: string;
  id?: string;
  retry?: number;
  timeout?: number;
  deadline?: Date;
  unique?: number;
  processAt?: Date;
  processIn?: number;
  retention?: number;
  group?: string;
  header?: Record<string, string>;
}

/** `asynq task enqueue`: Go asynq's flags; only the flags given become options. */
export function registerTaskEnqueueCommand(task: Command, io: CliIo): void {
  task
    .command("enqueue")
    .description("enqueue a task")
    .requiredOption("-t, --type-name <type>", "task type")
    .option("-l, --payload <text>", "payload (stored as UTF-8)", "")
    .option("-q, --queue <queue>", "queue [default: default]")
    .option("--id <id>", "task ID [default: a UUID]")
    .option("--retry <n>", "max retries", integerAtLeast(0))
    .option("--timeout <duration>", "per-attempt timeout, e.g. 30s", goDuration)
    .option("--deadline <time>", "RFC 3339 deadline", rfc3339)
    .option("--unique <duration>", "uniqueness lock TTL, e.g. 1h", goDuration)
    .option("--process-at <time>", "RFC 3339 time to process at", rfc3339)
    .option("--process-in <duration>", "delay before processing, e.g. 5m", goDuration)
    .option("--retention <duration>", "keep as completed for this long", goDuration)
    .option("--group <group>", "aggregation group")
    .option("--header <key=value>", "task header (repeatable)", header)
    .action(async (flags: EnqueueFlags, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      const options = optionsOf(flags);
      const newTask = new Task(flags.typeName, flags.payload ?? "");
      await withBackend(async (backend) => {
        const info = await backend.client.enqueue(newTask, options);
        if (out.json) return out.emit(taskJson(info));
        const when =
          info.state === "scheduled" ? ` to run at ${formatTime(info.nextProcessAt)}` : "";
        out.line(`Enqueued task ${info.id} to queue ${info.queue} (${info.state}${when})`);
      });
    });
}

function optionsOf(flags: EnqueueFlags): TaskOptions {
  const options: { -readonly [K in keyof TaskOptions]: TaskOptions[K] } = {};
  if (flags.queue !== undefined) options.queue = flags.queue;
  if (flags.id !== undefined) options.taskId = flags.id;
  if (flags.retry !== undefined) options.maxRetry = flags.retry;
  if (flags.timeout !== undefined) options.timeout = flags.timeout;
  if (flags.deadline !== undefined) options.deadline = flags.deadline;
  if (flags.unique !== undefined) options.unique = flags.unique;
  if (flags.processAt !== undefined) options.processAt = flags.processAt;
  if (flags.processIn !== undefined) options.processIn = flags.processIn;
  if (flags.retention !== undefined) options.retention = flags.retention;
  if (flags.group !== undefined) options.group = flags.group;
  if (flags.header !== undefined) options.headers = flags.header;
  return options;
}
