import { type Inspector, TASK_STATES, type TaskState } from "@asynq-ts/core";
import { type Command, Option } from "commander";
import type { CliIo } from "../io.js";
import { taskJson } from "../output/json.js";
import { forEachWithProgress } from "../output/progress.js";
import { pageOptions } from "../parse.js";
import { sessionOf } from "../session.js";
import { groupFor } from "./group-option.js";
import { reportOutcomes } from "./report.js";
import { registerTaskBulkCommands } from "./task-bulk.js";
import { registerTaskEnqueueCommand } from "./task-enqueue.js";
import { taskColumns, taskFields } from "./task-table.js";

/** `asynq task …`: list, inspect, cancel, archive, delete, run, enqueue and the bulk forms. */
export function registerTaskCommands(program: Command, io: CliIo): void {
  const task = program.command("task").description("manage tasks");

  task
    .command("list")
    .alias("ls")
    .description("list a page of the tasks in one state of a queue")
    .requiredOption("-q, --queue <queue>", "queue name")
    .addOption(
      new Option("-s, --state <state>", "task state").choices(TASK_STATES).makeOptionMandatory(),
    )
    .option("-g, --group <group>", "group (required with --state aggregating)")
    .addOption(pageOptions.page())
    .addOption(pageOptions.size())
    .action(async (options: ListOptions, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      const group = groupFor(options.state, options.group);
      await withBackend(async (backend) => {
        const tasks = await backend.inspector.listTasks(options.queue, options.state, {
          page: options.page,
          pageSize: options.size,
          ...(group === undefined ? {} : { group }),
        });
        if (out.json) return out.emit(tasks.map(taskJson));
        const { headers, row } = taskColumns(options.state, Date.now());
        const where = group === undefined ? "" : ` group ${group}`;
        out.table(
          headers,
          tasks.map(row),
          `no ${options.state} tasks in queue ${options.queue}${where} (page ${options.page})`,
        );
      });
    });

  task
    .command("inspect")
    .description("show every field of a task")
    .requiredOption("-q, --queue <queue>", "queue name")
    .requiredOption("-i, --id <id>", "task ID")
    .action(async (options: { queue: string; id: string }, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const info = await backend.inspector.taskInfo(options.queue, options.id);
        if (out.json) return out.emit(taskJson(info));
        out.heading("Task Info");
        out.fields(taskFields(info, Date.now(), out.c));
      });
    });

  task
    .command("cancel")
    .description("ask the servers running these tasks to cancel them (best effort)")
    .argument("<ids...>", "task IDs")
    .action(async (ids: string[], _options, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const outcomes = await forEachWithProgress(io.stderr, "cancelling", ids, (id) =>
          backend.inspector.cancelProcessing(id),
        );
        reportOutcomes(out, "id", outcomes, (id) => `Sent cancel signal for task ${id}`);
      });
    });

  singleTaskCommand(task, io, {
    name: "archive",
    aliases: [],
    description: "archive tasks (pending, scheduled, retry, completed or aggregating)",
    verb: "archiving",
    done: "Archived",
    apply: (inspector, queue, id) => inspector.archiveTask(queue, id),
  });
  singleTaskCommand(task, io, {
    name: "delete",
    aliases: ["remove", "rm"],
    description: "delete tasks in any state but active",
    verb: "deleting",
    done: "Deleted",
    apply: (inspector, queue, id) => inspector.deleteTask(queue, id),
  });
  singleTaskCommand(task, io, {
    name: "run",
    aliases: [],
    description: "move tasks (scheduled, retry, archived, completed, aggregating) to pending",
    verb: "running",
    done: "Moved to pending:",
    apply: (inspector, queue, id) => inspector.runTask(queue, id),
  });

  registerTaskEnqueueCommand(task, io);
  registerTaskBulkCommands(task, io);
}

interface ListOptions {
  queue: string;
  state: TaskState;
  group?: string;
  page: number;
  size: number;
}

interface SingleTaskSpec {
  readonly name: string;
  readonly aliases: string[];
  readonly description: string;
  readonly verb: string;
  readonly done: string;
  readonly apply: (inspector: Inspector, queue: string, id: string) => Promise<void>;
}

/** `task archive|delete|run --queue Q --id ID [--id ID…]` (several IDs get a progress bar). */
function singleTaskCommand(task: Command, io: CliIo, spec: SingleTaskSpec): void {
  task
    .command(spec.name)
    .aliases(spec.aliases)
    .description(spec.description)
    .requiredOption("-q, --queue <queue>", "queue name")
    .requiredOption("-i, --id <ids...>", "task ID (repeat or list several)")
    .action(async (options: { queue: string; id: string[] }, command: Command) => {
      const { out, withBackend } = sessionOf(command, io);
      await withBackend(async (backend) => {
        const outcomes = await forEachWithProgress(io.stderr, spec.verb, options.id, (id) =>
          spec.apply(backend.inspector, options.queue, id),
        );
        reportOutcomes(
          out,
          "id",
          outcomes,
          (id) => `${spec.done} task ${id} in queue ${options.queue}`,
        );
      });
    });
}
