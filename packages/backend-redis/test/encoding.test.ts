import { BackendError, type TaskMessage } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import {
  decodeSchedulerEnqueueEvent,
  decodeSchedulerEntry,
  decodeServerInfo,
  decodeTaskMessage,
  decodeTimestamp,
  decodeWorkerInfo,
  encodeSchedulerEnqueueEvent,
  encodeSchedulerEntry,
  encodeServerInfo,
  encodeTaskMessage,
  encodeTimestamp,
  encodeWorkerInfo,
  epochMsFromTimestamp,
  GO_ZERO_TIME_SECONDS,
  timestampFromEpochMs,
} from "../src/encoding/index.js";

// Golden vectors are assembled by hand from asynq.proto field numbers: tag byte = field << 3 |
// wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32), then the value. Varints were
// worked out in base 128, low group first (e.g. 1800 = 14·128 + 8 → 88 0e).

/**
 * Bytes from parts: a string is hex ("0a 01"); an array alternates hex and UTF-8 text
 * (["0a 03", "abc"]), so tags and lengths stay hand-written while string values stay readable.
 */
function bytes(...parts: (string | readonly string[])[]): Uint8Array {
  const chunks = parts.flatMap((part) =>
    typeof part === "string"
      ? [hex(part)]
      : part.map((piece, index) => (index % 2 === 0 ? hex(piece) : Buffer.from(piece, "utf8"))),
  );
  return Uint8Array.from(Buffer.concat(chunks));
}

function hex(digits: string): Buffer {
  return Buffer.from(digits.replace(/\s+/g, ""), "hex");
}

/** The UTF-8 bytes of a string value. */
function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

const EMPTY_MESSAGE: TaskMessage = {
  id: "",
  type: "",
  payload: new Uint8Array(0),
  headers: {},
  queue: "",
  maxRetry: 0,
  retried: 0,
  lastError: "",
  lastFailedAt: 0,
  timeout: 0,
  deadline: 0,
  retention: 0,
  completedAt: 0,
  group: "",
  uniqueKey: "",
};

const UUID = "0f8fad5b-d9cb-469f-a165-70867728950e";

/** What Go's Client.Enqueue(NewTask("email:send", payload)) stores with default options. */
const GO_DEFAULT_MESSAGE: TaskMessage = {
  ...EMPTY_MESSAGE,
  type: "email:send",
  payload: text('{"user_id":42}'),
  id: UUID,
  queue: "default",
  maxRetry: 25,
  timeout: 1_800_000,
};
const GO_DEFAULT_BYTES = bytes(
  ["0a 0a", "email:send"], //  1 type: LEN, 10 bytes
  ["12 0e", '{"user_id":42}'], //  2 payload: LEN, 14 bytes
  ["1a 24", UUID], //  3 id: LEN, 36 bytes
  ["22 07", "default"], //  4 queue: LEN, 7 bytes
  "28 19", //  5 retry: varint 25
  "40 88 0e", //  8 timeout: varint 1800 s
);

const EVERY_FIELD_MESSAGE: TaskMessage = {
  type: "t",
  payload: Uint8Array.of(0x00, 0xff),
  id: "i",
  queue: "q",
  maxRetry: 3,
  retried: 2,
  lastError: "boom",
  timeout: 60_000,
  deadline: 1_700_000_000_000,
  uniqueKey: "asynq:{q}:unique:x",
  lastFailedAt: 1_700_000_100_000,
  retention: 86_400_000,
  completedAt: 1_700_000_200_000,
  group: "g",
  headers: { k: "v" },
};
const EVERY_FIELD_BYTES = bytes(
  "0a 01 74", //  1 type "t"
  "12 02 00 ff", //  2 payload 00 ff
  "1a 01 69", //  3 id "i"
  "22 01 71", //  4 queue "q"
  "28 03", //  5 retry 3
  "30 02", //  6 retried 2
  ["3a 04", "boom"], //  7 error_msg
  "40 3c", //  8 timeout 60 s
  "48 80 e2 cf aa 06", //  9 deadline 1700000000
  ["52 12", "asynq:{q}:unique:x"], // 10 unique_key, 18 bytes
  "58 e4 e2 cf aa 06", // 11 last_failed_at 1700000100
  "60 80 a3 05", // 12 retention 86400 s
  "68 c8 e3 cf aa 06", // 13 completed_at 1700000200
  "72 01 67", // 14 group_key "g"
  "7a 06 0a 01 6b 12 01 76", // 15 headers entry {1 key "k", 2 value "v"}
);

