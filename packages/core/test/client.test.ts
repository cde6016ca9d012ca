import {
  BrokerClosedError,
  Client,
  DuplicateTaskError,
  InvalidArgumentError,
  Task,
  TaskIdConflictError,
  type TaskInfo,
  type TaskMessage,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { fakeBroker, setup } from "./support/fake-broker.js";
import { manualClock, NOW, sequentialIds } from "./support/fixtures.js";

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The message Client builds for `type`/`payload` under default options, with `fields` overridden. */
function expectedMessage(fields: Partial<TaskMessage>): TaskMessage {
  return {
    id: "id-1",
    type: "email:deliver",
    payload: utf8("hi"),
    headers: {},
    queue: "default",
    maxRetry: 25,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: 1_800_000,
    deadline: 0,
    retention: 0,
    completedAt: 0,
    group: "",
    uniqueKey: "",
    ...fields,
  };
}

describe("Client.enqueue sends exact parameters", () => {
  it("for a pending task", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hi", { maxRetry: 5 }), { queue: "critical" });
    expect(enqueueCalls).toStrictEqual([
      {
        message: expectedMessage({ queue: "critical", maxRetry: 5 }),
        placement: { state: "pending" },
        now: NOW,
      },
    ]);
  });

  it("for a scheduled task", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hi"), { processIn: 60_000 });
    expect(enqueueCalls).toStrictEqual([
      {
        message: expectedMessage({}),
        placement: { state: "scheduled", processAt: NOW + 60_000 },
        now: NOW,
      },
    ]);
  });

  it("for an aggregating task", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hi", { group: "digest" }));
    expect(enqueueCalls).toStrictEqual([
      {
        message: expectedMessage({ group: "digest" }),
        placement: { state: "aggregating", group: "digest" },
        now: NOW,
      },
    ]);
  });

  it("for a scheduled grouped task, keeping its group in the message", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hi"), { group: "digest", processIn: 5_000 });
    expect(enqueueCalls[0]?.placement).toStrictEqual({
      state: "scheduled",
      processAt: NOW + 5_000,
    });
    expect(enqueueCalls[0]?.message.group).toBe("digest");
  });

  it("for a unique pending task: the payload digest and now + ttl", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hello"), { unique: 3_600_000 });
    expect(enqueueCalls).toStrictEqual([
      {
        message: expectedMessage({ payload: utf8("hello") }),
        placement: { state: "pending" },
        unique: { digest: "5d41402abc4b2a76b9719d911017c592", expiresAt: NOW + 3_600_000 },
        now: NOW,
      },
    ]);
  });

  it("for a unique scheduled task: the lock lasts ttl past processAt", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hello"), {
      unique: 60_000,
      processAt: NOW + 3_600_000,
    });
    expect(enqueueCalls[0]?.unique).toStrictEqual({
      digest: "5d41402abc4b2a76b9719d911017c592",
      expiresAt: NOW + 3_600_000 + 60_000,
    });
  });

  it("for a unique task with an empty payload: an empty digest", async () => {
    const { client, enqueueCalls } = setup();
    await client.enqueue(new Task("ping"), { unique: 1_000 });
    expect(enqueueCalls[0]?.unique).toStrictEqual({ digest: "", expiresAt: NOW + 1_000 });
  });

  it("with a deadline, retention, task ID and merged headers", async () => {
    const { client, enqueueCalls, ids } = setup();
    const task = new Task("email:deliver", "hi", { headers: { a: "task", b: "task" } });
    await client.enqueue(task, {
      taskId: "order-7",
      deadline: new Date(NOW + 90_000),
      retention: 86_400_000,
      headers: { b: "enqueue" },
    });
    expect(enqueueCalls[0]?.message).toStrictEqual(
      expectedMessage({
        id: "order-7",
        timeout: 0,
        deadline: NOW + 90_000,
        retention: 86_400_000,
        headers: { a: "task", b: "enqueue" },
      }),
    );
    expect(ids.issued).toBe(0);
  });

  it("reads the injected clock at each call", async () => {
    const { client, clock, enqueueCalls } = setup();
    await client.enqueue(new Task("email:deliver", "hi"));
    clock.advance(2_500);
    await client.enqueue(new Task("email:deliver", "hi"), { processIn: 1_000 });
    expect(enqueueCalls.map((c) => c.now)).toStrictEqual([NOW, NOW + 2_500]);
    expect(enqueueCalls[1]?.placement).toStrictEqual({
      state: "scheduled",
      processAt: NOW + 3_500,
    });
    expect(enqueueCalls.map((c) => c.message.id)).toStrictEqual(["id-1", "id-2"]);
  });
});

