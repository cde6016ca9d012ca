import { type Client, hasErrorCode, Task } from "@asynq-ts/core";

/** What one producer did: the IDs whose enqueue resolved, and how the others failed. */
export interface ProducerLog {
  readonly acknowledged: string[];
  /** When each enqueue of `acknowledged` resolved (epoch ms), in the same order. */
  readonly acknowledgedAt: number[];
  readonly failures: Map<string, number>;
}

/**
 * Enqueues tasks `<idPrefix><n>` to `queue` one after the other, pausing `pauseMs` between
 * them, until `stop` aborts. Failed enqueues are counted by error code and never retried, so
 * `acknowledged` is exactly what a caller would believe was stored.
 */
export async function produce(
  client: Client,
  queue: string,
  idPrefix: string,
  pauseMs: number,
  stop: AbortSignal,
): Promise<ProducerLog> {
  const log: ProducerLog = { acknowledged: [], acknowledgedAt: [], failures: new Map() };
  for (let n = 0; !stop.aborted; n++) {
    const taskId = `${idPrefix}${n}`;
    try {
      // Retention keeps completed tasks, so the final check can tell "completed" from "lost".
      await client.enqueue(new Task("work", taskId), { queue, taskId, retention: 3_600_000 });
      log.acknowledged.push(taskId);
      log.acknowledgedAt.push(Date.now());
    } catch (error) {
      const code = codeOf(error);
      log.failures.set(code, (log.failures.get(code) ?? 0) + 1);
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return log;
}

function codeOf(error: unknown): string {
  for (const code of ["DURABILITY_TIMEOUT", "BACKEND_ERROR", "TASK_ID_CONFLICT"] as const) {
    if (hasErrorCode(error, code)) return code;
  }
  return error instanceof Error ? error.name : "unknown";
}