describe("TaskMessage golden vectors", () => {
  it("encodes Go's default client message", () => {
    expect(encodeTaskMessage(GO_DEFAULT_MESSAGE)).toEqual(GO_DEFAULT_BYTES);
    expect(decodeTaskMessage(GO_DEFAULT_BYTES)).toEqual(GO_DEFAULT_MESSAGE);
  });

  it("writes a negative int32 as a 10-byte varint", () => {
    const message = { ...EMPTY_MESSAGE, type: "t", maxRetry: -1 };
    const expected = bytes(
      "0a 01 74", // 1 type "t"
      "28 ff ff ff ff ff ff ff ff ff 01", // 5 retry -1, sign-extended to 64 bits
    );
    expect(encodeTaskMessage(message)).toEqual(expected);
    expect(decodeTaskMessage(expected)).toEqual(message);
  });

  it("omits an empty payload and every other zero value", () => {
    const message = { ...EMPTY_MESSAGE, type: "x", id: "i", queue: "q" };
    const expected = bytes(
      "0a 01 78", // 1 type "x"
      "1a 01 69", // 3 id "i" (no field 2)
      "22 01 71", // 4 queue "q"
    );
    expect(encodeTaskMessage(message)).toEqual(expected);
    expect(decodeTaskMessage(expected)).toEqual(message);
    expect(encodeTaskMessage(EMPTY_MESSAGE)).toEqual(new Uint8Array(0));
    expect(decodeTaskMessage(new Uint8Array(0))).toEqual(EMPTY_MESSAGE);
  });

  it("writes headers as map entries sorted by key, empty values included", () => {
    const message = { ...EMPTY_MESSAGE, type: "t", headers: { b: "2", e: "", a: "1" } };
    const expected = bytes(
      "0a 01 74", // 1 type "t"
      "7a 06 0a 01 61 12 01 31", // 15 {key "a", value "1"}
      "7a 06 0a 01 62 12 01 32", // 15 {key "b", value "2"}
      "7a 05 0a 01 65 12 00", // 15 {key "e", value ""}: Go writes map values even when empty
    );
    expect(encodeTaskMessage(message)).toEqual(expected);
    expect(decodeTaskMessage(expected)).toEqual(message);
  });

  it("sorts header keys by UTF-8 bytes like Go, not by UTF-16 units", () => {
    const message = { ...EMPTY_MESSAGE, headers: { "\u{1F600}": "", "\uFFFF": "" } };
    const expected = bytes(
      "7a 07 0a 03 ef bf bf 12 00", // 15 {key U+FFFF (ef bf bf), value ""}
      "7a 08 0a 04 f0 9f 98 80 12 00", // 15 {key U+1F600 (f0 9f 98 80), value ""}
    );
    expect(encodeTaskMessage(message)).toEqual(expected);
  });

  it("encodes every field in field-number order", () => {
    expect(encodeTaskMessage(EVERY_FIELD_MESSAGE)).toEqual(EVERY_FIELD_BYTES);
    expect(decodeTaskMessage(EVERY_FIELD_BYTES)).toEqual(EVERY_FIELD_MESSAGE);
  });

  it("rounds durations up and instants down to whole seconds", () => {
    const message = {
      ...EMPTY_MESSAGE,
      timeout: 1_500, // 1.5 s → 2 s, never shortened
      retention: 1, // 1 ms → 1 s
      deadline: 1_700_000_000_999, // → 1700000000
      completedAt: 1_700_000_060_500, // → 1700000060
    };
    const expected = bytes(
      "40 02", // 8 timeout 2 s
      "48 80 e2 cf aa 06", // 9 deadline 1700000000
      "60 01", // 12 retention 1 s
      "68 bc e2 cf aa 06", // 13 completed_at 1700000060
    );
    expect(encodeTaskMessage(message)).toEqual(expected);
    expect(decodeTaskMessage(expected)).toMatchObject({
      timeout: 2_000,
      retention: 1_000,
      deadline: 1_700_000_000_000,
      completedAt: 1_700_000_060_000,
    });
  });
});

