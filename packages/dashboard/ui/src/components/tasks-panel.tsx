import { useEffect, useState } from "react";
import type { QueueJson } from "../../../src/api/wire-types.js";
import { useGroups, useTaskList } from "../api/queries.js";
import type { TaskState } from "../api/task-states.js";
import { BulkActions } from "./bulk-actions.js";
import { GroupSelect } from "./group-select.js";
import { Pagination } from "./pagination.js";
import { QueryStatus } from "./query-status.js";
import { TaskFilter, type TaskFilterValue } from "./task-filter.js";
import { TaskTable } from "./task-table.js";

/** Props of {@link TasksPanel}. */
export interface TasksPanelProps {
  readonly queue: QueueJson;
  readonly state: TaskState;
  readonly readOnly: boolean;
  readonly id: string;
}

const NO_FILTER: TaskFilterValue = { type: "", payload: "" };

/**
 * One tab's content: the group selector (aggregating), the filter, bulk actions, the task table
 * and pagination. The parent remounts it per state, which resets page, filter and selection.
 */
export function TasksPanel({ queue, state, readOnly, id }: TasksPanelProps) {
  const [page, setPage] = useState(1);
  const [size, setSize] = useState(20);
  const [filter, setFilter] = useState(NO_FILTER);
  const [chosenGroup, setChosenGroup] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  const groups = useGroups(queue.queue, state === "aggregating");
  const groupList = groups.data?.groups ?? [];
  const group = groupList.some((g) => g.group === chosenGroup)
    ? chosenGroup
    : (groupList[0]?.group ?? "");

  const list = useTaskList({
    queue: queue.queue,
    state,
    group,
    page,
    size,
    typeFilter: filter.type,
    payloadFilter: filter.payload,
  });
  const tasks = list.data?.tasks ?? [];
  const filtered = filter.type !== "" || filter.payload !== "";
  const groupSize = groupList.find((g) => g.group === group)?.size ?? 0;
  const stateTotal = state === "aggregating" ? groupSize : queue[state];
  const scope = { queue: queue.queue, state, group };
  const reset = () => {
    setSelected(new Set());
    setPage(1);
  };
  // After tasks leave the list (actions, workers) the page may lie past the end: step back.
  const lastPage = Math.max(1, Math.ceil(stateTotal / size));
  useEffect(() => {
    if (!filtered && page > lastPage) setPage(lastPage);
  }, [filtered, page, lastPage]);
  // Selection only ever names tasks still listed, so a batch never acts on vanished rows.
  const visibleSelected = tasks.filter((t) => selected.has(t.id)).map((t) => t.id);

  return (
    <section className="card tab-panel" role="tabpanel" id={id} data-testid={`panel-${state}`}>
      <div className="panel-tools">
        {state === "aggregating" ? (
          <GroupSelect
            groups={groupList}
            value={group}
            onChange={(g) => {
              setChosenGroup(g);
              reset();
            }}
          />
        ) : null}
        <TaskFilter
          value={filter}
          onChange={(value) => {
            setFilter(value);
            reset();
          }}
        />
      </div>
      {readOnly || (state === "aggregating" && group === "") ? null : (
        <BulkActions
          scope={scope}
          selected={visibleSelected}
          total={stateTotal}
          onDone={() => setSelected(new Set())}
        />
      )}
      {filtered && list.data?.truncated ? (
        <p className="callout warn small">
          The search stopped after {list.data.scanned} tasks; some matches may be missing.
        </p>
      ) : null}
      {state === "aggregating" && group === "" ? null : (
        <>
          <QueryStatus isPending={list.isPending} error={list.error} what="tasks" />
          {list.data && tasks.length === 0 ? (
            <p className="empty" data-testid="no-tasks">
              {filtered ? "No matching tasks." : `No ${state} tasks.`}
            </p>
          ) : null}
          {tasks.length > 0 ? (
            <TaskTable
              scope={scope}
              tasks={tasks}
              readOnly={readOnly}
              selected={selected}
              onSelectedChange={setSelected}
            />
          ) : null}
          <Pagination
            page={page}
            size={size}
            total={filtered ? undefined : stateTotal}
            shown={tasks.length}
            onPage={(p) => {
              setSelected(new Set());
              setPage(p);
            }}
            onSize={(s) => {
              setSize(s);
              reset();
            }}
          />
        </>
      )}
    </section>
  );
}
