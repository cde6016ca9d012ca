// An independent protobuf wire reader for the scheduler records, so the test checks the bytes
// against asynq.proto itself rather than against the broker's own codecs. It also checks what
// Go's proto.Marshal guarantees: fields in ascending number order, proto3 zero values omitted,
// and each field with the wire type its proto type has.

/** One field as it is on the wire: a varint (wire type 0) or length-delimited bytes (type 2). */
export type WireField =
  | { readonly field: number; readonly wireType: 0; readonly varint: bigint }
  | { readonly field: number; readonly wireType: 2; readonly bytes: Uint8Array };

function readVarint(bytes: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = start; i < bytes.length && i < start + 10; i++) {
    const byte = bytes[i] as number;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return { value, next: i + 1 };
    shift += 7n;
  }
  throw new Error(`truncated or overlong varint at ${start}`);
}

/** Splits a message into its fields; throws on wire types asynq.proto never produces. */
export function readWire(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = readVarint(bytes, at);
    const field = Number(tag.value >> 3n);
    const wireType = Number(tag.value & 7n);
    at = tag.next;
    if (wireType === 0) {
      const value = readVarint(bytes, at);
      fields.push({ field, wireType, varint: value.value });
      at = value.next;
    } else if (wireType === 2) {
      const length = readVarint(bytes, at);
      const end = length.next + Number(length.value);
      if (end > bytes.length) throw new Error(`field ${field} overruns the message`);
      fields.push({ field, wireType, bytes: bytes.subarray(length.next, end) });
      at = end;
    } else {
      throw new Error(`field ${field} has wire type ${wireType}`);
    }
  }
  return fields;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function checkOrder(fields: readonly WireField[], repeated: ReadonlySet<number>): void {
  for (let i = 1; i < fields.length; i++) {
    const previous = (fields[i - 1] as WireField).field;
    const current = (fields[i] as WireField).field;
    if (current < previous || (current === previous && !repeated.has(current))) {
      throw new Error(`field ${current} after field ${previous}: not Go's marshal order`);
    }
  }
}

function lengthDelimited(field: WireField): Uint8Array {
  if (field.wireType !== 2) throw new Error(`field ${field.field} must be length-delimited`);
  if (field.bytes.length === 0) throw new Error(`field ${field.field} is empty: proto3 omits it`);
  return field.bytes;
}

function varint(field: WireField): bigint {
  if (field.wireType !== 0) throw new Error(`field ${field.field} must be a varint`);
  if (field.varint === 0n) throw new Error(`field ${field.field} is zero: proto3 omits it`);
  return field.varint;
}

/** A google.protobuf.Timestamp as Go writes it. */
export interface GoTimestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** Seconds of Go's zero `time.Time` as `timestamppb.New` writes it (a 10-byte varint). */
export const GO_ZERO_SECONDS = -62_135_596_800n;

/** Decodes a Timestamp message: 1 int64 seconds (two's complement, not zigzag), 2 int32 nanos. */
export function readTimestamp(bytes: Uint8Array): GoTimestamp {
  const fields = readWire(bytes);
  checkOrder(fields, new Set());
  let seconds = 0n;
  let nanos = 0;
  for (const f of fields) {
    if (f.field === 1) seconds = BigInt.asIntN(64, varint(f));
    else if (f.field === 2) nanos = Number(BigInt.asIntN(32, varint(f)));
    else throw new Error(`Timestamp has unknown field ${f.field}`);
  }
  return { seconds, nanos };
}

/** asynq.proto `SchedulerEntry`, field by field. */
export interface WireSchedulerEntry {
  readonly fieldNumbers: readonly number[];
  readonly id: string;
  readonly spec: string;
  readonly taskType: string;
  readonly taskPayload: Uint8Array;
  readonly enqueueOptions: readonly string[];
  readonly next: GoTimestamp | undefined;
  readonly prev: GoTimestamp | undefined;
}