describe("TaskMessage decoding is lenient like Go's", () => {
  it("accepts fields in reverse order", () => {
    const reversed = bytes(
      "40 88 0e", //  8 timeout
      "28 19", //  5 retry
      ["22 07", "default"], //  4 queue
      ["1a 24", UUID], //  3 id
      ["12 0e", '{"user_id":42}'], //  2 payload
      ["0a 0a", "email:send"], //  1 type
    );
    expect(decodeTaskMessage(reversed)).toEqual(GO_DEFAULT_MESSAGE);
  });

  it("skips unknown fields of every wire type interleaved with known ones", () => {
    const withUnknown = bytes(
      "80 01 96 01", // 16 varint 150 (two-byte tag)
      ["0a 0a", "email:send"], //  1 type
      "89 01 01 02 03 04 05 06 07 08", // 17 fixed64
      ["12 0e", '{"user_id":42}'], //  2 payload
      ["92 01 03", "abc"], // 18 length-delimited
      ["1a 24", UUID], //  3 id
      "9d 01 01 02 03 04", // 19 fixed32
      ["22 07", "default"], //  4 queue
      "a3 01 08 05 a4 01", // 20 group (start, inner field 1 varint 5, end)
      "28 19", //  5 retry
      "2d 01 00 00 00", //  5 retry with the wrong wire type (fixed32): unknown, skipped
      "40 88 0e", //  8 timeout
      "f8 ff ff ff 0f 00", // field 536870911 (largest number) varint 0
    );
    expect(decodeTaskMessage(withUnknown)).toEqual(GO_DEFAULT_MESSAGE);
  });

  it("keeps the last value of a repeated scalar and of a repeated map key", () => {
    const repeated = bytes(
      "0a 01 61", // 1 type "a"
      "7a 06 0a 01 6b 12 01 31", // 15 {k: "1"}
      "0a 01 62", // 1 type "b" — wins
      "7a 06 0a 01 6b 12 01 32", // 15 {k: "2"} — wins
      "7a 06 12 01 33 0a 01 6a", // 15 entry with value before key: {j: "3"}
      "7a 03 0a 01 6d", // 15 entry without value: {m: ""}
    );
    expect(decodeTaskMessage(repeated)).toEqual({
      ...EMPTY_MESSAGE,
      type: "b",
      headers: { k: "2", j: "3", m: "" },
    });
  });

  it("reads a header named __proto__ as a plain key", () => {
    const entry = bytes(["7a 0f 0a 09", "__proto__", "12 02", "ok"]);
    const headers = decodeTaskMessage(entry).headers;
    expect(Object.keys(headers)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype);
  });

  it("truncates an over-wide int32 varint to 32 bits, as protobuf specifies", () => {
    // 5 retry: 2^32 + 7, written as a 64-bit varint (80 80 80 80 10 = 2^32, plus 7)
    expect(decodeTaskMessage(bytes("28 87 80 80 80 10")).maxRetry).toBe(7);
  });

  it.each([
    ["a truncated varint", "28 ff"],
    ["a length beyond the end", "0a 05 61"],
    ["field number 0", "00 01"],
    ["a varint longer than 10 bytes", "28 ff ff ff ff ff ff ff ff ff ff 01"],
    ["wire type 7", "0f"],
    ["an unclosed group", "a3 01 08 05"],
  ])("rejects %s with a BackendError", (_, hex) => {
    expect(() => decodeTaskMessage(bytes(hex))).toThrow(BackendError);
  });
});

describe("Timestamp", () => {
  it("maps 0 to Go's zero time and back", () => {
    expect(GO_ZERO_TIME_SECONDS * 1000).toBe(Date.parse("0001-01-01T00:00:00Z"));
    expect(timestampFromEpochMs(0)).toEqual({ seconds: GO_ZERO_TIME_SECONDS, nanos: 0 });
    expect(epochMsFromTimestamp({ seconds: GO_ZERO_TIME_SECONDS, nanos: 0 })).toBe(0);
  });

  it("encodes a standalone Timestamp, Go's zero time included", () => {
    const goZero = bytes("08 80 92 b8 c3 98 fe ff ff ff 01"); // 1 seconds -62135596800
    expect(encodeTimestamp(0)).toEqual(goZero);
    expect(decodeTimestamp(goZero)).toEqual({ seconds: GO_ZERO_TIME_SECONDS, nanos: 0 });
    const withNanos = bytes("08 80 e2 cf aa 06", "10 c0 a9 d3 3a"); // 1700000000 s, 123000000 ns
    expect(encodeTimestamp(1_700_000_000_123)).toEqual(withNanos);
    expect(decodeTimestamp(withNanos)).toEqual({ seconds: 1_700_000_000, nanos: 123_000_000 });
  });

  it("keeps milliseconds in nanos", () => {
    expect(timestampFromEpochMs(1_700_000_000_123)).toEqual({
      seconds: 1_700_000_000,
      nanos: 123_000_000,
    });
    expect(epochMsFromTimestamp({ seconds: 1_700_000_000, nanos: 123_999_999 })).toBe(
      1_700_000_000_123,
    );
    expect(timestampFromEpochMs(-1)).toEqual({ seconds: -1, nanos: 999_000_000 });
  });

  it("encodes Go's zero time with a 10-byte negative seconds varint", () => {
    const event = { taskId: "i", enqueuedAt: 0 };
    const expected = bytes(
      "0a 01 69", // 1 task_id "i"
      "12 0b 08 80 92 b8 c3 98 fe ff ff ff 01", // 2 enqueue_time {1 seconds -62135596800}
    );
    expect(encodeSchedulerEnqueueEvent(event)).toEqual(expected);
    expect(decodeSchedulerEnqueueEvent(expected)).toEqual(event);
  });

  it("reads an absent or empty timestamp as 0 and the Unix epoch as 0", () => {
    expect(decodeSchedulerEnqueueEvent(bytes("0a 01 69"))).toEqual({ taskId: "i", enqueuedAt: 0 });
    expect(decodeSchedulerEnqueueEvent(bytes("12 00")).enqueuedAt).toBe(0);
  });
});

