import { Link } from "react-router";
import type { TaskJson } from "../../../src/api/wire-types.js";
import { seg } from "../api/client.js";
import { useApiMutation } from "../api/mutations.js";
import { singleTaskRequest, type TaskScope } from "../api/task-requests.js";
import { ACTIONS_BY_STATE, actionLabel } from "../api/task-states.js";
import { STATE_COLUMNS } from "./task-columns.js";

/** Props of {@link TaskTable}. */
export interface TaskTableProps {
  readonly scope: TaskScope;
  readonly tasks: readonly TaskJson[];
  readonly readOnly: boolean;
  readonly selected: ReadonlySet<string>;
  onSelectedChange(next: ReadonlySet<string>): void;
}

const PAST_TENSE = { cancel: "Canceled", run: "Ran", archive: "Archived", delete: "Deleted" };

function RowActions({ scope, task }: { readonly scope: TaskScope; readonly task: TaskJson }) {
  const mutation = useApiMutation();
  return (
    <div className="row-actions">
      {ACTIONS_BY_STATE[scope.state].map((action) => (
        <button
          key={action}
          type="button"
          className={action === "delete" ? "button small danger" : "button small"}
          disabled={mutation.isPending}
          aria-label={`${actionLabel(action)} task ${task.id}`}
          data-testid={`row-${action}`}
          onClick={() =>
            mutation.mutate({
              request: singleTaskRequest(scope, action, task.id),
              label: `${PAST_TENSE[action]} task ${task.id}`,
            })
          }
        >
          {actionLabel(action)}
        </button>
      ))}
    </div>
  );
}

/** The queue page's task list for one state, with row selection and per-row actions. */
export function TaskTable({ scope, tasks, readOnly, selected, onSelectedChange }: TaskTableProps) {
  const columns = STATE_COLUMNS[scope.state];
  const allSelected = tasks.length > 0 && tasks.every((t) => selected.has(t.id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelectedChange(next);
  };
  return (
    <div className="table-wrap">
      <table className="table" data-testid="task-table">
        <thead>
          <tr>
            {readOnly ? null : (
              <th scope="col" className="check">
                <input
                  type="checkbox"
                  aria-label="Select all tasks on this page"
                  checked={allSelected}
                  onChange={() =>
                    onSelectedChange(allSelected ? new Set() : new Set(tasks.map((t) => t.id)))
                  }
                />
              </th>
            )}
            <th scope="col">ID</th>
            <th scope="col">Type</th>
            <th scope="col">Payload</th>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
            {readOnly ? null : <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} data-testid={`task-row-${task.id}`}>
              {readOnly ? null : (
                <td className="check">
                  <input
                    type="checkbox"
                    aria-label={`Select task ${task.id}`}
                    checked={selected.has(task.id)}
                    onChange={() => toggle(task.id)}
                  />
                </td>
              )}
              <td className="mono">
                <Link to={`/queues/${seg(scope.queue)}/tasks/${seg(task.id)}`}>{task.id}</Link>
              </td>
              <td className="mono">{task.type}</td>
              <td className="payload-cell">
                <code data-testid="task-payload-cell">{task.payload}</code>
              </td>
              {columns.map((c) => (
                <td key={c.header} className={c.className}>
                  {c.cell(task)}
                </td>
              ))}
              {readOnly ? null : (
                <td>
                  <RowActions scope={scope} task={task} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
