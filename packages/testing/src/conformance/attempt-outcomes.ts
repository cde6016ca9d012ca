import type { AfterAttempt, AttemptOutcome, TaskMessage } from "@asynq-ts/core";
import {
  decideAfterAttempt,
  HOUR,
  MINUTE,
  RevokeTaskError,
  SECOND,
  SkipRetryError,
} from "@asynq-ts/core";
import { countsOf, mustSucceed, recordOf, stateOf } from "./fixtures.js";
import { type ConformanceOptions, defaultTrim, type SuiteContext, withContext } from "./harness.js";

const RETRY_DELAY = MINUTE;

/** Core's decision for `outcome`, with a fixed retry delay and every error a failure. */
function decide(ctx: SuiteContext, message: TaskMessage, outcome: AttemptOutcome): AfterAttempt {
  return decideAfterAttempt({
    message,
    outcome,
    now: ctx.now(),
    retryDelay: () => RETRY_DELAY,
    isFailure: () => true,
  });
}

/** Applies a decision through the port edge it names, as the server's processor does. */
async function apply(ctx: SuiteContext, active: TaskMessage, decision: AfterAttempt) {
  const { broker } = ctx;
  const now = ctx.now();
  switch (decision.action) {
    case "done":
      return broker.done({
        queue: active.queue,
        taskId: active.id,
        uniqueKey: active.uniqueKey,
        now,
      });
    case "complete":
      return broker.markComplete({ message: decision.message, expiresAt: decision.expiresAt, now });
    case "retry":
      return broker.retry({
        message: decision.message,
        retryAt: decision.retryAt,
        isFailure: decision.isFailure,
        now,
      });
    case "archive":
      return broker.archive({ message: decision.message, trim: defaultTrim(now), now });
  }
}

/** Activates a task, lets a second pass, then decides and applies `outcome`. */
async function attempt(
  ctx: SuiteContext,
  fields: Partial<TaskMessage>,
  outcome: AttemptOutcome,
): Promise<{ active: TaskMessage; decision: AfterAttempt; decidedAt: number }> {
  const active = await ctx.activate({ queue: "q", ...fields });
  ctx.clock.advance(SECOND);
  const decision = decide(ctx, active, outcome);
  mustSucceed(await apply(ctx, active, decision), decision.action);
  return { active, decision, decidedAt: ctx.now() };
}

const failure = (error: unknown): AttemptOutcome => ({ kind: "error", error });

/**
 * Conformance: core's after-attempt decision applied to the broker ends in the state asynq
 * prescribes — SkipRetry and exhausted retries archive, RevokeTask deletes, other errors retry,
 * success completes or deletes (reference §8 items 28, 32–34).
 */
export function describeAttemptOutcomesConformance(options: ConformanceOptions): void {
  const { it } = options.test;
  options.test.describe("attempt outcomes", () => {
    withContext(options, (ctx) => {
      it("retries a failed task with retries left at now plus the delay, counting one retry", async () => {
        const { expect } = ctx();
        const { active, decision } = await attempt(
          ctx(),
          { maxRetry: 3 },
          failure(new Error("smtp down")),
        );
        expect(decision.action).toBe("retry");
        const record = await recordOf(ctx(), active.id, "q");
        expect([record.state, record.nextProcessAt]).toEqual(["retry", ctx().now() + RETRY_DELAY]);
        const { retried, lastError, lastFailedAt } = record.message;
        expect({ retried, lastError, lastFailedAt }).toEqual({
          retried: 1,
          lastError: "smtp down",
          lastFailedAt: ctx().now(),
        });
        const c = await countsOf(ctx(), "q");
        expect([c.retry, c.processed, c.failed]).toEqual([1, 1, 1]);
      });

      it("archives a task whose handler threw SkipRetryError, even with retries left", async () => {
        const { expect } = ctx();
        const direct = await attempt(
          ctx(),
          { maxRetry: 25 },
          failure(new SkipRetryError("bad input")),
        );
        const wrapped = await attempt(
          ctx(),
          { maxRetry: 25 },
          failure(new Error("handler failed", { cause: new SkipRetryError() })),
        );
        for (const { active, decision, decidedAt } of [direct, wrapped]) {
          expect(decision.action).toBe("archive");
          const record = await recordOf(ctx(), active.id, "q");
          expect([record.state, record.message.retried]).toEqual(["archived", 0]);
          expect(record.message.lastFailedAt).toBe(decidedAt);
        }
        expect((await recordOf(ctx(), direct.active.id, "q")).message.lastError).toBe("bad input");
        const c = await countsOf(ctx(), "q");
        expect([c.archived, c.retry, c.processed, c.failed]).toEqual([2, 0, 2, 2]);
      });

      it("archives a failed task whose retries are exhausted", async () => {
        const { expect } = ctx();
        const { active, decision } = await attempt(
          ctx(),
          { maxRetry: 2, retried: 2 },
          failure(new Error("still failing")),
        );
        expect(decision.action).toBe("archive");
        const record = await recordOf(ctx(), active.id, "q");
        expect([record.state, record.message.retried, record.message.lastError]).toEqual([
          "archived",
          2,
          "still failing",
        ]);
        const c = await countsOf(ctx(), "q");
        expect([c.archived, c.retry, c.failed]).toEqual([1, 0, 1]);
      });

      it("deletes a task whose handler threw RevokeTaskError as if it succeeded", async () => {
        const { expect } = ctx();
        const { active, decision } = await attempt(
          ctx(),
          { maxRetry: 25 },
          failure(new RevokeTaskError()),
        );
        expect(decision.action).toBe("done");
        expect(await stateOf(ctx(), active.id, "q")).toBe("missing");
        const c = await countsOf(ctx(), "q");
        expect([c.active, c.retry, c.archived, c.processed, c.failed]).toEqual([0, 0, 0, 1, 0]);
      });

      it("completes a successful task with retention and deletes one without", async () => {
        const { expect } = ctx();
        const kept = await attempt(ctx(), { retention: HOUR }, { kind: "success" });
        const dropped = await attempt(ctx(), { retention: 0 }, { kind: "success" });
        expect([kept.decision.action, dropped.decision.action]).toEqual(["complete", "done"]);
        const record = await recordOf(ctx(), kept.active.id, "q");
        expect([record.state, record.message.completedAt]).toEqual(["completed", kept.decidedAt]);
        expect(await stateOf(ctx(), dropped.active.id, "q")).toBe("missing");
        const c = await countsOf(ctx(), "q");
        expect([c.completed, c.processed, c.failed]).toEqual([1, 2, 0]);
      });
    });
  });
}
