import type { TaskInfo, TaskState } from "@asynq-ts/core";
import type { Colours } from "../output/colour.js";
import {
  formatDuration,
  formatPayload,
  formatRelative,
  formatTime,
  printableText,
  truncate,
} from "../output/format.js";
import type { Cell } from "../output/table.js";

/** The columns `task ls` shows for a state, and how each task fills them (Go asynq's choice). */
export function taskColumns(
  state: TaskState,
  now: number,
): { headers: string[]; row: (task: TaskInfo) => Cell[] } {
  const base = (t: TaskInfo): Cell[] => [t.id, t.type, formatPayload(t.payload)];
  const headers = ["ID", "Type", "Payload"];
  switch (state) {
    case "active":
      return {
        headers: [...headers, "Deadline", "Orphaned"],
        row: (t) => [...base(t), formatRelative(t.deadline, now), t.isOrphaned ? "yes" : "no"],
      };
    case "pending":
      return {
        headers: [...headers, "Retried"],
        row: (t) => [...base(t), `${t.retried}/${t.maxRetry}`],
      };
    case "scheduled":
      return {
        headers: [...headers, "Process In"],
        row: (t) => [...base(t), formatRelative(t.nextProcessAt, now)],
      };
    case "retry":
      return {
        headers: [...headers, "Next Retry", "Last Error", "Last Failed", "Retried", "Max Retry"],
        row: (t) => [
          ...base(t),
          formatRelative(t.nextProcessAt, now),
          truncate(t.lastError, 40),
          formatRelative(t.lastFailedAt, now),
          t.retried,
          t.maxRetry,
        ],
      };
    case "archived":
      return {
        headers: [...headers, "Last Failed", "Last Error"],
        row: (t) => [...base(t), formatRelative(t.lastFailedAt, now), truncate(t.lastError, 40)],
      };
    case "completed":
      return {
        headers: [...headers, "Completed", "Result"],
        row: (t) => [
          ...base(t),
          formatRelative(t.completedAt, now),
          t.result === null ? "-" : formatPayload(t.result, 30),
        ],
      };
    case "aggregating":
      return { headers: [...headers, "Group"], row: (t) => [...base(t), t.group] };
  }
}

/** Every field of a task, as `task inspect` prints them. */
export function taskFields(t: TaskInfo, now: number, c: Colours): [string, Cell][] {
  const text = printableText(t.payload);
  const headers = Object.entries(t.headers).map(([k, v]) => `${k}=${v}`);
  const fields: [string, Cell][] = [
    ["ID", t.id],
    ["Queue", t.queue],
    ["Type", t.type],
    ["State", c.bold(t.state)],
    ["Payload", text ?? `<${t.payload.length} bytes, not printable>`],
  ];
  if (headers.length > 0) fields.push(["Headers", headers.join(", ")]);
  fields.push(["Retried", `${t.retried}/${t.maxRetry}`]);
  if (t.nextProcessAt !== null) {
    fields.push([
      "Next process time",
      `${formatTime(t.nextProcessAt)} (${formatRelative(t.nextProcessAt, now)})`,
    ]);
  }
  if (t.lastError !== "") {
    fields.push(["Last error", c.red(t.lastError)]);
    fields.push(["Last failed", formatTime(t.lastFailedAt)]);
  }
  fields.push(["Timeout", t.timeout > 0 ? formatDuration(t.timeout) : "-"]);
  fields.push(["Deadline", formatTime(t.deadline)]);
  if (t.group !== "") fields.push(["Group", t.group]);
  fields.push(["Retention", t.retention > 0 ? formatDuration(t.retention) : "-"]);
  if (t.completedAt !== null) fields.push(["Completed at", formatTime(t.completedAt)]);
  if (t.result !== null) fields.push(["Result", formatPayload(t.result, 200)]);
  if (t.state === "active") fields.push(["Orphaned", t.isOrphaned ? "yes" : "no"]);
  return fields;
}
