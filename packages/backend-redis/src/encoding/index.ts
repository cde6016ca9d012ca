// Hand-written protobuf codecs for Go asynq's Redis values (internal/proto/asynq.proto).
export { decodeSchedulerEntry, encodeSchedulerEntry } from "./scheduler-entry-codec.js";
export {
  decodeSchedulerEnqueueEvent,
  encodeSchedulerEnqueueEvent,
} from "./scheduler-event-codec.js";
export { decodeServerInfo, encodeServerInfo } from "./server-info-codec.js";
export { decodeTaskMessage, encodeTaskMessage } from "./task-message-codec.js";
export {
  decodeTimestamp,
  encodeTimestamp,
  epochMsFromTimestamp,
  GO_ZERO_TIME_SECONDS,
  type Timestamp,
  timestampFromEpochMs,
} from "./timestamp.js";
export { decodeWorkerInfo, encodeWorkerInfo } from "./worker-info-codec.js";
