import { asBytesOrNull, asStringOrNull } from "../connection/replies.js";
import { decodeTaskMessage } from "../encoding/index.js";
import { belongsToQueue, type QueueKeys } from "../keys.js";
import type { BrokerContext } from "./context.js";

/**
 * For each task, the unique lock key to declare to a script and whether to release it. The
 * key comes from the hash's `unique_key` field, else from the message (Go asynq's grouped
 * unique tasks only have it there). Keys outside the queue's slot are never touched.
 */
export async function lockKeysOf(
  ctx: BrokerContext,
  q: QueueKeys,
  ids: readonly string[],
): Promise<[lock: string, release: "1" | "0"][]> {
  const replies = await Promise.all(
    ids.map((id) => ctx.send("HMGET", [q.task(id), "unique_key", "msg"])),
  );
  return replies.map((reply, index) => {
    const task = q.task(ids[index]!);
    const [field, msg] = Array.isArray(reply) ? reply : [];
    let key = asStringOrNull(field) ?? "";
    if (key === "") {
      const bytes = asBytesOrNull(msg);
      key = bytes === null ? "" : decodeTaskMessage(bytes).uniqueKey;
    }
    return belongsToQueue(key, q) ? [key, "1"] : [task, "0"];
  });
}
