import {
  ARCHIVABLE_STATES,
  DELETABLE_STATES,
  type Inspector,
  RUNNABLE_STATES,
  type TaskState,
} from "@asynq-ts/core";
import { type Command, Option } from "commander";
import type { CliIo } from "../io.js";
import { plural } from "../output/format.js";
import { sessionOf } from "../session.js";
import { groupFor } from "./group-option.js";

interface BulkSpec {
  readonly name: string;
  readonly states: readonly TaskState[];
  readonly description: string;
  readonly verb: string;
  readonly done: string;
  readonly apply: (
    inspector: Inspector,
    queue: string,
    state: TaskState,
    group: string | undefined,
  ) => Promise<number>;
}

const SPECS: readonly BulkSpec[] = [
  {
    name: "archiveall",
    states: ARCHIVABLE_STATES,
    description: "archive every task in a state",
    verb: "archiving",
    done: "archived",
    apply: (i, q, s, g) => i.archiveAll(q, s as (typeof ARCHIVABLE_STATES)[number], groupOpt(g)),
  },
  {
    name: "deleteall",
    states: DELETABLE_STATES,
    description: "delete every task in a state",
    verb: "deleting",
    done: "deleted",
    apply: (i, q, s, g) => i.deleteAll(q, s as (typeof DELETABLE_STATES)[number], groupOpt(g)),
  },
  {
    name: "runall",
    states: RUNNABLE_STATES,
    description: "move every task in a state to pending",
    verb: "running",
    done: "moved to pending",
    apply: (i, q, s, g) => i.runAll(q, s as (typeof RUNNABLE_STATES)[number], groupOpt(g)),
  },
];

const groupOpt = (group: string | undefined) => (group === undefined ? {} : { group });

/** `asynq task archiveall|deleteall|runall --queue Q --state S [--group G]`. */
export function registerTaskBulkCommands(task: Command, io: CliIo): void {
  for (const spec of SPECS) {
    task
      .command(spec.name)
      .description(`${spec.description} (${spec.states.join(", ")})`)
      .requiredOption("-q, --queue <queue>", "queue name")
      .addOption(
        new Option("-s, --state <state>", "task state").choices(spec.states).makeOptionMandatory(),
      )
      .option("-g, --group <group>", "group (required with --state aggregating)")
      .action(
        async (options: { queue: string; state: TaskState; group?: string }, command: Command) => {
          const { out, withBackend } = sessionOf(command, io);
          const group = groupFor(options.state, options.group);
          await withBackend(async (backend) => {
            const inspector = backend.inspector;
            // The operation reports its count only when done; the bar shows what it is working through.
            const expected = await expectedCount(inspector, options.queue, options.state, group);
            const progress = out.progress(spec.verb, expected);
            let count: number;
            try {
              count = await spec.apply(inspector, options.queue, options.state, group);
              progress.update(count, Math.max(count, expected));
            } finally {
              progress.stop();
            }
            if (out.json) {
              return out.emit({
                queue: options.queue,
                state: options.state,
                ...groupOpt(group),
                count,
              });
            }
            const where = group === undefined ? "" : ` of group ${group}`;
            const tasks = plural(count, `${options.state} task`);
            out.line(`${tasks}${where} ${spec.done} in queue ${options.queue}`);
          });
        },
      );
  }
}

/** How many tasks the operation should touch (also fails early on an unknown queue). */
async function expectedCount(
  inspector: Inspector,
  queue: string,
  state: TaskState,
  group: string | undefined,
): Promise<number> {
  if (group !== undefined) {
    return (await inspector.groups(queue)).find((g) => g.group === group)?.size ?? 0;
  }
  return (await inspector.queueInfo(queue))[state];
}
