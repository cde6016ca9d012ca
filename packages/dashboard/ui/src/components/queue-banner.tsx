import type { QueueJson } from "../../../src/api/wire-types.js";
import { useApiMutation } from "../api/mutations.js";
import { queueStateRequest } from "../api/task-requests.js";
import { errorRate, formatBytes, formatNumber } from "../format.js";

/** Props of {@link QueueBanner}. */
export interface QueueBannerProps {
  readonly queue: QueueJson;
  readonly readOnly: boolean;
}

/** The queue page's header: name, state and today's figures, with pause/resume. */
export function QueueBanner({ queue, readOnly }: QueueBannerProps) {
  const mutation = useApiMutation();
  const figures: ReadonlyArray<readonly [string, string]> = [
    ["Size", formatNumber(queue.size)],
    ["Groups", formatNumber(queue.groups)],
    ["Memory", formatBytes(queue.memory_usage_bytes)],
    ["Latency", queue.display_latency],
    ["Processed today", formatNumber(queue.processed)],
    ["Failed today", formatNumber(queue.failed)],
    ["Error rate", errorRate(queue.processed, queue.failed)],
  ];
  return (
    <section className="banner card" aria-label="Queue summary" data-testid="queue-banner">
      <div className="banner-title">
        <h1>
          Queue <span className="mono">{queue.queue}</span>
        </h1>
        <span className={queue.paused ? "badge warn" : "badge ok"} data-testid="queue-state">
          {queue.paused ? "paused" : "run"}
        </span>
        {readOnly ? null : (
          <button
            type="button"
            className="button small"
            disabled={mutation.isPending}
            aria-label={`${queue.paused ? "Resume" : "Pause"} queue ${queue.queue}`}
            onClick={() =>
              mutation.mutate({
                request: queueStateRequest(queue.queue, !queue.paused),
                label: `${queue.paused ? "Resumed" : "Paused"} queue ${queue.queue}`,
              })
            }
          >
            {queue.paused ? "Resume" : "Pause"}
          </button>
        )}
      </div>
      <dl className="figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
