import { createHash } from "node:crypto";

/**
 * The payload part of a unique lock's identity: md5 hex of the payload bytes, as Go asynq
 * derives it. An empty payload gives "" — what Go writes for the common `NewTask(type, nil)`;
 * protobuf cannot tell nil from empty, so neither can we.
 */
export function uniqueDigest(payload: Uint8Array): string {
  if (payload.length === 0) return "";
  return createHash("md5").update(payload).digest("hex");
}