describe("Client.enqueue returns TaskInfo", () => {
  const base: TaskInfo = {
    id: "id-1",
    queue: "default",
    type: "email:deliver",
    payload: utf8("hi"),
    headers: {},
    state: "pending",
    maxRetry: 25,
    retried: 0,
    lastError: "",
    lastFailedAt: null,
    timeout: 1_800_000,
    deadline: null,
    group: "",
    nextProcessAt: new Date(NOW),
    isOrphaned: false,
    retention: 0,
    completedAt: null,
    result: null,
  };

  it("for a pending task, due now", async () => {
    const { client } = setup();
    expect(await client.enqueue(new Task("email:deliver", "hi"))).toStrictEqual(base);
  });

  it("for a scheduled task, due at processAt", async () => {
    const { client } = setup();
    const info = await client.enqueue(new Task("email:deliver", "hi"), {
      processIn: 60_000,
      retention: 5_000,
      deadline: NOW + 120_000,
    });
    expect(info).toStrictEqual({
      ...base,
      state: "scheduled",
      nextProcessAt: new Date(NOW + 60_000),
      retention: 5_000,
      timeout: 0,
      deadline: new Date(NOW + 120_000),
    });
  });

  it("for an aggregating task, with no next process time", async () => {
    const { client } = setup();
    const info = await client.enqueue(new Task("email:deliver", "hi"), { group: "digest" });
    expect(info).toStrictEqual({
      ...base,
      state: "aggregating",
      group: "digest",
      nextProcessAt: null,
    });
  });
});

describe("Client.enqueue refusals", () => {
  it("maps task-id-conflict to TaskIdConflictError", async () => {
    const { client, replies } = setup();
    replies.enqueue = { ok: false, reason: "task-id-conflict" };
    const enqueuing = client.enqueue(new Task("email:deliver", "hi"), {
      taskId: "t-9",
      queue: "q",
    });
    await expect(enqueuing).rejects.toBeInstanceOf(TaskIdConflictError);
    await expect(enqueuing).rejects.toMatchObject({
      code: "TASK_ID_CONFLICT",
      message: 'task ID "t-9" already exists in queue "q"',
    });
  });

  it("maps duplicate-task to DuplicateTaskError", async () => {
    const { client, replies } = setup();
    replies.enqueue = { ok: false, reason: "duplicate-task" };
    const enqueuing = client.enqueue(new Task("email:deliver", "hi"), { unique: 60_000 });
    await expect(enqueuing).rejects.toBeInstanceOf(DuplicateTaskError);
    await expect(enqueuing).rejects.toMatchObject({ code: "DUPLICATE_TASK" });
  });

  it("throws validation errors before calling the broker", async () => {
    const { client, enqueueCalls, touched } = setup();
    await expect(
      client.enqueue(new Task("email:deliver", "hi"), { timeout: 500 }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", field: "timeout" });
    await expect(client.enqueue(new Task("t", "", { queue: " " }))).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(enqueueCalls).toStrictEqual([]);
    expect(touched).toStrictEqual([]);
  });

  it("lets a broker failure through unchanged", async () => {
    const { broker, enqueueCalls } = fakeBroker();
    const failing = new Proxy(broker, {
      get(target, property) {
        if (property === "enqueue") return async () => Promise.reject(new Error("ECONNRESET"));
        return Reflect.get(target, property);
      },
    });
    const client = new Client(failing, { clock: manualClock(), ids: sequentialIds() });
    await expect(client.enqueue(new Task("t"))).rejects.toThrow("ECONNRESET");
    expect(enqueueCalls).toStrictEqual([]);
  });
});

describe("Client.close", () => {
  it("makes later calls reject with BROKER_CLOSED without touching the broker", async () => {
    const { client, touched } = setup();
    await client.close();
    await expect(client.enqueue(new Task("t"))).rejects.toBeInstanceOf(BrokerClosedError);
    await expect(client.enqueueBulk([new Task("t")])).rejects.toMatchObject({
      code: "BROKER_CLOSED",
      message: "client is closed",
    });
    expect(touched).toStrictEqual([]);
  });

  it("does not close the broker and can be called twice", async () => {
    const { client, touched } = setup();
    await client.close();
    await client.close();
    expect(touched).not.toContain("close");
  });

  it("closes through Symbol.asyncDispose", async () => {
    const { client } = setup();
    await client[Symbol.asyncDispose]();
    await expect(client.enqueue(new Task("t"))).rejects.toMatchObject({ code: "BROKER_CLOSED" });
  });
});

describe("Client defaults", () => {
  it("uses UUID v4 task IDs and the system clock when none are injected", async () => {
    const { broker, enqueueCalls } = fakeBroker();
    const before = Date.now();
    const info = await new Client(broker).enqueue(new Task("t"));
    const after = Date.now();
    expect(info.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(enqueueCalls[0]?.now).toBeGreaterThanOrEqual(before);
    expect(enqueueCalls[0]?.now).toBeLessThanOrEqual(after);
  });
});
