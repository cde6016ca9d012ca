import type { SchedulerEntry, ServerInfo, TaskMessage, WorkerInfo } from "@asynq-ts/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeSchedulerEnqueueEvent,
  decodeSchedulerEntry,
  decodeServerInfo,
  decodeTaskMessage,
  decodeWorkerInfo,
  encodeSchedulerEnqueueEvent,
  encodeSchedulerEntry,
  encodeServerInfo,
  encodeTaskMessage,
  encodeWorkerInfo,
} from "../src/encoding/index.js";

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const anyString = fc.string({ unit: "grapheme" });
/** Whole seconds as ms, the precision TaskMessage keeps on the wire (up to year ~2500). */
const wholeSecondsMs = fc.integer({ min: 0, max: 17_000_000_000 }).map((s) => s * 1000);
/** Instants with ms precision (Timestamps keep it); 0 means none. */
const epochMs = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 17_000_000_000_000 }));
const payload = fc.uint8Array({ maxLength: 64 });
const stringMap = fc.dictionary(anyString, anyString, { maxKeys: 5 });

const taskMessage: fc.Arbitrary<TaskMessage> = fc.record({
  id: anyString,
  type: anyString,
  payload,
  headers: stringMap,
  queue: anyString,
  maxRetry: int32,
  retried: int32,
  lastError: anyString,
  lastFailedAt: wholeSecondsMs,
  timeout: wholeSecondsMs,
  deadline: wholeSecondsMs,
  retention: wholeSecondsMs,
  completedAt: wholeSecondsMs,
  group: anyString,
  uniqueKey: anyString,
});

describe("round trips (decode ∘ encode = identity)", () => {
  it("TaskMessage with whole-second times", () => {
    fc.assert(
      fc.property(taskMessage, (message) => {
        expect(decodeTaskMessage(encodeTaskMessage(message))).toEqual(message);
      }),
    );
  });

  it("TaskMessage encoding is canonical: re-encoding decoded bytes gives the same bytes", () => {
    fc.assert(
      fc.property(taskMessage, (message) => {
        const encoded = encodeTaskMessage(message);
        expect(encodeTaskMessage(decodeTaskMessage(encoded))).toEqual(encoded);
      }),
    );
  });

  it("ServerInfo", () => {
    const serverInfo: fc.Arbitrary<ServerInfo> = fc.record({
      host: anyString,
      pid: int32,
      serverId: anyString,
      concurrency: int32,
      queues: fc.dictionary(anyString, int32, { maxKeys: 5 }),
      strictPriority: fc.boolean(),
      status: fc.constantFrom("active", "stopped"),
      startedAt: epochMs,
      activeWorkerCount: int32,
    });
    fc.assert(
      fc.property(serverInfo, (info) => {
        expect(decodeServerInfo(encodeServerInfo(info))).toEqual(info);
      }),
    );
  });

  it("WorkerInfo", () => {
    const workerInfo: fc.Arbitrary<WorkerInfo> = fc.record({
      host: anyString,
      pid: int32,
      serverId: anyString,
      taskId: anyString,
      taskType: anyString,
      taskPayload: payload,
      queue: anyString,
      startedAt: epochMs,
      deadline: epochMs,
    });
    fc.assert(
      fc.property(workerInfo, (info) => {
        expect(decodeWorkerInfo(encodeWorkerInfo(info))).toEqual(info);
      }),
    );
  });

  it("SchedulerEntry and SchedulerEnqueueEvent", () => {
    const entry: fc.Arbitrary<SchedulerEntry> = fc.record({
      id: anyString,
      spec: anyString,
      taskType: anyString,
      taskPayload: payload,
      enqueueOptions: fc.array(anyString, { maxLength: 4 }),
      nextEnqueueAt: epochMs,
      prevEnqueueAt: epochMs,
    });
    fc.assert(
      fc.property(entry, anyString, epochMs, (value, taskId, enqueuedAt) => {
        expect(decodeSchedulerEntry(encodeSchedulerEntry(value))).toEqual(value);
        const event = { taskId, enqueuedAt };
        expect(decodeSchedulerEnqueueEvent(encodeSchedulerEnqueueEvent(event))).toEqual(event);
      }),
    );
  });
});
