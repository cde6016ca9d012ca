import { Fragment, useState } from "react";
import { Link } from "react-router";
import type { ServerJson } from "../../../src/api/wire-types.js";
import { seg } from "../api/client.js";
import { useServers } from "../api/queries.js";
import { QueryStatus } from "../components/query-status.js";
import { RelativeTime } from "../components/relative-time.js";

function Priorities({ server }: { readonly server: ServerJson }) {
  const entries = Object.entries(server.queue_priorities).sort(([, a], [, b]) => b - a);
  return (
    <ul className="chips">
      {entries.map(([queue, priority]) => (
        <li key={queue} className="chip">
          <Link to={`/queues/${seg(queue)}`}>{queue}</Link>
          <span className="muted"> {priority}</span>
        </li>
      ))}
      {server.strict_priority_enabled ? <li className="chip muted">strict</li> : null}
    </ul>
  );
}

function Workers({ server }: { readonly server: ServerJson }) {
  if (server.active_workers.length === 0) return <p className="muted">No active workers.</p>;
  return (
    <table className="table compact" data-testid="worker-table">
      <thead>
        <tr>
          <th scope="col">Task ID</th>
          <th scope="col">Type</th>
          <th scope="col">Payload</th>
          <th scope="col">Queue</th>
          <th scope="col">Started</th>
        </tr>
      </thead>
      <tbody>
        {server.active_workers.map((w) => (
          <tr key={w.task_id}>
            <td className="mono">
              <Link to={`/queues/${seg(w.queue)}/tasks/${seg(w.task_id)}`}>{w.task_id}</Link>
            </td>
            <td className="mono">{w.task_type}</td>
            <td className="payload-cell">
              <code>{w.task_payload}</code>
            </td>
            <td>{w.queue}</td>
            <td>
              <RelativeTime value={w.start_time} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `/servers`: live worker processes and what they run. */
export function ServersPage() {
  const servers = useServers();
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  const list = servers.data?.servers ?? [];
  return (
    <>
      <h1>Servers</h1>
      <QueryStatus isPending={servers.isPending} error={servers.error} what="servers" />
      {servers.data && list.length === 0 ? <p className="empty">No servers are running.</p> : null}
      {list.length > 0 ? (
        <section className="card">
          <div className="table-wrap">
            <table className="table" data-testid="servers-table">
              <thead>
                <tr>
                  <th scope="col">Host:PID</th>
                  <th scope="col">Started</th>
                  <th scope="col">Status</th>
                  <th scope="col">Queues (priority)</th>
                  <th scope="col">Active workers</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <Fragment key={s.id}>
                    <tr data-testid={`server-row-${s.id}`}>
                      <th scope="row" className="mono">
                        {s.host}:{s.pid}
                      </th>
                      <td>
                        <RelativeTime value={s.start_time} />
                      </td>
                      <td>
                        <span className={s.status === "active" ? "badge ok" : "badge"}>
                          {s.status}
                        </span>
                      </td>
                      <td>
                        <Priorities server={s} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button small"
                          aria-expanded={open.has(s.id)}
                          aria-label={`Workers of ${s.host}:${s.pid}`}
                          onClick={() => toggle(s.id)}
                        >
                          {s.active_workers.length} / {s.concurrency} {open.has(s.id) ? "▴" : "▾"}
                        </button>
                      </td>
                    </tr>
                    {open.has(s.id) ? (
                      <tr className="expanded">
                        <td colSpan={5}>
                          <Workers server={s} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
