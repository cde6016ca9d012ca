import { Link } from "react-router";
import type { QueueJson } from "../../../src/api/wire-types.js";
import { seg } from "../api/client.js";
import { useApiMutation } from "../api/mutations.js";
import { deleteQueueRequest, queueStateRequest } from "../api/task-requests.js";
import { errorRate, formatBytes, formatNumber } from "../format.js";
import { ConfirmButton } from "./confirm-button.js";

/** Props of {@link QueuesTable}. */
export interface QueuesTableProps {
  readonly queues: readonly QueueJson[];
  readonly readOnly: boolean;
}

function QueueActions({ queue }: { readonly queue: QueueJson }) {
  const mutation = useApiMutation();
  const name = queue.queue;
  return (
    <div className="row-actions">
      <button
        type="button"
        className="button small"
        disabled={mutation.isPending}
        aria-label={`${queue.paused ? "Resume" : "Pause"} queue ${name}`}
        data-testid={queue.paused ? "resume-queue" : "pause-queue"}
        onClick={() =>
          mutation.mutate({
            request: queueStateRequest(name, !queue.paused),
            label: `${queue.paused ? "Resumed" : "Paused"} queue ${name}`,
          })
        }
      >
        {queue.paused ? "Resume" : "Pause"}
      </button>
      <ConfirmButton
        className="button small danger"
        ariaLabel={`Delete queue ${name}`}
        testId="delete-queue"
        danger
        disabled={mutation.isPending}
        title={`Delete queue "${name}"?`}
        message={
          <p>
            The queue and its {formatNumber(queue.size)} task{queue.size === 1 ? "" : "s"} are
            removed from Redis. A queue with tasks may be refused.
          </p>
        }
        confirmLabel="Delete queue"
        onConfirm={() =>
          mutation.mutate({ request: deleteQueueRequest(name), label: `Deleted queue ${name}` })
        }
      >
        Delete
      </ConfirmButton>
    </div>
  );
}

/** The overview's table: one row per queue with its figures and pause/delete actions. */
export function QueuesTable({ queues, readOnly }: QueuesTableProps) {
  if (queues.length === 0) {
    return <p className="muted">No queues yet. Queues appear once a task is enqueued.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table" data-testid="queues-table">
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col" className="num">
              Memory
            </th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col" className="num">
              Processed
            </th>
            <th scope="col" className="num">
              Failed
            </th>
            <th scope="col" className="num">
              Error rate
            </th>
            {readOnly ? null : <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr key={q.queue} data-testid={`queue-row-${q.queue}`}>
              <th scope="row">
                <Link to={`/queues/${seg(q.queue)}`}>{q.queue}</Link>
              </th>
              <td data-testid="queue-state">
                <span className={q.paused ? "badge warn" : "badge ok"}>
                  {q.paused ? "paused" : "run"}
                </span>
              </td>
              <td className="num" data-testid="queue-size">
                {formatNumber(q.size)}
              </td>
              <td className="num">{formatBytes(q.memory_usage_bytes)}</td>
              <td className="num">{q.display_latency}</td>
              <td className="num">{formatNumber(q.processed)}</td>
              <td className="num">{formatNumber(q.failed)}</td>
              <td className="num">{errorRate(q.processed, q.failed)}</td>
              {readOnly ? null : (
                <td>
                  <QueueActions queue={q} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
