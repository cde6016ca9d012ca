import { useApiMutation } from "../api/mutations.js";
import { allTasksRequest, batchTaskRequest, type TaskScope } from "../api/task-requests.js";
import { ACTIONS_BY_STATE, actionLabel, type TaskAction } from "../api/task-states.js";
import { formatNumber } from "../format.js";
import { ConfirmButton } from "./confirm-button.js";

/** Props of {@link BulkActions}. */
export interface BulkActionsProps {
  readonly scope: TaskScope;
  readonly selected: readonly string[];
  /** How many tasks "all" covers (the whole state or group, not the current page). */
  readonly total: number;
  onDone(): void;
}

const PAST_TENSE: Readonly<Record<TaskAction, string>> = {
  cancel: "Canceled",
  run: "Ran",
  archive: "Archived",
  delete: "Deleted",
};

/** Actions for the selected rows and for every task of the state (the latter confirmed first). */
export function BulkActions({ scope, selected, total, onDone }: BulkActionsProps) {
  const mutation = useApiMutation(onDone);
  const actions = ACTIONS_BY_STATE[scope.state];
  const where = scope.state === "aggregating" ? `group "${scope.group}"` : `queue "${scope.queue}"`;
  return (
    <div className="bulk-bar" data-testid="bulk-actions">
      <span className="muted" data-testid="selected-count">
        {selected.length} selected
      </span>
      {actions.map((action) => (
        <button
          key={`batch-${action}`}
          type="button"
          className={action === "delete" ? "button small danger" : "button small"}
          disabled={selected.length === 0 || mutation.isPending}
          data-testid={`batch-${action}`}
          onClick={() =>
            mutation.mutate({
              request: batchTaskRequest(scope, action, selected),
              label: `${PAST_TENSE[action]} selected`,
            })
          }
        >
          {actionLabel(action)} selected
        </button>
      ))}
      <span className="bulk-sep" aria-hidden="true" />
      {actions.map((action) => (
        <ConfirmButton
          key={`all-${action}`}
          className={action === "delete" ? "button small danger" : "button small"}
          testId={`all-${action}`}
          danger={action === "delete"}
          disabled={total === 0 || mutation.isPending}
          title={`${actionLabel(action)} all ${scope.state} tasks?`}
          message={
            <p>
              This applies to all {formatNumber(total)} {scope.state} task{total === 1 ? "" : "s"}{" "}
              in {where}, not only the ones shown.
            </p>
          }
          confirmLabel={`${actionLabel(action)} all`}
          onConfirm={() =>
            mutation.mutate({
              request: allTasksRequest(scope, action),
              label: `${PAST_TENSE[action]} all ${scope.state}`,
            })
          }
        >
          {actionLabel(action)} all
        </ConfirmButton>
      ))}
    </div>
  );
}
