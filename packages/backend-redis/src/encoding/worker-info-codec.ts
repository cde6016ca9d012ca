import type { WorkerInfo } from "@asynq-ts/core";
import { ProtoWriter, readFields } from "./protobuf-wire.js";
import { epochMsFromTimestampBytes, writeTimestampField } from "./timestamp.js";

/** Go asynq's `WorkerInfo` protobuf (values of the `asynq:workers:{host:pid:id}` hash). */
const Field = {
  host: 1,
  pid: 2,
  serverId: 3,
  taskId: 4,
  taskType: 5,
  taskPayload: 6,
  queue: 7,
  startTime: 8,
  deadline: 9,
} as const;

/** Encodes an active worker's record as Go asynq does. */
export function encodeWorkerInfo(info: WorkerInfo): Uint8Array {
  const writer = new ProtoWriter()
    .string(Field.host, info.host)
    .int32(Field.pid, info.pid)
    .string(Field.serverId, info.serverId)
    .string(Field.taskId, info.taskId)
    .string(Field.taskType, info.taskType)
    .bytes(Field.taskPayload, info.taskPayload)
    .string(Field.queue, info.queue);
  writeTimestampField(writer, Field.startTime, info.startedAt);
  writeTimestampField(writer, Field.deadline, info.deadline);
  return writer.finish();
}

/** Decodes a WorkerInfo written by Go asynq or by {@link encodeWorkerInfo}. */
export function decodeWorkerInfo(bytes: Uint8Array): WorkerInfo {
  let host = "";
  let pid = 0;
  let serverId = "";
  let taskId = "";
  let taskType = "";
  let taskPayload: Uint8Array = new Uint8Array(0);
  let queue = "";
  let startedAt = 0;
  let deadline = 0;
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
      case Field.taskId:
        taskId = value.string() ?? taskId;
        break;
      case Field.taskType:
        taskType = value.string() ?? taskType;
        break;
      case Field.taskPayload:
        taskPayload = value.bytes() ?? taskPayload;
        break;
      case Field.queue:
        queue = value.string() ?? queue;
        break;
      case Field.startTime: {
        const timestamp = value.message();
        if (timestamp !== undefined) startedAt = epochMsFromTimestampBytes(timestamp);
        break;
      }
      case Field.deadline: {
        const timestamp = value.message();
        if (timestamp !== undefined) deadline = epochMsFromTimestampBytes(timestamp);
        break;
      }
    }
  });
  return { host, pid, serverId, taskId, taskType, taskPayload, queue, startedAt, deadline };
}
