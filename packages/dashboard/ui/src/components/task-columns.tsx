import type { ReactNode } from "react";
import type { TaskJson } from "../../../src/api/wire-types.js";
import type { TaskState } from "../api/task-states.js";
import { formatSeconds, NONE } from "../format.js";
import { RelativeTime } from "./relative-time.js";

/** One state-specific column of the task table. */
export interface TaskColumn {
  readonly header: string;
  readonly className?: string;
  cell(task: TaskJson): ReactNode;
}

function ErrorCell({ task }: { readonly task: TaskJson }) {
  if (task.error_message === "") return <span className="muted">{NONE}</span>;
  return (
    <span className="cell-error" title={task.error_message}>
      {task.error_message}
    </span>
  );
}

const started: TaskColumn = {
  header: "Started",
  cell: (t) =>
    t.is_orphaned ? (
      <span className="badge danger" title="Its lease expired: the worker is presumed gone">
        orphaned
      </span>
    ) : (
      <RelativeTime value={t.start_time} />
    ),
};
const deadline: TaskColumn = {
  header: "Deadline",
  cell: (t) => <RelativeTime value={t.deadline} />,
};
const nextRun: TaskColumn = {
  header: "Process at",
  cell: (t) => <RelativeTime value={t.next_process_at} />,
};
const retries: TaskColumn = {
  header: "Retried",
  className: "num",
  cell: (t) => `${t.retried} / ${t.max_retry}`,
};
const lastError: TaskColumn = { header: "Last error", cell: (t) => <ErrorCell task={t} /> };
const lastFailed: TaskColumn = {
  header: "Last failed",
  cell: (t) => <RelativeTime value={t.last_failed_at} />,
};

/** The columns each state adds after ID, type and payload. */
export const STATE_COLUMNS: Readonly<Record<TaskState, readonly TaskColumn[]>> = {
  active: [started, deadline],
  pending: [retries],
  aggregating: [{ header: "Group", cell: (t) => t.group }],
  scheduled: [nextRun],
  retry: [nextRun, retries, lastError],
  archived: [lastFailed, lastError],
  completed: [
    { header: "Completed", cell: (t) => <RelativeTime value={t.completed_at} /> },
    {
      header: "Result",
      cell: (t) =>
        t.result === "" ? <span className="muted">{NONE}</span> : <code>{t.result}</code>,
    },
    { header: "TTL", className: "num", cell: (t) => formatSeconds(t.ttl_seconds) },
  ],
};
