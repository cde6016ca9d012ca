import { Fragment, useState } from "react";
import { Link } from "react-router";
import type { SchedulerEntryJson } from "../../../src/api/wire-types.js";
import { seg } from "../api/client.js";
import { useEnqueueEvents, useSchedulerEntries } from "../api/queries.js";
import { QueryStatus } from "../components/query-status.js";
import { RelativeTime } from "../components/relative-time.js";
import { formatTime } from "../format.js";

/** Go's option string `Queue("name")` names the queue an entry enqueues into. */
function queueOf(entry: SchedulerEntryJson): string {
  for (const option of entry.options) {
    const match = /^Queue\("(.*)"\)$/.exec(option);
    if (match?.[1] !== undefined) return match[1];
  }
  return "default";
}

function History({ entry }: { readonly entry: SchedulerEntryJson }) {
  const events = useEnqueueEvents(entry.id);
  const list = events.data?.events ?? [];
  const queue = queueOf(entry);
  return (
    <div data-testid={`history-${entry.id}`}>
      <QueryStatus isPending={events.isPending} error={events.error} what="enqueue history" />
      {events.data && list.length === 0 ? <p className="muted">No enqueues recorded.</p> : null}
      {list.length > 0 ? (
        <table className="table compact">
          <thead>
            <tr>
              <th scope="col">Task ID</th>
              <th scope="col">Enqueued at</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={`${e.task_id}-${e.enqueued_at}`}>
                <td className="mono">
                  <Link to={`/queues/${seg(queue)}/tasks/${seg(e.task_id)}`}>{e.task_id}</Link>
                </td>
                <td>
                  {formatTime(e.enqueued_at)}{" "}
                  <span className="muted">
                    (<RelativeTime value={e.enqueued_at} />)
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/** `/schedulers`: periodic task entries and each one's enqueue history. */
export function SchedulersPage() {
  const entries = useSchedulerEntries();
  const [open, setOpen] = useState<string | undefined>(undefined);
  const list = entries.data?.entries ?? [];
  return (
    <>
      <h1>Schedulers</h1>
      <QueryStatus isPending={entries.isPending} error={entries.error} what="scheduler entries" />
      {entries.data && list.length === 0 ? (
        <p className="empty">No scheduler entries are registered.</p>
      ) : null}
      {list.length > 0 ? (
        <section className="card">
          <div className="table-wrap">
            <table className="table" data-testid="scheduler-table">
              <thead>
                <tr>
                  <th scope="col">Entry ID</th>
                  <th scope="col">Spec</th>
                  <th scope="col">Type</th>
                  <th scope="col">Payload</th>
                  <th scope="col">Options</th>
                  <th scope="col">Next enqueue</th>
                  <th scope="col">Prev enqueue</th>
                  <th scope="col">History</th>
                </tr>
              </thead>
              <tbody>
                {list.map((entry) => (
                  <Fragment key={entry.id}>
                    <tr data-testid={`entry-row-${entry.id}`}>
                      <th scope="row" className="mono">
                        {entry.id}
                      </th>
                      <td className="mono">{entry.spec}</td>
                      <td className="mono">{entry.task_type}</td>
                      <td className="payload-cell">
                        <code>{entry.task_payload}</code>
                      </td>
                      <td>
                        <ul className="chips">
                          {entry.options.map((o) => (
                            <li key={o} className="chip mono">
                              {o}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <RelativeTime value={entry.next_enqueue_at} />
                      </td>
                      <td>
                        <RelativeTime value={entry.prev_enqueue_at} />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button small"
                          aria-expanded={open === entry.id}
                          aria-label={`Enqueue history of ${entry.id}`}
                          onClick={() => setOpen(open === entry.id ? undefined : entry.id)}
                        >
                          {open === entry.id ? "Hide" : "Show"}
                        </button>
                      </td>
                    </tr>
                    {open === entry.id ? (
                      <tr className="expanded">
                        <td colSpan={8}>
                          <History entry={entry} />
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
