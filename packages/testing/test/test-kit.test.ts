import { Client, RevokeTaskError, ServeMux, SkipRetryError, Task } from "@asynq-ts/core";
import { createTestKit } from "@asynq-ts/testing";
import { describe, expect, it } from "vitest";

const sequentialIds = () => {
  let n = 0;
  return { next: () => `id-${++n}` };
};

/** What an application under test might do. */
async function signup(client: Client, email: string): Promise<void> {
  await client.enqueue(Task.json("email:welcome", { email }), { queue: "critical" });
  await client.enqueue(Task.json("crm:sync", { email }), { processIn: 60_000 });
}

describe("createTestKit", () => {
  it("records what the application enqueued and finds it by type, queue, state and payload", async () => {
    const kit = createTestKit({ ids: sequentialIds() });
    await signup(kit.client, "a@b.c");

    expect(kit.enqueued.map((t) => [t.message.type, t.message.queue, t.state])).toEqual([
      ["email:welcome", "critical", "pending"],
      ["crm:sync", "default", "scheduled"],
    ]);
    expect(
      kit.expectEnqueued("email:welcome", { queue: "critical", payload: { email: "a@b.c" } })
        .message.id,
    ).toBe("id-1");
    expect(kit.expectEnqueued("crm:sync", { state: "scheduled" }).message.id).toBe("id-2");
    expect(() => kit.expectEnqueued("email:welcome", { queue: "low" })).toThrow(
      /email:welcome@critical\(pending\)/,
    );
    expect(() => kit.expectEnqueued("email:welcome", { payload: { email: "x@y.z" } })).toThrow(
      /expected/,
    );
    await kit.close();
  });

  it("does not record enqueues the broker refused", async () => {
    const kit = createTestKit();
    await kit.client.enqueue(new Task("report", "same"), { unique: 60_000 });
    await expect(
      kit.client.enqueue(new Task("report", "same"), { unique: 60_000 }),
    ).rejects.toMatchObject({
      code: "DUPLICATE_TASK",
    });
    expect(kit.enqueued).toHaveLength(1);
    await kit.close();
  });

  it("runs due tasks and jumps the clock to scheduled tasks instead of waiting", async () => {
    const kit = createTestKit({ start: Date.UTC(2030, 0, 1) });
    await signup(kit.client, "a@b.c");
    const seen: string[] = [];
    const mux = new ServeMux().handle("email:", async (task) => {
      seen.push(task.type);
    });
    mux.handle("crm:sync", async (task) => {
      seen.push(`${task.type}@${new Date(kit.clock.now()).toISOString()}`);
    });

    const attempts = await kit.runUntilIdle(mux);

    expect(seen).toEqual(["email:welcome", "crm:sync@2030-01-01T00:01:00.000Z"]);
    expect(attempts.map((a) => a.action)).toEqual(["done", "done"]);
    const stats = await kit.broker.queueStats({ queue: "default", now: kit.clock.now() });
    expect(stats.ok && stats.stats.processed).toBe(1);
    await kit.close();
  });

  it("retries failing tasks through their retry delays until they succeed or are archived", async () => {
    const kit = createTestKit({ retryDelay: (n) => (n + 1) * 10_000 });
    await kit.client.enqueue(new Task("flaky"), { maxRetry: 5 });
    await kit.client.enqueue(new Task("broken"), { maxRetry: 2 });
    await kit.client.enqueue(new Task("invalid"));
    await kit.client.enqueue(new Task("obsolete"));
    let flakyCalls = 0;
    const mux = new ServeMux()
      .handle("flaky", async () => {
        flakyCalls++;
        if (flakyCalls < 3) throw new Error(`attempt ${flakyCalls} failed`);
      })
      .handle("broken", async () => {
        throw new Error("always");
      })
      .handle("invalid", async () => {
        throw new SkipRetryError("bad payload");
      })
      .handle("obsolete", async () => {
        throw new RevokeTaskError();
      });
    const start = kit.clock.now();

    const attempts = await kit.runUntilIdle(mux);

    const byType = (type: string) =>
      attempts.filter((a) => a.type === type).map((a) => [a.action, a.at - start]);
    expect(byType("flaky")).toEqual([
      ["retry", 0],
      ["retry", 10_000],
      ["done", 30_000],
    ]);
    expect(byType("broken")).toEqual([
      ["retry", 0],
      ["retry", 10_000],
      ["archive", 30_000],
    ]);
    expect(byType("invalid")).toEqual([["archive", 0]]);
    expect(byType("obsolete")).toEqual([["done", 0]]);
    const archived = await kit.broker.listTasks({
      queue: "default",
      state: "archived",
      offset: 0,
      limit: 10,
      now: kit.clock.now(),
    });
    expect(archived.ok && archived.tasks.map((t) => [t.message.type, t.message.lastError])).toEqual(
      [
        ["invalid", "bad payload"],
        ["broken", "always"],
      ],
    );
    await kit.close();
  });

  it("stops a handler that keeps failing after maxAttempts", async () => {
    const kit = createTestKit({ retryDelay: () => 1_000 });
    await kit.client.enqueue(new Task("loop"), { maxRetry: 100 });
    const failing = async () => {
      throw new Error("no");
    };
    await expect(kit.runUntilIdle(failing, { maxAttempts: 5 })).rejects.toThrow(
      /more than 5 attempts/,
    );
    await kit.close();
  });

  it("keeps results of tasks with a retention and leaves aggregating tasks alone", async () => {
    const kit = createTestKit({ ids: sequentialIds() });
    await kit.client.enqueue(new Task("render"), { retention: 3_600_000 });
    await kit.client.enqueue(new Task("digest"), { group: "user:1" });
    const attempts = await kit.runUntilIdle(async (_task, ctx) => {
      await ctx.writeResult(new TextEncoder().encode("ok"));
    });

    expect(attempts.map((a) => [a.type, a.action])).toEqual([["render", "complete"]]);
    const task = await kit.broker.getTask({
      queue: "default",
      taskId: "id-1",
      now: kit.clock.now(),
    });
    expect(
      task.ok && [task.task.state, new TextDecoder().decode(task.task.result ?? undefined)],
    ).toEqual(["completed", "ok"]);
    const stats = await kit.broker.queueStats({ queue: "default", now: kit.clock.now() });
    expect(stats.ok && stats.stats.aggregating).toBe(1);
    await kit.close();
  });

  it("lets application code use its own Client over the kit's broker and clock", async () => {
    const kit = createTestKit();
    const appClient = new Client(kit.broker, { clock: kit.clock });
    await appClient.enqueue(new Task("ping"));
    expect(kit.expectEnqueued("ping").state).toBe("pending");
    await kit.close();
  });
});
