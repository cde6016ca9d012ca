import type { EnqueueInterceptor } from "@asynq-ts/core";

/** Header holding when the task was enqueued, epoch ms (decimal). */
export const ENQUEUED_AT_HEADER = "asynq-ts-enqueued-at";

/** Header holding when a scheduled task becomes due, epoch ms; absent for tasks due at once. */
export const DUE_AT_HEADER = "asynq-ts-due-at";

/**
 * A client interceptor that stamps every task with its enqueue time (and, when scheduled, its
 * due time), so `ServerMetrics` can observe how long it waited before its first attempt.
 * Uses the client's clock. Go asynq peers ignore the headers.
 */
export function enqueueTimeInterceptor(): EnqueueInterceptor {
  return (outgoing) => {
    outgoing.setHeader(ENQUEUED_AT_HEADER, String(outgoing.now));
    if (outgoing.processAt > outgoing.now)
      outgoing.setHeader(DUE_AT_HEADER, String(outgoing.processAt));
    return undefined;
  };
}

/**
 * When the task became ready to run, from its headers: the due time of a scheduled task, else
 * its enqueue time. Undefined when the headers are missing or malformed (e.g. a Go producer).
 */
export function readyAt(headers: Readonly<Record<string, string>>): number | undefined {
  const due = parseInstant(headers[DUE_AT_HEADER]);
  return due ?? parseInstant(headers[ENQUEUED_AT_HEADER]);
}

function parseInstant(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
