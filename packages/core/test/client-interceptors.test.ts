import {
  Client,
  type EnqueueInterceptor,
  type EnqueueOutcome,
  InvalidArgumentError,
  type OutgoingTask,
  Task,
  TaskIdConflictError,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { fakeBroker } from "./support/fake-broker.js";
import { manualClock, NOW, sequentialIds } from "./support/fixtures.js";

/** A client over a fake broker with `interceptors`. */
function setupWith(interceptors: readonly EnqueueInterceptor[]) {
  const fake = fakeBroker();
  const client = new Client(fake.broker, {
    clock: manualClock(),
    ids: sequentialIds(),
    interceptors,
  });
  return { ...fake, client };
}

/** An interceptor that records what it saw and the outcomes its observer was told. */
function recorder(name: string, log: string[]) {
  const seen: OutgoingTask[] = [];
  const outcomes: EnqueueOutcome[] = [];
  const interceptor: EnqueueInterceptor = (outgoing) => {
    seen.push(outgoing);
    log.push(`${name}:before`);
    return (outcome) => {
      log.push(`${name}:after`);
      outcomes.push(outcome);
    };
  };
  return { interceptor, seen, outcomes };
}

describe("Client interceptors", () => {
  it("see the validated task and add headers that win over the task's own", async () => {
    const seen: OutgoingTask[] = [];
    const { client, enqueueCalls } = setupWith([
      (outgoing) => {
        seen.push(outgoing);
        outgoing.setHeader("trace", "new");
        outgoing.setHeader("added", "yes");
        return undefined;
      },
    ]);
    const task = new Task("email:deliver", "hi", { headers: { trace: "stale", kept: "1" } });
    const info = await client.enqueue(task, { queue: "critical", processIn: 5_000 });

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      task,
      queue: "critical",
      taskId: "id-1",
      headers: { trace: "stale", kept: "1" },
      now: NOW,
      processAt: NOW + 5_000,
    });
    expect(enqueueCalls[0]?.message.headers).toStrictEqual({
      trace: "new",
      kept: "1",
      added: "yes",
    });
    expect(info.headers).toStrictEqual({ trace: "new", kept: "1", added: "yes" });
  });

  it("run in order and their observers are told the outcome in reverse order", async () => {
    const log: string[] = [];
    const first = recorder("first", log);
    const second = recorder("second", log);
    const { client } = setupWith([first.interceptor, second.interceptor]);
    const info = await client.enqueue(new Task("t"));

    expect(log).toStrictEqual(["first:before", "second:before", "second:after", "first:after"]);
    expect(first.outcomes).toStrictEqual([{ ok: true, info }]);
    expect(second.outcomes).toStrictEqual([{ ok: true, info }]);
  });

  it("observe a refusal as the error the caller gets", async () => {
    const log: string[] = [];
    const spy = recorder("spy", log);
    const { client, replies } = setupWith([spy.interceptor]);
    replies.enqueue = { ok: false, reason: "task-id-conflict" };
    const failure = client.enqueue(new Task("t"), { taskId: "x" });

    await expect(failure).rejects.toBeInstanceOf(TaskIdConflictError);
    const outcome = spy.outcomes[0];
    expect(outcome?.ok).toBe(false);
    expect(outcome?.ok === false && outcome.error).toBe(await failure.catch((e: unknown) => e));
  });

  it("observe a broker failure", async () => {
    const log: string[] = [];
    const spy = recorder("spy", log);
    const { client, broker } = setupWith([spy.interceptor]);
    const boom = new Error("connection lost");
    (broker as { enqueue: unknown }).enqueue = async () => {
      throw boom;
    };

    await expect(client.enqueue(new Task("t"))).rejects.toBe(boom);
    expect(spy.outcomes).toStrictEqual([{ ok: false, error: boom }]);
  });

  it("fail the enqueue, storing nothing, when one throws; earlier observers are told", async () => {
    const log: string[] = [];
    const spy = recorder("spy", log);
    const boom = new Error("interceptor bug");
    const { client, enqueueCalls } = setupWith([
      spy.interceptor,
      () => {
        throw boom;
      },
    ]);

    await expect(client.enqueue(new Task("t"))).rejects.toBe(boom);
    expect(enqueueCalls).toHaveLength(0);
    expect(spy.outcomes).toStrictEqual([{ ok: false, error: boom }]);
  });

  it("have their headers validated like the task's", async () => {
    const { client, enqueueCalls } = setupWith([
      (outgoing) => {
        outgoing.setHeader("bad", 42 as unknown as string);
        return undefined;
      },
    ]);

    await expect(client.enqueue(new Task("t"))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(enqueueCalls).toHaveLength(0);
  });

  it("cannot change an outcome by throwing from their observer", async () => {
    const { client, enqueueCalls } = setupWith([
      () => () => {
        throw new Error("observer bug");
      },
    ]);

    const info = await client.enqueue(new Task("t"));
    expect(info.id).toBe("id-1");
    expect(enqueueCalls).toHaveLength(1);
  });

  it("apply to every bulk item that passes validation, with aligned outcomes", async () => {
    const log: string[] = [];
    const spy = recorder("spy", log);
    const { client, bulkCalls, replies } = setupWith([
      spy.interceptor,
      (outgoing) => {
        outgoing.setHeader("n", outgoing.taskId);
        return undefined;
      },
    ]);
    replies.bulk = (params) =>
      params.requests.map((_, i) =>
        i === 1 ? { ok: false, reason: "task-id-conflict" } : { ok: true },
      );

    const results = await client.enqueueBulk([
      new Task("a"),
      { task: new Task("b"), options: { timeout: 1 } },
      { task: new Task("c"), options: { taskId: "taken" } },
      new Task("d"),
    ]);

    expect(results.map((r) => r.ok)).toStrictEqual([true, false, false, true]);
    expect(spy.seen.map((s) => s.task.type)).toStrictEqual(["a", "c", "d"]);
    expect(bulkCalls[0]?.requests.map((r) => r.message.headers)).toStrictEqual([
      { n: "id-1" },
      { n: "taken" },
      { n: "id-2" },
    ]);
    expect(spy.outcomes).toStrictEqual([results[0], results[2], results[3]]);
  });

  it("must be functions", () => {
    const { broker } = fakeBroker();
    expect(
      () => new Client(broker, { interceptors: ["nope" as unknown as EnqueueInterceptor] }),
    ).toThrow(InvalidArgumentError);
  });
});
