import type { WaitForTasksParams } from "@asynq-ts/core";
import { asNumber } from "../connection/replies.js";
import type { BrokerContext } from "./context.js";
import { noteCandidate } from "./dequeue.js";
import type { Listening, PubSubHub } from "./pubsub-hub.js";

/**
 * Waits until a queue may have a processable task: a notification on one of the queues'
 * channels (published by the scripts that make tasks pending), a task already waiting, the
 * timeout, the abort signal, or the broker closing. Go servers do not publish, so callers
 * still poll; this only shortens the wait. Never throws: a failed subscription just waits.
 * `knownEmpty`: a read made while every channel was already subscribed found no processable
 * task, and nothing was published since, so the check for waiting tasks is skipped (anything
 * made pending since then publishes to a handler registered here).
 */
export function waitForTasks(
  ctx: BrokerContext,
  hub: PubSubHub,
  params: Readonly<WaitForTasksParams>,
  closing: AbortSignal,
  knownEmpty = false,
): Promise<void> {
  const { signal } = params;
  if (signal?.aborted || closing.aborted || params.timeout <= 0 || !ctx.notify) {
    return ctx.notify ? Promise.resolve() : sleep(params.timeout, signal, closing);
  }
  return new Promise<void>((resolve) => {
    const listenings: Listening[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", finish);
      closing.removeEventListener("abort", finish);
      for (const listening of listenings) listening.remove();
      resolve();
    };
    const timer = setTimeout(finish, params.timeout);
    signal?.addEventListener("abort", finish, { once: true });
    closing.addEventListener("abort", finish, { once: true });
    for (const queue of params.queues) {
      const onMessage = (message: string) => {
        // "1" announces tasks without naming one; anything else is the ID of a new task.
        if (message !== "1") noteCandidate(ctx, queue, message);
        finish();
      };
      listenings.push(hub.listen(ctx.keys.queue(queue).notifyChannel, onMessage, true));
    }
    // Once subscribed, a task that became pending before the subscription must not be missed.
    if (knownEmpty) return;
    Promise.all(listenings.map((l) => l.ready))
      .then(async () => {
        if (!settled && (await anyProcessable(ctx, params.queues))) finish();
      })
      .catch(() => {});
  });
}

async function anyProcessable(ctx: BrokerContext, queues: readonly string[]): Promise<boolean> {
  const states = await Promise.all(
    queues.map(async (queue) => {
      const q = ctx.keys.queue(queue);
      const [pending, paused] = await Promise.all([
        ctx.send("LLEN", [q.pending]),
        ctx.send("EXISTS", [q.paused]),
      ]);
      return asNumber(pending) > 0 && asNumber(paused) === 0;
    }),
  );
  return states.includes(true);
}

function sleep(ms: number, signal: AbortSignal | undefined, closing: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted || closing.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      closing.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    closing.addEventListener("abort", done, { once: true });
  });
}
