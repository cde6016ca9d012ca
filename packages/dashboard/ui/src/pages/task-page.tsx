import type { ReactNode } from "react";
import { Link, useParams } from "react-router";
import type { TaskJson } from "../../../src/api/wire-types.js";
import { seg } from "../api/client.js";
import { useTask } from "../api/queries.js";
import { QueryStatus } from "../components/query-status.js";
import { RelativeTime } from "../components/relative-time.js";
import { TextBlock } from "../components/text-block.js";
import { formatSeconds, formatTime, NONE } from "../format.js";

function When({ value }: { readonly value: string }) {
  if (value === "" || value === "-") return <span className="muted">{NONE}</span>;
  return (
    <>
      {formatTime(value)}{" "}
      <span className="muted">
        (<RelativeTime value={value} />)
      </span>
    </>
  );
}

function fields(task: TaskJson): ReadonlyArray<readonly [string, ReactNode]> {
  return [
    ["ID", <span className="mono">{task.id}</span>],
    ["Type", <span className="mono">{task.type}</span>],
    [
      "State",
      <>
        <span className={`badge state-${task.state}`}>{task.state}</span>
        {task.is_orphaned ? <span className="badge danger">orphaned</span> : null}
      </>,
    ],
    ["Queue", <Link to={`/queues/${seg(task.queue)}?status=${task.state}`}>{task.queue}</Link>],
    ["Group", task.group === "" ? <span className="muted">{NONE}</span> : task.group],
    ["Retried", `${task.retried} of ${task.max_retry}`],
    ["Timeout", task.timeout_seconds > 0 ? formatSeconds(task.timeout_seconds) : NONE],
    ["Deadline", <When value={task.deadline} />],
    ["Next process at", <When value={task.next_process_at} />],
    ["Started", <When value={task.start_time} />],
    ["Last failed at", <When value={task.last_failed_at} />],
    ["Completed at", <When value={task.completed_at} />],
    ["Retained for", task.ttl_seconds > 0 ? formatSeconds(task.ttl_seconds) : NONE],
  ];
}

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** `/queues/:qname/tasks/:taskId`: every field of one task. */
export function TaskPage() {
  const { qname = "", taskId = "" } = useParams();
  const task = useTask(qname, taskId);
  const t = task.data;
  const headers = Object.entries(t?.headers ?? {});
  return (
    <>
      <p className="crumbs">
        <Link to="/">Queues</Link> / <Link to={`/queues/${seg(qname)}`}>{qname}</Link> /{" "}
        <span className="mono">{taskId}</span>
      </p>
      <h1>Task details</h1>
      <QueryStatus isPending={task.isPending} error={task.error} what={`task "${taskId}"`} />
      {t ? (
        <div className="stack" data-testid="task-details">
          <section className="card">
            <dl className="details">
              {fields(t).map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd data-testid={`task-field-${label.toLowerCase().replaceAll(" ", "-")}`}>
                    {value}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
          <Section title="Payload">
            <TextBlock text={t.payload} truncated={t.payload_truncated} testId="task-payload" />
          </Section>
          {t.error_message !== "" ? (
            <Section title="Last error">
              <pre className="code error-text" data-testid="task-error">
                {t.error_message}
              </pre>
              <p className="muted small">
                Failed <When value={t.last_failed_at} />
              </p>
            </Section>
          ) : null}
          {t.result !== "" || t.state === "completed" ? (
            <Section title="Result">
              <TextBlock
                text={t.result}
                truncated={t.result_truncated}
                testId="task-result"
                empty="(no result)"
              />
            </Section>
          ) : null}
          {headers.length > 0 ? (
            <Section title="Headers">
              <table className="table compact" data-testid="task-headers">
                <tbody>
                  {headers.map(([key, value]) => (
                    <tr key={key}>
                      <th scope="row" className="mono">
                        {key}
                      </th>
                      <td className="mono">{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
