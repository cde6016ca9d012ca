import { BackendError } from "@asynq-ts/core";

/**
 * A minimal proto3 wire-format writer and reader: just what Go asynq's messages use (varint
 * scalars, strings, bytes, nested messages, maps, repeated strings). Field numbers are the
 * interface; there is no schema object.
 */

/** Protobuf wire types. Groups (3, 4) are only ever skipped. */
export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

/** One of the {@link WireType} values. */
export type WireType = (typeof WireType)[keyof typeof WireType];

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const TWO_POW_32 = 2 ** 32;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Appends proto3 fields. Scalar writers omit zero values (as Go's encoder does); `message`,
 * `mapEntry` and `repeatedString` elements are always written. Callers write fields in
 * field-number order, which makes the output match Go's byte for byte.
 */
export class ProtoWriter {
  #buffer: Uint8Array;
  #length = 0;

  /**
   * `keepZeroValues` makes scalar writers write zero values too (needed inside map entries).
   * `capacity` is the expected size in bytes (the buffer grows past it when needed).
   */
  constructor(
    private readonly keepZeroValues = false,
    capacity = 64,
  ) {
    // Buffer.allocUnsafe takes small buffers from Node's shared pool: far cheaper than a new
    // ArrayBuffer per message, and Redis clients send a Buffer as it is. Only bytes written are
    // ever exposed.
    this.#buffer = Buffer.allocUnsafe(capacity);
  }

  /** The bytes written (a view of the writer's buffer: write nothing more after this). */
  finish(): Uint8Array {
    // A plain Uint8Array view, as before the pool: callers and tests see no Buffer.
    return new Uint8Array(this.#buffer.buffer, this.#buffer.byteOffset, this.#length);
  }

  /** A `string` field; omitted when empty. Encoded straight into the buffer. */
  string(field: number, value: string): this {
    if (this.#omit(value === "")) return this;
    this.#tag(field, WireType.lengthDelimited);
    // Reserve the worst case (3 bytes per UTF-16 unit) and guess a 1-byte length prefix,
    // moving the bytes when the length needs more.
    this.#reserve(10 + value.length * 3);
    const start = this.#length;
    const { written } = utf8Encoder.encodeInto(value, this.#buffer.subarray(start + 1));
    const prefix = varintSize(written);
    if (prefix > 1) this.#buffer.copyWithin(start + prefix, start + 1, start + 1 + written);
    this.#varint(written);
    this.#length = start + prefix + written;
    return this;
  }

  /** A `bytes` field; omitted when empty. */
  bytes(field: number, value: Uint8Array): this {
    return this.#omit(value.length === 0) ? this : this.#lengthDelimited(field, value);
  }

  /** An `int32` field; omitted when 0. Negative values take 10 bytes (sign-extended to 64 bits). */
  int32(field: number, value: number): this {
    if (!Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
      throw new RangeError(`field ${field}: ${value} is not an int32`);
    }
    return this.#omit(value === 0) ? this : this.#tag(field, WireType.varint).#varint(value);
  }

  /** An `int64` field from a safe integer; omitted when 0. */
  int64(field: number, value: number): this {
    if (!Number.isSafeInteger(value)) {
      throw new RangeError(`field ${field}: ${value} is not a safe integer`);
    }
    return this.#omit(value === 0) ? this : this.#tag(field, WireType.varint).#varint(value);
  }

  /** A `bool` field; omitted when false. */
  bool(field: number, value: boolean): this {
    return this.#omit(!value) ? this : this.#tag(field, WireType.varint).#varint(value ? 1 : 0);
  }

  /** Each element of a `repeated string` field, empty strings included. */
  repeatedString(field: number, values: readonly string[]): this {
    for (const value of values) this.#lengthDelimited(field, utf8Encoder.encode(value));
    return this;
  }

  /** An embedded message, always written (an all-default message is a zero-length field). */
  message(field: number, writeBody: (body: ProtoWriter) => void): this {
    const body = new ProtoWriter();
    writeBody(body);
    return this.#lengthDelimited(field, body.finish());
  }

  /**
   * One map entry: an embedded message with key = field 1 and value = field 2. Like Go, the entry
   * writer keeps zero values, so an empty key or a 0 value is still written.
   */
  mapEntry(field: number, writeEntry: (entry: ProtoWriter) => void): this {
    const entry = new ProtoWriter(true);
    writeEntry(entry);
    return this.#lengthDelimited(field, entry.finish());
  }

  #omit(isZeroValue: boolean): boolean {
    return isZeroValue && !this.keepZeroValues;
  }

  #lengthDelimited(field: number, value: Uint8Array): this {
    this.#tag(field, WireType.lengthDelimited).#varint(value.length);
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  #tag(field: number, wireType: WireType): this {
    return this.#varint(field * 8 + wireType);
  }

  /** Base-128 varint of a non-negative safe integer, or of a negative one as its 64-bit two's complement. */
  #varint(value: number): this {
    this.#reserve(10);
    if (value < 0) {
      let rest = BigInt.asUintN(64, BigInt(value));
      while (rest >= 0x80n) {
        this.#buffer[this.#length++] = Number(rest & 0x7fn) | 0x80;
        rest >>= 7n;
      }
      this.#buffer[this.#length++] = Number(rest);
      return this;
    }
    let rest = value;
    while (rest >= 0x80) {
      this.#buffer[this.#length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.#buffer[this.#length++] = rest;
    return this;
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + extra));
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}

/** Bytes of the base-128 varint of a non-negative safe integer. */
function varintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

/**
 * Reads every field of a message in wire order and hands it to `onField`. Fields the callback
 * does not read (unknown numbers, or a known number with an unexpected wire type, which Go also
 * treats as unknown) are skipped, whatever their wire type. Repeated scalars: the caller simply
 * overwrites, so the last value wins, as in proto3. Malformed input throws a `BackendError`.
 */
export function readFields(
  bytes: Uint8Array,
  onField: (field: number, value: FieldValue) => void,
): void {
  const reader = new ProtoReader(bytes);
  // One value object serves every field (callbacks read it at once, never keep it): decoding
  // runs for every dequeued task.
  const value = new FieldValue(reader);
  for (let key = reader.nextKey(); key !== END; key = reader.nextKey()) {
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    value.reset(wireType);
    onField(field, value);
    if (!value.consumed) reader.skip(wireType, field);
  }
}

/** What `nextKey` answers at the end of a message. */
const END = -1;

/**
 * The value of the field being read. Each accessor returns undefined (and leaves the field to
 * be skipped) when the wire type does not fit the requested type.
 */
export class FieldValue {
  #consumed = false;
  #wireType = 0;

  constructor(private readonly reader: ProtoReader) {}

  /** The wire type of the field being read. */
  get wireType(): number {
    return this.#wireType;
  }

  /** Moves on to the next field, of `wireType`. */
  reset(wireType: number): void {
    this.#wireType = wireType;
    this.#consumed = false;
  }

  /** Whether an accessor has read the value. */
  get consumed(): boolean {
    return this.#consumed;
  }

  /** A `string` (UTF-8). */
  string(): string | undefined {
    const raw = this.#lengthDelimited();
    return raw === undefined ? undefined : utf8Decoder.decode(raw);
  }

  /**
   * A `bytes` value, copied into a plain Uint8Array so it does not alias the input. Not
   * `.slice()`: on a Buffer (what Redis clients reply with) that returns a view, which keeps
   * the client's read buffer alive — and on ioredis-mock, whose replies are the stored values
   * themselves, lets a caller's writes change what is stored.
   */
  bytes(): Uint8Array | undefined {
    const raw = this.#lengthDelimited();
    return raw === undefined ? undefined : new Uint8Array(raw);
  }

  /** An embedded message's bytes, for a nested `readFields`. */
  message(): Uint8Array | undefined {
    return this.#lengthDelimited();
  }

  /** An `int32` (a 64-bit varint truncated to 32 bits, as protobuf specifies). */
  int32(): number | undefined {
    const raw = this.#varint();
    if (raw === undefined) return undefined;
    if (typeof raw === "bigint") return Number(BigInt.asIntN(32, raw));
    const low = raw % TWO_POW_32;
    return low > INT32_MAX ? low - TWO_POW_32 : low;
  }

  /** An `int64` as a number (exact within ±2^53). */
  int64(): number | undefined {
    const raw = this.#varint();
    if (raw === undefined) return undefined;
    return typeof raw === "bigint" ? Number(BigInt.asIntN(64, raw)) : raw;
  }

  /** A `bool` (any non-zero varint is true). */
  bool(): boolean | undefined {
    const raw = this.#varint();
    return raw === undefined ? undefined : raw !== 0 && raw !== 0n;
  }

  #lengthDelimited(): Uint8Array | undefined {
    if (!this.#take(WireType.lengthDelimited)) return undefined;
    return this.reader.lengthDelimited();
  }

  #varint(): number | bigint | undefined {
    return this.#take(WireType.varint) ? this.reader.varint() : undefined;
  }

  #take(expected: WireType): boolean {
    if (this.#consumed) throw new Error("a field value can be read only once");
    if (this.#wireType !== expected) return false;
    this.#consumed = true;
    return true;
  }
}

/** A cursor over protobuf bytes. */
class ProtoReader {
  #position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The next field's key (field number × 8 + wire type), or `END` at the end of the message. */
  nextKey(): number {
    if (this.#position >= this.bytes.length) return END;
    const key = this.varint();
    if (typeof key === "bigint" || key >= TWO_POW_32) throw malformed("field key too large");
    if (key < 8) throw malformed("field number 0");
    return key;
  }

  /** A varint: a number when it fits in 49 bits, else a bigint of its 64 bits. */
  varint(): number | bigint {
    const start = this.#position;
    let value = 0;
    let multiplier = 1;
    for (let index = 0; index < 7; index++) {
      const byte = this.#byte();
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return value;
      multiplier *= 0x80;
    }
    this.#position = start;
    let big = 0n;
    for (let index = 0; index < 10; index++) {
      const byte = this.#byte();
      big |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if (byte < 0x80) {
        if (index === 9 && byte > 1) throw malformed("varint overflows 64 bits");
        return big;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** A length prefix and that many bytes (a view, not a copy). */
  lengthDelimited(): Uint8Array {
    const length = this.varint();
    if (typeof length === "bigint") throw malformed("length too large");
    return this.bytes.subarray(this.#position, this.#advance(length));
  }

  /** Skips one field's value of any wire type, including (deprecated) groups. */
  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.#advance(8);
        return;
      case WireType.lengthDelimited:
        this.lengthDelimited();
        return;
      case WireType.fixed32:
        this.#advance(4);
        return;
      case WireType.startGroup:
        for (;;) {
          const key = this.nextKey();
          if (key === END) throw malformed(`group ${field} not closed`);
          const inner = Math.floor(key / 8);
          if (key % 8 === WireType.endGroup) {
            if (inner !== field) throw malformed(`group ${field} closed as ${inner}`);
            return;
          }
          this.skip(key % 8, inner);
        }
      default:
        throw malformed(`unexpected wire type ${wireType} for field ${field}`);
    }
  }

  #byte(): number {
    const byte = this.bytes[this.#position];
    if (byte === undefined) throw malformed("truncated varint");
    this.#position++;
    return byte;
  }

  /** Moves past `count` bytes; returns the new position. */
  #advance(count: number): number {
    const end = this.#position + count;
    if (end > this.bytes.length) throw malformed("truncated field");
    this.#position = end;
    return end;
  }
}

function malformed(detail: string): BackendError {
  return new BackendError(`malformed protobuf message: ${detail}`);
}
