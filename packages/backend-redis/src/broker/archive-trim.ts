import type { ArchiveTrim } from "@asynq-ts/core";
import { asNumber, asStrings } from "../connection/replies.js";
import type { QueueKeys } from "../keys.js";
import { trimArchiveScript } from "../scripts/trim-archive.js";
import { toScore } from "../units.js";
import type { BrokerContext } from "./context.js";

// Candidates per script call: bounds the KEYS of one call.
const BATCH = 500;
// A trim that keeps finding work stops after this many rounds; the next archive write goes on.
const MAX_ROUNDS = 100;

/** The archive's cutoff and cap as script arguments. */
export function trimArgs(trim: ArchiveTrim): [cutoff: string, maxSize: string] {
  return [toScore(trim.cutoff), String(Math.max(0, Math.floor(trim.maxSize)))];
}

/**
 * Deletes archived tasks past the cutoff or beyond the cap, hashes included. Reads candidates,
 * then lets the script re-check and delete them, until nothing qualifies.
 */
export async function trimArchive(
  ctx: BrokerContext,
  q: QueueKeys,
  trim: ArchiveTrim,
): Promise<void> {
  const [cutoff, maxSize] = trimArgs(trim);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const [cardReply, expiredReply] = await Promise.all([
      ctx.send("ZCARD", [q.archived]),
      ctx.send("ZRANGEBYSCORE", [q.archived, "-inf", cutoff, "LIMIT", "0", String(BATCH)]),
    ]);
    const excess = Math.min(asNumber(cardReply) - Number(maxSize), BATCH);
    const oldest =
      excess > 0 ? asStrings(await ctx.send("ZRANGE", [q.archived, "0", String(excess - 1)])) : [];
    const ids = [...new Set([...asStrings(expiredReply), ...oldest])];
    if (ids.length === 0) return;
    const deleted = asNumber(
      await ctx.run(
        trimArchiveScript,
        [q.archived, ...ids.map((id) => q.task(id))],
        [cutoff, maxSize, ...ids],
      ),
    );
    if (deleted === 0) return;
  }
}
