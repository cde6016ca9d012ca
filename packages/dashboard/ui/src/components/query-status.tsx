import { errorMessage } from "../api/client.js";

/** Props of {@link QueryStatus}. */
export interface QueryStatusProps {
  readonly isPending: boolean;
  readonly error: unknown;
  /** What is loading, e.g. "queues". */
  readonly what: string;
}

/**
 * Loading and error placeholder for a query. Shows nothing once data is there; a failed refetch
 * after a success still shows the error above the stale data.
 */
export function QueryStatus({ isPending, error, what }: QueryStatusProps) {
  if (error !== null && error !== undefined) {
    return (
      <div className="callout error" role="alert" data-testid="query-error">
        Could not load {what}: {errorMessage(error)}
      </div>
    );
  }
  if (isPending) {
    return (
      <p className="muted" aria-busy="true">
        Loading {what}…
      </p>
    );
  }
  return null;
}
