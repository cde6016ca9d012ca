import { randomUUID } from "node:crypto";
import type { PublishCancellationParams, Subscription } from "@asynq-ts/core";
import type { BrokerContext } from "./context.js";
import type { PubSubHub } from "./pubsub-hub.js";

// Marks the barrier messages below; subscribers never report them as task IDs.
const BARRIER_PREFIX = "asynq-ts:subscribe-barrier:";
// How long a new cluster subscription waits for its barrier before delivering anyway.
const BARRIER_TIMEOUT_MS = 2_000;

/** PUBLISHes the bare task ID on `<prefix>:cancel`, as Go asynq does. */
export async function publishCancellation(
  ctx: BrokerContext,
  params: Readonly<PublishCancellationParams>,
): Promise<void> {
  await ctx.send("PUBLISH", [ctx.keys.cancelChannel, params.taskId]);
}

/**
 * Delivers task IDs published on the cancel channel until closed. On a cluster, PUBLISH reaches
 * other nodes over the cluster bus, so a message published just before we subscribed could
 * still arrive after: the subscription publishes a barrier through the node our publishes go
 * to and drops everything that arrives before it.
 */
export async function subscribeCancellations(
  ctx: BrokerContext,
  hub: PubSubHub,
  onTaskId: (taskId: string) => void,
): Promise<Subscription> {
  const barrier =
    ctx.connection.topology === "cluster" ? `${BARRIER_PREFIX}${randomUUID()}` : undefined;
  let open = barrier === undefined;
  let release: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  const listening = hub.listen(
    ctx.keys.cancelChannel,
    (message) => {
      if (message === barrier) {
        open = true;
        release();
      } else if (open && !message.startsWith(BARRIER_PREFIX)) {
        onTaskId(message);
      }
    },
    false,
  );
  try {
    await listening.ready;
    if (barrier !== undefined) {
      await ctx.send("PUBLISH", [ctx.keys.cancelChannel, barrier]);
      await Promise.race([opened, delay(BARRIER_TIMEOUT_MS)]);
      open = true;
    }
  } catch (error) {
    listening.remove();
    throw error;
  }
  let closed = false;
  return {
    close: async () => {
      if (closed) return;
      closed = true;
      listening.remove();
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
