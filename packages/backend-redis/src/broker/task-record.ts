import {
  BackendError,
  isTaskState,
  type TaskMessage,
  type TaskRecord,
  type TaskState,
} from "@asynq-ts/core";
import type { RedisReply } from "../connection/connection.js";
import { asArray, asBytesOrNull, asStringOrNull } from "../connection/replies.js";
import { decodeTaskMessage } from "../encoding/index.js";

/** A stored state string, checked against the seven Go asynq knows. */
export function stateOf(reply: RedisReply | undefined): TaskState | null {
  const text = asStringOrNull(reply);
  if (text === null) return null;
  if (!isTaskState(text)) throw new BackendError(`unknown task state ${JSON.stringify(text)}`);
  return text;
}

/** `msg` and `result` of a task hash, from `HMGET <task> msg result`; null when it is gone. */
export function messageAndResult(
  reply: RedisReply,
): { message: TaskMessage; result: Uint8Array | null } | null {
  const [msg, result] = asArray(reply);
  const bytes = asBytesOrNull(msg);
  if (bytes === null) return null;
  const stored = asBytesOrNull(result);
  // A copy, as the codec makes of payloads: the reply views the client's read buffer (or, on
  // ioredis-mock, is the stored value itself).
  return {
    message: decodeTaskMessage(bytes),
    result: stored === null ? null : new Uint8Array(stored),
  };
}

/** Builds the record the port reports. */
export function taskRecord(
  message: TaskMessage,
  state: TaskState,
  result: Uint8Array | null,
  nextProcessAt: number,
  leaseExpiresAt: number,
): TaskRecord {
  return { message, state, nextProcessAt, leaseExpiresAt, result };
}