describe("liveness and scheduler golden vectors", () => {
  it("ServerInfo with a queues map (sorted, zero priority kept) and a Timestamp", () => {
    const info = {
      host: "h",
      pid: 1234,
      serverId: "s",
      concurrency: 10,
      queues: { default: 3, low: 0, critical: 6 },
      strictPriority: true,
      status: "active",
      startedAt: 1_700_000_000_123,
      activeWorkerCount: 2,
    };
    const expected = bytes(
      "0a 01 68", // 1 host "h"
      "10 d2 09", // 2 pid 1234
      "1a 01 73", // 3 server_id "s"
      "20 0a", // 4 concurrency 10
      ["2a 0c 0a 08", "critical", "10 06"], // 5 {key "critical", value 6}
      ["2a 0b 0a 07", "default", "10 03"], // 5 {key "default", value 3}
      ["2a 07 0a 03", "low", "10 00"], // 5 {key "low", value 0}: map values always written
      "30 01", // 6 strict_priority true
      ["3a 06", "active"], // 7 status
      "42 0b 08 80 e2 cf aa 06 10 c0 a9 d3 3a", // 8 start_time {1700000000 s, 123000000 ns}
      "48 02", // 9 active_worker_count 2
    );
    expect(encodeServerInfo(info)).toEqual(expected);
    expect(decodeServerInfo(expected)).toEqual(info);
  });

  it("WorkerInfo", () => {
    const info = {
      host: "h",
      pid: 1234,
      serverId: "s",
      taskId: "i",
      taskType: "t",
      taskPayload: Uint8Array.of(1, 2),
      queue: "q",
      startedAt: 1_700_000_000_000,
      deadline: 1_700_000_001_999,
    };
    const expected = bytes(
      "0a 01 68", // 1 host "h"
      "10 d2 09", // 2 pid 1234
      "1a 01 73", // 3 server_id "s"
      "22 01 69", // 4 task_id "i"
      "2a 01 74", // 5 task_type "t"
      "32 02 01 02", // 6 task_payload 01 02
      "3a 01 71", // 7 queue "q"
      "42 06 08 80 e2 cf aa 06", // 8 start_time {1700000000 s} (nanos 0 omitted)
      "4a 0c 08 81 e2 cf aa 06 10 c0 8f ae dc 03", // 9 deadline {1700000001 s, 999000000 ns}
    );
    expect(encodeWorkerInfo(info)).toEqual(expected);
    expect(decodeWorkerInfo(expected)).toEqual(info);
  });

  it("SchedulerEntry with repeated options and a never-enqueued (Go zero) prev time", () => {
    const entry = {
      id: "e",
      spec: "@every 30s",
      taskType: "t",
      taskPayload: new Uint8Array(0),
      enqueueOptions: ["MaxRetry(5)", ""],
      nextEnqueueAt: 1_700_000_060_000,
      prevEnqueueAt: 0,
    };
    const expected = bytes(
      "0a 01 65", // 1 id "e"
      ["12 0a", "@every 30s"], // 2 spec
      "1a 01 74", // 3 task_type "t" (4 task_payload empty: omitted)
      ["2a 0b", "MaxRetry(5)"], // 5 enqueue_options[0]
      "2a 00", // 5 enqueue_options[1] "": repeated elements are always written
      "32 06 08 bc e2 cf aa 06", // 6 next_enqueue_time {1700000060 s}
      "3a 0b 08 80 92 b8 c3 98 fe ff ff ff 01", // 7 prev_enqueue_time = Go zero time
    );
    expect(encodeSchedulerEntry(entry)).toEqual(expected);
    expect(decodeSchedulerEntry(expected)).toEqual(entry);
  });
});
