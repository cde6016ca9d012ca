import { asNumber, asStrings } from "../connection/replies.js";
import type { QueueKeys } from "../keys.js";
import type { BrokerContext } from "./context.js";

// Go asynq's sampling: 20 tasks per container, tasks of the first 5 groups.
const SAMPLE_SIZE = 20;
const GROUP_SAMPLE_SIZE = 5;

/**
 * Approximate bytes a queue uses, sampled like Go asynq's memoryUsageCmd: per container, the
 * average MEMORY USAGE of up to 20 task hashes times its length, plus the container itself;
 * groups likewise from the first five groups.
 */
export async function memoryUsage(
  ctx: BrokerContext,
  q: QueueKeys,
  groups: readonly string[],
): Promise<number> {
  const lists = [q.pending, q.active].map((key) => containerUsage(ctx, q, key, "list"));
  const zsets = [q.scheduled, q.retry, q.archived, q.completed].map((key) =>
    containerUsage(ctx, q, key, "zset"),
  );
  const parts = await Promise.all([...lists, ...zsets, groupsUsage(ctx, q, groups)]);
  return Math.round(parts.reduce((sum, part) => sum + part, 0));
}

async function containerUsage(
  ctx: BrokerContext,
  q: QueueKeys,
  key: string,
  kind: "list" | "zset",
): Promise<number> {
  const range = kind === "list" ? "LRANGE" : "ZRANGE";
  const size = kind === "list" ? "LLEN" : "ZCARD";
  const [idsReply, lengthReply, ownReply] = await Promise.all([
    ctx.send(range, [key, "0", String(SAMPLE_SIZE - 1)]),
    ctx.send(size, [key]),
    ctx.send("MEMORY USAGE", [key]),
  ]);
  const sampled = await sampleTasks(ctx, q, asStrings(idsReply));
  return sampled.average * asNumber(lengthReply) + asNumber(ownReply);
}

async function groupsUsage(
  ctx: BrokerContext,
  q: QueueKeys,
  groups: readonly string[],
): Promise<number> {
  if (groups.length === 0) return 0;
  const sizes = await Promise.all(groups.map((g) => ctx.send("ZCARD", [q.group(g)])));
  const ids = await Promise.all(
    groups
      .slice(0, GROUP_SAMPLE_SIZE)
      .map(async (g) =>
        asStrings(await ctx.send("ZRANGE", [q.group(g), "0", String(SAMPLE_SIZE - 1)])),
      ),
  );
  const sampled = await sampleTasks(ctx, q, ids.flat());
  return sampled.average * sizes.reduce<number>((sum, size) => sum + asNumber(size), 0);
}

async function sampleTasks(
  ctx: BrokerContext,
  q: QueueKeys,
  ids: readonly string[],
): Promise<{ average: number }> {
  if (ids.length === 0) return { average: 0 };
  const usages = await Promise.all(ids.map((id) => ctx.send("MEMORY USAGE", [q.task(id)])));
  return { average: usages.reduce<number>((sum, u) => sum + asNumber(u), 0) / ids.length };
}
