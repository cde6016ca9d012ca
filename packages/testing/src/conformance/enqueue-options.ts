import {
  AsynqError,
  Client,
  DEFAULTS,
  HOUR,
  InvalidArgumentError,
  MINUTE,
  SECOND,
  Task,
  TaskIdConflictError,
  type TaskOptions,
} from "@asynq-ts/core";
import { caught, countsOf, recordOf, stateOf } from "./fixtures.js";
import { type ConformanceOptions, type SuiteContext, withContext } from "./harness.js";

/** An enqueue the Client must refuse before touching the broker. */
interface InvalidEnqueue {
  readonly what: string;
  readonly enqueue: (client: Client) => Promise<unknown>;
}

const task = (): Task => new Task("email:send", '{"to":"a@example.com"}');

const INVALID_ENQUEUES: readonly InvalidEnqueue[] = [
  { what: "a blank task type", enqueue: (c) => c.enqueue(new Task("  ")) },
  { what: "a blank queue name", enqueue: (c) => c.enqueue(task(), { queue: " " }) },
  { what: "a blank task ID", enqueue: (c) => c.enqueue(task(), { taskId: "" }) },
  { what: "a blank group name", enqueue: (c) => c.enqueue(task(), { group: "\t" }) },
  { what: "a sub-second timeout", enqueue: (c) => c.enqueue(task(), { timeout: 999 }) },
  { what: "a sub-second unique TTL", enqueue: (c) => c.enqueue(task(), { unique: 500 }) },
  {
    what: "an invalid processAt date",
    enqueue: (c) => c.enqueue(task(), { processAt: new Date(Number.NaN) }),
  },
  { what: "a NaN deadline", enqueue: (c) => c.enqueue(task(), { deadline: Number.NaN }) },
  { what: "a negative processIn", enqueue: (c) => c.enqueue(task(), { processIn: -SECOND }) },
  { what: "a negative timeout", enqueue: (c) => c.enqueue(task(), { timeout: -SECOND }) },
  { what: "a negative retention", enqueue: (c) => c.enqueue(task(), { retention: -1 }) },
  { what: "a fractional maxRetry", enqueue: (c) => c.enqueue(task(), { maxRetry: 1.5 }) },
  {
    what: "an unknown option",
    enqueue: (c) => c.enqueue(task(), { priority: 1 } as unknown as TaskOptions),
  },
  {
    what: "a non-string header value",
    enqueue: (c) =>
      c.enqueue(task(), { headers: { attempt: 1 } as unknown as Record<string, string> }),
  },
  {
    what: "an invalid option carried by the task itself",
    enqueue: (c) => c.enqueue(new Task("email:send", "x", { unique: 10 })),
  },
];

/** A Client over the suite's broker and fake clock. */
function clientOf(ctx: SuiteContext): Client {
  return new Client(ctx.broker, { clock: ctx.clock });
}

/**
 * Conformance: enqueueing through core's Client over the broker — validation before any write,
 * Go asynq's defaults, option precedence and placement, bulk enqueue with invalid items
 * (reference §8 items 6, 8–13).
 */
