import { ProtoWriter, readFields } from "./protobuf-wire.js";

/** A google.protobuf.Timestamp: seconds since the Unix epoch (field 1) and nanoseconds (field 2). */
export interface Timestamp {
  readonly seconds: number;
  readonly nanos: number;
}

/**
 * Seconds of Go's zero `time.Time` (0001-01-01T00:00:00Z) as `timestamppb.New` encodes it. Go
 * asynq writes it for "never" (e.g. a scheduler entry's `prev_enqueue_time`).
 */
export const GO_ZERO_TIME_SECONDS = -62_135_596_800;

/** Epoch milliseconds → Timestamp; 0 ("none" in core) becomes Go's zero time. */
export function timestampFromEpochMs(epochMs: number): Timestamp {
  if (epochMs === 0) return { seconds: GO_ZERO_TIME_SECONDS, nanos: 0 };
  const seconds = Math.floor(epochMs / 1000);
  return { seconds, nanos: Math.round((epochMs - seconds * 1000) * 1_000_000) };
}

/** Timestamp → epoch milliseconds (sub-millisecond nanos dropped); Go's zero time becomes 0. */
export function epochMsFromTimestamp(timestamp: Timestamp): number {
  if (timestamp.seconds === GO_ZERO_TIME_SECONDS && timestamp.nanos === 0) return 0;
  return timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1_000_000);
}

/** Writes `epochMs` as an always-present Timestamp field (0 as Go's zero time). */
export function writeTimestampField(writer: ProtoWriter, field: number, epochMs: number): void {
  const { seconds, nanos } = timestampFromEpochMs(epochMs);
  writer.message(field, (body) => body.int64(1, seconds).int32(2, nanos));
}

/** Encodes epoch ms as a standalone Timestamp message (0 as Go's zero time). */
export function encodeTimestamp(epochMs: number): Uint8Array {
  const { seconds, nanos } = timestampFromEpochMs(epochMs);
  return new ProtoWriter().int64(1, seconds).int32(2, nanos).finish();
}

/** Decodes a Timestamp message's bytes. */
export function decodeTimestamp(bytes: Uint8Array): Timestamp {
  let seconds = 0;
  let nanos = 0;
  readFields(bytes, (field, value) => {
    if (field === 1) seconds = value.int64() ?? seconds;
    else if (field === 2) nanos = value.int32() ?? nanos;
  });
  return { seconds, nanos };
}

/** Decodes a Timestamp field's bytes to epoch ms; absent timestamps are handled by callers as 0. */
export function epochMsFromTimestampBytes(bytes: Uint8Array): number {
  return epochMsFromTimestamp(decodeTimestamp(bytes));
}
