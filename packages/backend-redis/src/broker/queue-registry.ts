import type { BrokerContext } from "./context.js";
import { GroupCommit } from "./group-commit.js";

// Queue names per SADD at most.
const MAX_PER_CALL = 1_000;

const registries = new WeakMap<BrokerContext, GroupCommit<string>>();

/**
 * Adds queue names to the registry (`<prefix>:queues`), as every enqueue does in Go asynq.
 * Registrations submitted together share one SADD. A plain command beside the enqueue scripts:
 * the registry is a global key in another Cluster slot. Re-adding is harmless.
 */
export async function registerQueues(ctx: BrokerContext, queues: readonly string[]) {
  let registry = registries.get(ctx);
  if (registry === undefined) {
    registry = new GroupCommit({
      write: async (names) => {
        await ctx.send("SADD", [ctx.keys.queues, ...new Set(names)]);
        return names.map(() => 1);
      },
      groupOf: () => "",
      maxBatch: MAX_PER_CALL,
    });
    registries.set(ctx, registry);
  }
  const registering = registry;
  await Promise.all(queues.map((queue) => registering.submit(queue)));
}