/** Decodes one element of `asynq:schedulers:{<id>}`; throws on anything Go would not write. */
export function readSchedulerEntry(bytes: Uint8Array): WireSchedulerEntry {
  const fields = readWire(bytes);
  checkOrder(fields, new Set([5]));
  const strings = new Map<number, string>();
  const options: string[] = [];
  let taskPayload: Uint8Array = new Uint8Array(0);
  let next: GoTimestamp | undefined;
  let prev: GoTimestamp | undefined;
  for (const f of fields) {
    switch (f.field) {
      case 1:
      case 2:
      case 3:
        strings.set(f.field, utf8.decode(lengthDelimited(f)));
        break;
      case 4:
        taskPayload = lengthDelimited(f);
        break;
      case 5:
        // A repeated string keeps empty elements, so no emptiness check here.
        if (f.wireType !== 2) throw new Error("enqueue_options must be length-delimited");
        options.push(utf8.decode(f.bytes));
        break;
      case 6:
      case 7: {
        if (f.wireType !== 2) throw new Error(`field ${f.field} must be a message`);
        const timestamp = readTimestamp(f.bytes);
        if (f.field === 6) next = timestamp;
        else prev = timestamp;
        break;
      }
      default:
        throw new Error(`SchedulerEntry has unknown field ${f.field}`);
    }
  }
  return {
    fieldNumbers: fields.map((f) => f.field),
    id: strings.get(1) ?? "",
    spec: strings.get(2) ?? "",
    taskType: strings.get(3) ?? "",
    taskPayload,
    enqueueOptions: options,
    next,
    prev,
  };
}

/** asynq.proto `SchedulerEnqueueEvent`: 1 task_id, 2 enqueue_time. */
export interface WireEnqueueEvent {
  readonly fieldNumbers: readonly number[];
  readonly taskId: string;
  readonly enqueueTime: GoTimestamp | undefined;
}

/** Decodes one member of `asynq:scheduler_history:<entryID>`. */
export function readEnqueueEvent(bytes: Uint8Array): WireEnqueueEvent {
  const fields = readWire(bytes);
  checkOrder(fields, new Set());
  let taskId = "";
  let enqueueTime: GoTimestamp | undefined;
  for (const f of fields) {
    if (f.field === 1) taskId = utf8.decode(lengthDelimited(f));
    else if (f.field === 2 && f.wireType === 2) enqueueTime = readTimestamp(f.bytes);
    else throw new Error(`SchedulerEnqueueEvent has unexpected field ${f.field}`);
  }
  return { fieldNumbers: fields.map((f) => f.field), taskId, enqueueTime };
}

const QUOTED_OPTIONS = new Set(["Queue", "TaskID", "Group"]);
const DURATION_OPTIONS = new Set(["Timeout", "Unique", "ProcessIn", "Retention"]);
const INSTANT_OPTIONS = new Set(["Deadline", "ProcessAt"]);
// time.UnixDate: "Mon Jan _2 15:04:05 MST 2006".
const UNIX_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]\d \d{2}:\d{2}:\d{2} [A-Z]{3,4} \d{4}$/;

/**
 * Parses an enqueue option string as Go asynq's Inspector does (`parseOption`): `Name(arg)`,
 * strings `%q`-quoted, `MaxRetry` a decimal integer, durations in `time.Duration` syntax
 * (returned in ms, via `parseDuration`), instants in `time.UnixDate`. Throws when Go could not
 * parse it.
 */
export function parseGoOption(
  text: string,
  parseDuration: (text: string) => number,
): { readonly name: string; readonly value: string | number } {
  const match = /^(\w+)\((.*)\)$/s.exec(text);
  const name = match?.[1];
  const arg = match?.[2];
  if (name === undefined || arg === undefined) throw new Error(`not a Go option: ${text}`);
  if (QUOTED_OPTIONS.has(name)) {
    if (!/^"(?:[^"\\]|\\.)*"$/.test(arg)) throw new Error(`not a %q string: ${text}`);
    return { name, value: JSON.parse(arg) as string };
  }
  if (name === "MaxRetry") {
    if (!/^-?\d+$/.test(arg)) throw new Error(`not an integer: ${text}`);
    return { name, value: Number(arg) };
  }
  if (DURATION_OPTIONS.has(name)) return { name, value: parseDuration(arg) };
  if (INSTANT_OPTIONS.has(name)) {
    if (!UNIX_DATE.test(arg)) throw new Error(`not a time.UnixDate: ${text}`);
    return { name, value: arg };
  }
  throw new Error(`unknown Go option: ${text}`);
}
