import type { ServerInfo } from "@asynq-ts/core";
import { ProtoWriter, readFields } from "./protobuf-wire.js";
import { epochMsFromTimestampBytes, writeTimestampField } from "./timestamp.js";
import { compareUtf8 } from "./utf8-order.js";

/** Go asynq's `ServerInfo` protobuf (the value of `asynq:servers:{host:pid:id}`). */
const Field = {
  host: 1,
  pid: 2,
  serverId: 3,
  concurrency: 4,
  queues: 5,
  strictPriority: 6,
  status: 7,
  startTime: 8,
  activeWorkerCount: 9,
} as const;

/** Encodes a server's liveness record as Go asynq does (queues sorted by name). */
export function encodeServerInfo(info: ServerInfo): Uint8Array {
  const writer = new ProtoWriter()
    .string(Field.host, info.host)
    .int32(Field.pid, info.pid)
    .string(Field.serverId, info.serverId)
    .int32(Field.concurrency, info.concurrency);
  for (const queue of Object.keys(info.queues).sort(compareUtf8)) {
    const priority = info.queues[queue] ?? 0;
    writer.mapEntry(Field.queues, (entry) => entry.string(1, queue).int32(2, priority));
  }
  writer.bool(Field.strictPriority, info.strictPriority).string(Field.status, info.status);
  writeTimestampField(writer, Field.startTime, info.startedAt);
  return writer.int32(Field.activeWorkerCount, info.activeWorkerCount).finish();
}

/** Decodes a ServerInfo written by Go asynq or by {@link encodeServerInfo}. */
export function decodeServerInfo(bytes: Uint8Array): ServerInfo {
  let host = "";
  let pid = 0;
  let serverId = "";
  let concurrency = 0;
  const queues = new Map<string, number>();
  let strictPriority = false;
  let status = "";
  let startedAt = 0;
  let activeWorkerCount = 0;
  readFields(bytes, (field, value) => {
    switch (field) {
      case Field.host:
        host = value.string() ?? host;
        break;
      case Field.pid:
        pid = value.int32() ?? pid;
        break;
      case Field.serverId:
        serverId = value.string() ?? serverId;
        break;
      case Field.concurrency:
        concurrency = value.int32() ?? concurrency;
        break;
      case Field.queues: {
        const entry = value.message();
        if (entry !== undefined) {
          const [queue, priority] = decodeStringInt32MapEntry(entry);
          queues.set(queue, priority);
        }
        break;
      }
      case Field.strictPriority:
        strictPriority = value.bool() ?? strictPriority;
        break;
      case Field.status:
        status = value.string() ?? status;
        break;
      case Field.startTime: {
        const timestamp = value.message();
        if (timestamp !== undefined) startedAt = epochMsFromTimestampBytes(timestamp);
        break;
      }
      case Field.activeWorkerCount:
        activeWorkerCount = value.int32() ?? activeWorkerCount;
        break;
    }
  });
  return {
    host,
    pid,
    serverId,
    concurrency,
    queues: Object.fromEntries(queues),
    strictPriority,
    status,
    startedAt,
    activeWorkerCount,
  };
}

function decodeStringInt32MapEntry(bytes: Uint8Array): [key: string, value: number] {
  let key = "";
  let value = 0;
  readFields(bytes, (field, fieldValue) => {
    if (field === 1) key = fieldValue.string() ?? key;
    else if (field === 2) value = fieldValue.int32() ?? value;
  });
  return [key, value];
}