export function describeEnqueueOptionsConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("enqueue options (Client)", () => {
    withContext(options, (ctx) => {
      for (const { what, enqueue } of INVALID_ENQUEUES) {
        it(`refuses ${what} with INVALID_ARGUMENT and leaves the broker empty`, async () => {
          const { broker, expect } = ctx();
          const error = await caught(() => enqueue(clientOf(ctx())));
          expect(error).toBeInstanceOf(InvalidArgumentError);
          expect((error as InvalidArgumentError).code).toBe("INVALID_ARGUMENT");
          expect(await broker.listQueues()).toEqual([]);
          const stats = await broker.queueStats({ queue: DEFAULTS.queue, now: ctx().now() });
          expect(stats).toEqual({ ok: false, reason: "queue-not-found" });
        });
      }

      it("stores Go asynq's defaults: queue default, 30-minute timeout, no deadline, 25 retries", async () => {
        const { expect } = ctx();
        const info = await clientOf(ctx()).enqueue(task());
        expect(info.state).toBe("pending");
        const record = await recordOf(ctx(), info.id);
        expect(record.state).toBe("pending");
        const { timeout, deadline, maxRetry, retried, retention, group, queue, headers } =
          record.message;
        expect({ timeout, deadline, maxRetry, retried, retention, group, queue, headers }).toEqual({
          timeout: 1_800_000,
          deadline: 0,
          maxRetry: 25,
          retried: 0,
          retention: 0,
          group: "",
          queue: "default",
          headers: {},
        });
      });

      it("turns a negative maxRetry into 0", async () => {
        const { expect } = ctx();
        const info = await clientOf(ctx()).enqueue(task(), { maxRetry: -3 });
        expect((await recordOf(ctx(), info.id)).message.maxRetry).toBe(0);
      });

      it("stores no timeout when only a deadline is given, and no deadline when only a timeout is", async () => {
        const { expect } = ctx();
        const client = clientOf(ctx());
        const deadline = ctx().now() + HOUR;
        const byDeadline = await client.enqueue(task(), { deadline: new Date(deadline) });
        const byTimeout = await client.enqueue(task(), { timeout: 10 * SECOND });
        const d = (await recordOf(ctx(), byDeadline.id)).message;
        expect([d.timeout, d.deadline]).toEqual([0, deadline]);
        const t = (await recordOf(ctx(), byTimeout.id)).message;
        expect([t.timeout, t.deadline]).toEqual([10 * SECOND, 0]);
      });

      it("lets enqueue-time options override the task's own options", async () => {
        const { expect } = ctx();
        const own = new Task("email:send", "x", {
          queue: "low",
          maxRetry: 3,
          timeout: 10 * SECOND,
          headers: { source: "task", tenant: "t1" },
        });
        const info = await clientOf(ctx()).enqueue(own, {
          maxRetry: 7,
          headers: { source: "enqueue" },
        });
        const { queue, maxRetry, timeout, headers } = (await recordOf(ctx(), info.id, "low"))
          .message;
        expect({ queue, maxRetry, timeout, headers }).toEqual({
          queue: "low",
          maxRetry: 7,
          timeout: 10 * SECOND,
          headers: { source: "enqueue", tenant: "t1" },
        });
      });

      it("lets whichever of processAt and processIn comes last decide when the task is due", async () => {
        const { expect } = ctx();
        const client = clientOf(ctx());
        const now = ctx().now();
        const inWins = await client.enqueue(task(), {
          processAt: now + 2 * MINUTE,
          processIn: MINUTE,
        });
        const atWins = await client.enqueue(task(), {
          processIn: MINUTE,
          processAt: now + 2 * MINUTE,
        });
        const later = new Task("email:send", "y", { processAt: now + 5 * MINUTE });
        const acrossLayers = await client.enqueue(later, { processIn: 3 * MINUTE });
        const due = async (id: string) => (await recordOf(ctx(), id)).nextProcessAt;
        expect(await due(inWins.id)).toBe(now + MINUTE);
        expect(await due(atWins.id)).toBe(now + 2 * MINUTE);
        expect(await due(acrossLayers.id)).toBe(now + 3 * MINUTE);
        expect(await stateOf(ctx(), inWins.id)).toBe("scheduled");
      });

      it("treats processAt at or before now as an immediate enqueue", async () => {
        const { expect } = ctx();
        const client = clientOf(ctx());
        const now = ctx().now();
        const infos = [
          await client.enqueue(task(), { processAt: now }),
          await client.enqueue(task(), { processAt: new Date(now - MINUTE) }),
          await client.enqueue(task(), { processIn: 0 }),
        ];
        for (const info of infos) {
          const record = await recordOf(ctx(), info.id);
          expect([info.state, record.state, record.nextProcessAt]).toEqual([
            "pending",
            "pending",
            now,
          ]);
        }
        const counts = await countsOf(ctx());
        expect([counts.pending, counts.scheduled]).toEqual([3, 0]);
      });

      it("places a grouped task in its group, or schedules it when it is due later", async () => {
        const { broker, expect } = ctx();
        const client = clientOf(ctx());
        const now = ctx().now();
        const grouped = await client.enqueue(task(), { group: "digest" });
        const later = await client.enqueue(task(), { group: "digest", processIn: MINUTE });
        expect(await stateOf(ctx(), grouped.id)).toBe("aggregating");
        expect(await broker.listGroups({ queue: DEFAULTS.queue })).toEqual(["digest"]);
        const scheduled = await recordOf(ctx(), later.id);
        expect([scheduled.state, scheduled.nextProcessAt]).toEqual(["scheduled", now + MINUTE]);
        expect(scheduled.message.group).toBe("digest");
      });

      it("stores the valid items of Client.enqueueBulk and reports the invalid one", async () => {
        const { expect } = ctx();
        const client = clientOf(ctx());
        const results = await client.enqueueBulk([
          task(),
          { task: task(), options: { timeout: 10 } },
          { task: task(), options: { processIn: MINUTE } },
        ]);
        expect(results.map((r) => r.ok)).toEqual([true, false, true]);
        const refused = results[1];
        expect(refused?.ok === false && refused.error.code).toBe("INVALID_ARGUMENT");
        for (const r of [results[0], results[2]]) {
          if (!r?.ok) throw new Error("expected a stored item");
          expect(await stateOf(ctx(), r.info.id)).toBe(r.info.state);
        }
        const counts = await countsOf(ctx());
        expect([counts.pending, counts.scheduled]).toEqual([1, 1]);
      });

      it("reports a conflicting ID in Client.enqueueBulk as TaskIdConflictError, storing the rest", async () => {
        const { expect } = ctx();
        const client = clientOf(ctx());
        await client.enqueue(new Task("original"), { taskId: "fixed" });
        const results = await client.enqueueBulk([
          { task: new Task("intruder"), options: { taskId: "fixed" } },
          new Task("fresh"),
        ]);
        const [conflict, fresh] = results;
        expect(conflict?.ok).toBe(false);
        const error = conflict?.ok === false ? conflict.error : undefined;
        expect(error).toBeInstanceOf(TaskIdConflictError);
        expect(AsynqError.isInstance(error) && error.code).toBe("TASK_ID_CONFLICT");
        expect(fresh?.ok).toBe(true);
        expect((await recordOf(ctx(), "fixed")).message.type).toBe("original");
        expect((await countsOf(ctx())).pending).toBe(2);
      });
    });
  });
}
