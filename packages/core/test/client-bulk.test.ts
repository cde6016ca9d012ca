import { DuplicateTaskError, Task, TaskIdConflictError } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { setup } from "./support/fake-broker.js";
import { NOW } from "./support/fixtures.js";

describe("Client.enqueueBulk", () => {
  it("returns results aligned with the items when one item is invalid", async () => {
    const { client, bulkCalls } = setup();
    const results = await client.enqueueBulk(
      [
        new Task("a", "1"),
        { task: new Task("b", "2"), options: { timeout: 500 } },
        { task: new Task("c", "3"), options: { queue: "low" } },
      ],
      { queue: "critical" },
    );
    expect(bulkCalls).toHaveLength(1);
    expect(bulkCalls[0]?.now).toBe(NOW);
    expect(
      bulkCalls[0]?.requests.map((r) => [r.message.type, r.message.id, r.message.queue]),
    ).toStrictEqual([
      ["a", "id-1", "critical"],
      ["c", "id-2", "low"],
    ]);
    expect(results.map((r) => r.ok)).toStrictEqual([true, false, true]);
    expect(results[0]).toMatchObject({
      ok: true,
      info: { id: "id-1", type: "a", queue: "critical" },
    });
    expect(results[1]).toMatchObject({
      ok: false,
      error: { code: "INVALID_ARGUMENT", field: "timeout" },
    });
    expect(results[2]).toMatchObject({ ok: true, info: { id: "id-2", type: "c", queue: "low" } });
  });

  it("sends unique requests and placements like enqueue", async () => {
    const { client, bulkCalls } = setup();
    await client.enqueueBulk([
      { task: new Task("a", "hello"), options: { unique: 10_000, processIn: 1_000 } },
      { task: new Task("b"), options: { group: "g" } },
    ]);
    expect(bulkCalls[0]?.requests[0]?.unique).toStrictEqual({
      digest: "5d41402abc4b2a76b9719d911017c592",
      expiresAt: NOW + 11_000,
    });
    expect(bulkCalls[0]?.requests[0]?.placement).toStrictEqual({
      state: "scheduled",
      processAt: NOW + 1_000,
    });
    expect(bulkCalls[0]?.requests[1]?.placement).toStrictEqual({
      state: "aggregating",
      group: "g",
    });
    expect(bulkCalls[0]?.requests[1]).not.toHaveProperty("unique");
  });

  it("maps per-item refusals to errors in place", async () => {
    const { client, replies } = setup();
    replies.bulk = () => [
      { ok: true },
      { ok: false, reason: "duplicate-task" },
      { ok: false, reason: "task-id-conflict" },
    ];
    const results = await client.enqueueBulk([new Task("a"), new Task("b"), new Task("c")]);
    expect(results[0]?.ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false });
    expect(results[1]?.ok === false && results[1].error).toBeInstanceOf(DuplicateTaskError);
    expect(results[2]?.ok === false && results[2].error).toBeInstanceOf(TaskIdConflictError);
  });

  it("refuses an item that is not a Task", async () => {
    const { client, bulkCalls } = setup();
    const results = await client.enqueueBulk([
      { task: "not a task" } as unknown as Task,
      null as unknown as Task,
    ]);
    expect(results).toMatchObject([
      { ok: false, error: { code: "INVALID_ARGUMENT", field: "task" } },
      { ok: false, error: { code: "INVALID_ARGUMENT", field: "task" } },
    ]);
    expect(bulkCalls).toStrictEqual([]);
  });

  it("does not call the broker for an empty list", async () => {
    const { client, touched } = setup();
    expect(await client.enqueueBulk([])).toStrictEqual([]);
    expect(touched).toStrictEqual([]);
  });

  it("throws when the broker returns fewer results than requests", async () => {
    const { client, replies } = setup();
    replies.bulk = () => [{ ok: true }];
    await expect(client.enqueueBulk([new Task("a"), new Task("b")])).rejects.toThrow(
      "fewer bulk results",
    );
  });
});
