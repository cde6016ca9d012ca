import type { GroupInfo, QueueInfo, TaskInfo } from "@asynq-ts/core";
import { Box, Text } from "ink";
import pc from "picocolors";
import { taskColumns, taskFields } from "../commands/task-table.js";
import { errorRate, formatBytes, formatDuration } from "../output/format.js";
import { type Column, layoutColumns } from "./columns.js";
import { clamp, type QueueView, TABS, tabState } from "./navigation.js";

const plain = pc.createColors(false);

/** Rows of a list; the cursor's row is marked with `>` and shown inverted. */
function Rows({
  header,
  lines,
  cursor,
  width,
}: {
  header: string;
  lines: string[];
  cursor: number;
  width: number;
}) {
  return (
    <Box flexDirection="column">
      <Text bold>{`  ${header}`}</Text>
      {lines.map((line, index) =>
        index === cursor ? (
          <Text key={`${index}:${line}`} inverse>
            {`> ${line}`.padEnd(width)}
          </Text>
        ) : (
          <Text key={`${index}:${line}`}>{`  ${line}`}</Text>
        ),
      )}
    </Box>
  );
}

const QUEUE_COLUMNS: Column[] = [
  { title: "Queue", max: 30 },
  { title: "State", max: 6 },
  { title: "Size", max: 10 },
  { title: "Latency", max: 10 },
  { title: "Memory", max: 10 },
  { title: "Processed", max: 10 },
  { title: "Failed", max: 10 },
  { title: "Error Rate", max: 10 },
];

/** The queues table, the dashboard's home. */
export function QueuesScreen({
  queues,
  cursor,
  width,
}: {
  queues: readonly QueueInfo[];
  cursor: number;
  width: number;
}) {
  if (queues.length === 0)
    return <Text dimColor>No queues yet. (Enqueue a task to create one.)</Text>;
  const { header, lines } = layoutColumns(
    QUEUE_COLUMNS,
    queues.map((q) => [
      q.queue,
      q.paused ? "paused" : "run",
      String(q.size),
      formatDuration(q.latency),
      formatBytes(q.memoryUsageBytes),
      String(q.processed),
      String(q.failed),
      errorRate(q.processed, q.failed),
    ]),
    width - 2,
  );
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        Queues
      </Text>
      <Rows header={header} lines={lines} cursor={clamp(cursor, queues.length)} width={width} />
    </Box>
  );
}

/** What a queue screen shows under its tabs. */
export type QueueContent =
  | { readonly kind: "tasks"; readonly tasks: readonly TaskInfo[] }
  | { readonly kind: "groups"; readonly groups: readonly GroupInfo[] };

/** One queue: its figures, a tab per state, and the open tab's tasks (or groups). */
export function QueueScreen(props: {
  view: QueueView;
  info: QueueInfo;
  content: QueueContent;
  width: number;
  now: number;
}) {
  const { view, info, content, width, now } = props;
  const state = tabState(view);
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold color="cyan">
          Queue {info.queue}
        </Text>
        {info.paused ? <Text color="yellow"> (paused)</Text> : null}
        <Text>
          {`  size ${info.size}  latency ${formatDuration(info.latency)}  memory ${formatBytes(info.memoryUsageBytes)}  processed ${info.processed}  failed ${info.failed}  error rate ${errorRate(info.processed, info.failed)}`}
        </Text>
      </Text>
      <Box marginY={1}>
        {TABS.map((tab, index) => (
          <Text key={tab} inverse={index === view.tab} bold={index === view.tab}>
            {index === view.tab ? `[${tab} (${info[tab]})]` : ` ${tab} (${info[tab]}) `}
          </Text>
        ))}
      </Box>
      {content.kind === "groups" ? (
        <GroupList groups={content.groups} cursor={view.cursor} width={width} />
      ) : (
        <TaskList tasks={content.tasks} view={view} state={state} width={width} now={now} />
      )}
    </Box>
  );
}

function GroupList({
  groups,
  cursor,
  width,
}: {
  groups: readonly GroupInfo[];
  cursor: number;
  width: number;
}) {
  if (groups.length === 0) return <Text dimColor>No groups.</Text>;
  const { header, lines } = layoutColumns(
    [
      { title: "Group", max: 40 },
      { title: "Size", max: 10 },
    ],
    groups.map((g) => [g.group, String(g.size)]),
    width - 2,
  );
  return <Rows header={header} lines={lines} cursor={clamp(cursor, groups.length)} width={width} />;
}

function TaskList(props: {
  tasks: readonly TaskInfo[];
  view: QueueView;
  state: string;
  width: number;
  now: number;
}) {
  const { tasks, view, width, now } = props;
  const where = view.group === null ? "" : ` in group ${view.group}`;
  if (tasks.length === 0) {
    return (
      <Text
        dimColor
      >{`No ${props.state} tasks${where}${view.page > 1 ? ` on page ${view.page}` : ""}.`}</Text>
    );
  }
  const { headers, row } = taskColumns(tabState(view), now);
  const { header, lines } = layoutColumns(
    headers.map((title) => ({ title, max: title === "ID" ? 36 : 30 })),
    tasks.map((t) => row(t).map(String)),
    width - 2,
  );
  return (
    <Box flexDirection="column">
      <Rows header={header} lines={lines} cursor={clamp(view.cursor, tasks.length)} width={width} />
      <Text dimColor>{`page ${view.page}${where}`}</Text>
    </Box>
  );
}

/** Every field of one task. */
export function TaskScreen({ task, now }: { task: TaskInfo; now: number }) {
  const fields = taskFields(task, now, plain);
  const labelWidth = Math.max(...fields.map(([label]) => label.length)) + 2;
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        Task {task.id}
      </Text>
      {fields.map(([label, value]) => (
        <Text key={label}>
          <Text bold>{`${label}:`.padEnd(labelWidth)}</Text>
          {String(value)}
        </Text>
      ))}
    </Box>
  );
}

const HELP: readonly [string, string][] = [
  ["j / ↓", "move down"],
  ["k / ↑", "move up"],
  ["h / ←, l / →, Tab", "previous / next state tab"],
  ["Enter", "open the selected queue, group or task"],
  ["Esc / q", "go back (q on the queues table quits)"],
  ["n / p", "next / previous page of tasks"],
  ["r / Ctrl-L", "refresh now"],
  ["?", "toggle this help"],
  ["Ctrl-C", "quit"],
];

/** The key bindings. */
export function HelpScreen() {
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        Keys
      </Text>
      {HELP.map(([keys, what]) => (
        <Text key={keys}>
          <Text bold>{keys.padEnd(20)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}

/** The top line: where the dashboard is connected and when it last refreshed. */
export function StatusLine(props: {
  label: string;
  refreshMs: number;
  updatedAt: Date | undefined;
  error: string | undefined;
}) {
  const updated =
    props.updatedAt === undefined
      ? "loading…"
      : `updated ${props.updatedAt.toISOString().slice(11, 19)} UTC`;
  return (
    <Box flexDirection="column" marginBottom={1}>
      <Text>
        <Text bold>asynq dash</Text>
        <Text
          dimColor
        >{`  ${props.label}  every ${formatDuration(props.refreshMs)}  ${updated}  ? help  q quit`}</Text>
      </Text>
      {props.error === undefined ? null : <Text color="red">{`error: ${props.error}`}</Text>}
    </Box>
  );
}
