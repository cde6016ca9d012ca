import { Link } from "react-router";
import type { QueueJson } from "../../../src/api/wire-types.js";
import { stateLabel, TASK_STATES, type TaskState } from "../api/task-states.js";
import { formatNumber } from "../format.js";

/** Props of {@link StateTabs}. */
export interface StateTabsProps {
  readonly queue: QueueJson;
  readonly current: TaskState;
  /** The id of the panel the tabs control. */
  readonly panelId: string;
}

/** One tab per task state with its count; the state lives in `?status=`. */
export function StateTabs({ queue, current, panelId }: StateTabsProps) {
  return (
    <div className="tabs" role="tablist" aria-label="Task states">
      {TASK_STATES.map((state) => (
        <Link
          key={state}
          to={`?status=${state}`}
          role="tab"
          aria-selected={state === current}
          aria-controls={panelId}
          className="tab"
          data-testid={`tab-${state}`}
        >
          {stateLabel(state)}
          <span className="tab-count" data-testid={`tab-count-${state}`}>
            {formatNumber(queue[state])}
          </span>
        </Link>
      ))}
    </div>
  );
}
