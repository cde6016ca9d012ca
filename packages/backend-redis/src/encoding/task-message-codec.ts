import type { TaskMessage } from "@asynq-ts/core";
import { ProtoWriter, readFields } from "./protobuf-wire.js";
import { compareUtf8 } from "./utf8-order.js";

/**
 * Go asynq's `TaskMessage` protobuf (internal/proto/asynq.proto). Units change at this boundary:
 * core keeps milliseconds, the wire keeps seconds. Durations round up so a timeout or retention
 * is never shortened; instants round down to the second, as Go's `time.Unix()` does.
 */
const Field = {
  type: 1,
  payload: 2,
  id: 3,
  queue: 4,
  retry: 5,
  retried: 6,
  errorMsg: 7,
  timeout: 8,
  deadline: 9,
  uniqueKey: 10,
  lastFailedAt: 11,
  retention: 12,
  completedAt: 13,
  groupKey: 14,
  headers: 15,
} as const;

/** Encodes a task message exactly as Go asynq would (fields in number order, zero values omitted). */
export function encodeTaskMessage(message: TaskMessage): Uint8Array {
  // Room for the usual fields besides payload, headers and long strings (the writer grows).
  const capacity = 128 + message.payload.length + message.lastError.length;
  const writer = new ProtoWriter(false, capacity)
    .string(Field.type, message.type)
    .bytes(Field.payload, message.payload)
    .string(Field.id, message.id)
    .string(Field.queue, message.queue)
    .int32(Field.retry, message.maxRetry)
    .int32(Field.retried, message.retried)
    .string(Field.errorMsg, message.lastError)
    .int64(Field.timeout, durationSeconds(message.timeout))
    .int64(Field.deadline, instantSeconds(message.deadline))
    .string(Field.uniqueKey, message.uniqueKey)
    .int64(Field.lastFailedAt, instantSeconds(message.lastFailedAt))
    .int64(Field.retention, durationSeconds(message.retention))
    .int64(Field.completedAt, instantSeconds(message.completedAt))
    .string(Field.groupKey, message.group);
  const headerKeys = Object.keys(message.headers).sort(compareUtf8);
  for (const key of headerKeys) {
    const value = message.headers[key] ?? "";
    writer.mapEntry(Field.headers, (entry) => entry.string(1, key).string(2, value));
  }
  return writer.finish();
}

/** Decodes a task message written by Go asynq or by {@link encodeTaskMessage}. */
export function decodeTaskMessage(bytes: Uint8Array): TaskMessage {
  let type = "";
  let payload: Uint8Array = new Uint8Array(0);
  let id = "";
  let queue = "";
  let maxRetry = 0;
  let retried = 0;
  let lastError = "";
  let timeout = 0;
  let deadline = 0;
  let uniqueKey = "";
  let lastFailedAt = 0;
  let retention = 0;
  let completedAt = 0;
  let group = "";
  const headers = new Map<string, string>();
  readFields(bytes, (field, value) => {
    switch (field) {
      case Field.type:
        type = value.string() ?? type;
        break;
      case Field.payload:
        payload = value.bytes() ?? payload;
        break;
      case Field.id:
        id = value.string() ?? id;
        break;
      case Field.queue:
        queue = value.string() ?? queue;
        break;
      case Field.retry:
        maxRetry = value.int32() ?? maxRetry;
        break;
      case Field.retried:
        retried = value.int32() ?? retried;
        break;
      case Field.errorMsg:
        lastError = value.string() ?? lastError;
        break;
      case Field.timeout:
        timeout = secondsToMs(value.int64()) ?? timeout;
        break;
      case Field.deadline:
        deadline = secondsToMs(value.int64()) ?? deadline;
        break;
      case Field.uniqueKey:
        uniqueKey = value.string() ?? uniqueKey;
        break;
      case Field.lastFailedAt:
        lastFailedAt = secondsToMs(value.int64()) ?? lastFailedAt;
        break;
      case Field.retention:
        retention = secondsToMs(value.int64()) ?? retention;
        break;
      case Field.completedAt:
        completedAt = secondsToMs(value.int64()) ?? completedAt;
        break;
      case Field.groupKey:
        group = value.string() ?? group;
        break;
      case Field.headers: {
        const entry = value.message();
        if (entry !== undefined) {
          const [key, headerValue] = decodeStringMapEntry(entry);
          headers.set(key, headerValue);
        }
        break;
      }
    }
  });
  return {
    id,
    type,
    payload,
    headers: Object.fromEntries(headers),
    queue,
    maxRetry,
    retried,
    lastError,
    lastFailedAt,
    timeout,
    deadline,
    retention,
    completedAt,
    group,
    uniqueKey,
  };
}

/** Decodes a `map<string, string>` entry; a missing key or value is "". */
export function decodeStringMapEntry(bytes: Uint8Array): [key: string, value: string] {
  let key = "";
  let value = "";
  readFields(bytes, (field, fieldValue) => {
    if (field === 1) key = fieldValue.string() ?? key;
    else if (field === 2) value = fieldValue.string() ?? value;
  });
  return [key, value];
}

function durationSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

function instantSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
