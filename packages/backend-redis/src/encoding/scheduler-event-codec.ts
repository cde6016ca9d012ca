import type { SchedulerEnqueueEvent } from "@asynq-ts/core";
import { ProtoWriter, readFields } from "./protobuf-wire.js";
import { epochMsFromTimestampBytes, writeTimestampField } from "./timestamp.js";

/** Go asynq's `SchedulerEnqueueEvent` protobuf (members of `asynq:scheduler_history:{entry}`). */
const Field = { taskId: 1, enqueueTime: 2 } as const;

/** Encodes one scheduler enqueue event as Go asynq does. */
export function encodeSchedulerEnqueueEvent(event: SchedulerEnqueueEvent): Uint8Array {
  const writer = new ProtoWriter().string(Field.taskId, event.taskId);
  writeTimestampField(writer, Field.enqueueTime, event.enqueuedAt);
  return writer.finish();
}

/** Decodes a SchedulerEnqueueEvent written by Go asynq or by {@link encodeSchedulerEnqueueEvent}. */
export function decodeSchedulerEnqueueEvent(bytes: Uint8Array): SchedulerEnqueueEvent {
  let taskId = "";
  let enqueuedAt = 0;
  readFields(bytes, (field, value) => {
    if (field === Field.taskId) {
      taskId = value.string() ?? taskId;
    } else if (field === Field.enqueueTime) {
      const timestamp = value.message();
      if (timestamp !== undefined) enqueuedAt = epochMsFromTimestampBytes(timestamp);
    }
  });
  return { taskId, enqueuedAt };
}
