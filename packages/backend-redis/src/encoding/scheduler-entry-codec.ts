import type { SchedulerEntry } from "@asynq-ts/core";
import { ProtoWriter, readFields } from "./protobuf-wire.js";
import { epochMsFromTimestampBytes, writeTimestampField } from "./timestamp.js";

/** Go asynq's `SchedulerEntry` protobuf (elements of `asynq:schedulers:{id}`). */
const Field = {
  id: 1,
  spec: 2,
  taskType: 3,
  taskPayload: 4,
  enqueueOptions: 5,
  nextEnqueueTime: 6,
  prevEnqueueTime: 7,
} as const;

/** Encodes a periodic task registration as Go asynq does (never-enqueued = Go zero time). */
export function encodeSchedulerEntry(entry: SchedulerEntry): Uint8Array {
  const writer = new ProtoWriter()
    .string(Field.id, entry.id)
    .string(Field.spec, entry.spec)
    .string(Field.taskType, entry.taskType)
    .bytes(Field.taskPayload, entry.taskPayload)
    .repeatedString(Field.enqueueOptions, entry.enqueueOptions);
  writeTimestampField(writer, Field.nextEnqueueTime, entry.nextEnqueueAt);
  writeTimestampField(writer, Field.prevEnqueueTime, entry.prevEnqueueAt);
  return writer.finish();
}

/** Decodes a SchedulerEntry written by Go asynq or by {@link encodeSchedulerEntry}. */
export function decodeSchedulerEntry(bytes: Uint8Array): SchedulerEntry {
  let id = "";
  let spec = "";
  let taskType = "";
  let taskPayload: Uint8Array = new Uint8Array(0);
  const enqueueOptions: string[] = [];
  let nextEnqueueAt = 0;
  let prevEnqueueAt = 0;
  readFields(bytes, (field, value) => {
    switch (field) {
      case Field.id:
        id = value.string() ?? id;
        break;
      case Field.spec:
        spec = value.string() ?? spec;
        break;
      case Field.taskType:
        taskType = value.string() ?? taskType;
        break;
      case Field.taskPayload:
        taskPayload = value.bytes() ?? taskPayload;
        break;
      case Field.enqueueOptions: {
        const option = value.string();
        if (option !== undefined) enqueueOptions.push(option);
        break;
      }
      case Field.nextEnqueueTime: {
        const timestamp = value.message();
        if (timestamp !== undefined) nextEnqueueAt = epochMsFromTimestampBytes(timestamp);
        break;
      }
      case Field.prevEnqueueTime: {
        const timestamp = value.message();
        if (timestamp !== undefined) prevEnqueueAt = epochMsFromTimestampBytes(timestamp);
        break;
      }
    }
  });
  return { id, spec, taskType, taskPayload, enqueueOptions, nextEnqueueAt, prevEnqueueAt };
}
