import type { ClusterNodeAddress, RedisReply } from "./connection.js";
import { asArray, asNumber, asString } from "./replies.js";

/**
 * The nodes serving `slot` in a CLUSTER SLOTS reply (`[start, end, [ip, port, id], …]` per
 * range), master first.
 */
export function parseClusterSlots(reply: RedisReply, slot: number): ClusterNodeAddress[] {
  for (const range of asArray(reply)) {
    const [start, end, ...nodes] = asArray(range);
    if (slot < asNumber(start) || slot > asNumber(end)) continue;
    return nodes.map((node) => {
      const [ip, port, id] = asArray(node);
      return {
        id: id === undefined ? "" : asString(id),
        address: `${asString(ip)}:${asNumber(port)}`,
      };
    });
  }
  return [];
}
