import { useId } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useConfig, useQueue } from "../api/queries.js";
import { isTaskState } from "../api/task-states.js";
import { QueryStatus } from "../components/query-status.js";
import { QueueBanner } from "../components/queue-banner.js";
import { StateTabs } from "../components/state-tabs.js";
import { TasksPanel } from "../components/tasks-panel.js";

/** `/queues/:qname?status=<state>`: a queue's figures and its tasks, one tab per state. */
export function QueuePage() {
  const { qname = "" } = useParams();
  const [search] = useSearchParams();
  const status = search.get("status");
  const state = isTaskState(status) ? status : "active";
  const config = useConfig();
  const queue = useQueue(qname);
  const readOnly = config.data?.read_only ?? true;
  const panelId = useId();
  return (
    <>
      <p className="crumbs">
        <Link to="/">Queues</Link> / <span className="mono">{qname}</span>
      </p>
      <QueryStatus isPending={queue.isPending} error={queue.error} what={`queue "${qname}"`} />
      {queue.data ? (
        <>
          <QueueBanner queue={queue.data.current} readOnly={readOnly} />
          <StateTabs queue={queue.data.current} current={state} panelId={panelId} />
          <TasksPanel
            key={state}
            id={panelId}
            queue={queue.data.current}
            state={state}
            readOnly={readOnly}
          />
        </>
      ) : null}
    </>
  );
}
