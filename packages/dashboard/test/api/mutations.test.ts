import type { Subscription, TaskState } from "@asynq-ts/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DashboardEnv, startDashboardEnv } from "../support/dashboard-env.js";
import { errorCode, request, send } from "../support/http.js";
import { seedEveryState } from "../support/seed.js";

// Every mutation, its answer, and its effect as the Inspector sees it. The data is reseeded
// before each test.

let env: DashboardEnv;
let raw: Redis;
beforeAll(async () => {
  env = await startDashboardEnv();
  raw = new Redis(env.redis.url);
});
beforeEach(async () => {
  await raw.flushall();
  await seedEveryState(env.broker);
});
afterAll(async () => {
  raw?.disconnect();
  await env?.stop();
});

const call = (path: string, init: RequestInit) => request(`${env.url}${path}`, init);
const stateOf = async (queue: string, id: string): Promise<TaskState | "gone"> => {
  try {
    return (await env.inspector.taskInfo(queue, id)).state;
  } catch {
    return "gone";
  }
};

/** Collects the task IDs a cancellation subscriber receives while `body` runs. */
async function cancellationsDuring(body: () => Promise<void>, expected: number): Promise<string[]> {
  const seen: string[] = [];
  let subscription: Subscription | undefined;
  const received = new Promise<void>((resolve) => {
    void env.broker
      .subscribeCancellations((id) => {
        seen.push(id);
        if (seen.length >= expected) resolve();
      })
      .then((s) => {
        subscription = s;
      });
  });
  // The subscription must be live before the dashboard publishes.
  while (subscription === undefined) await new Promise((r) => setTimeout(r, 5));
  await body();
  await received;
  await subscription.close();
  return seen;
}

describe("queues", () => {
  it("pauses and resumes a queue; a second pause is 409", async () => {
    const pause = await call("/api/queues/default:pause", send("POST"));
    expect(pause.status).toBe(204);
    expect((await env.inspector.queueInfo("default")).paused).toBe(true);
    const again = await call("/api/queues/default:pause", send("POST"));
    expect(again.status).toBe(409);
    expect(errorCode(again)).toBe("QUEUE_ALREADY_PAUSED");
    const resume = await call("/api/queues/default:resume", send("POST"));
    expect(resume.status).toBe(204);
    expect((await env.inspector.queueInfo("default")).paused).toBe(false);
    const notPaused = await call("/api/queues/default:resume", send("POST"));
    expect(notPaused.status).toBe(409);
    expect(errorCode(notPaused)).toBe("QUEUE_NOT_PAUSED");
  });

  it("refuses to delete a queue with tasks (409), deletes it with ?force=true", async () => {
    const refused = await call("/api/queues/low", send("DELETE"));
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe("QUEUE_NOT_EMPTY");
    expect(await env.inspector.queues()).toContain("low");
    const forced = await call("/api/queues/low?force=true", send("DELETE"));
    expect(forced.status).toBe(204);
    expect(await env.inspector.queues()).not.toContain("low");
  });

  it("refuses to force-delete a queue with active tasks", async () => {
    const res = await call("/api/queues/default?force=true", send("DELETE"));
    expect(res.status).toBe(409);
    expect(errorCode(res)).toBe("QUEUE_NOT_EMPTY");
    expect(await env.inspector.queues()).toContain("default");
  });

  it("deletes an empty queue without force; 404 for an unknown one", async () => {
    await env.inspector.deleteAll("low", "pending");
    expect((await call("/api/queues/low", send("DELETE"))).status).toBe(204);
    expect(await env.inspector.queues()).not.toContain("low");
    const missing = await call("/api/queues/low", send("DELETE"));
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe("QUEUE_NOT_FOUND");
  });

  it("answers 400 for a bad force value", async () => {
    const res = await call("/api/queues/low?force=yes", send("DELETE"));
    expect(res.status).toBe(400);
    expect(await env.inspector.queues()).toContain("low");
  });
});

describe("single tasks", () => {
  it.each([
    ["default", "pending_tasks", "d-pending-1"],
    ["default", "scheduled_tasks", "d-scheduled-1"],
    ["default", "retry_tasks", "d-retry-1"],
    ["default", "archived_tasks", "d-archived-1"],
    ["default", "completed_tasks", "d-completed-1"],
    ["critical", "groups/digest/aggregating_tasks", "c-agg-1"],
  ])("deletes one task: DELETE /api/queues/%s/%s/{id}", async (queue, collection, id) => {
    const res = await call(`/api/queues/${queue}/${collection}/${id}`, send("DELETE"));
    expect(res.status).toBe(204);
    expect(await stateOf(queue, id)).toBe("gone");
  });

  it.each([
    ["default", "scheduled_tasks", "d-scheduled-1"],
    ["default", "retry_tasks", "d-retry-1"],
    ["default", "archived_tasks", "d-archived-1"],
    ["critical", "groups/digest/aggregating_tasks", "c-agg-2"],
  ])("runs one task: POST /api/queues/%s/%s/{id}:run", async (queue, collection, id) => {
    const res = await call(`/api/queues/${queue}/${collection}/${id}:run`, send("POST"));
    expect(res.status).toBe(204);
    expect(await stateOf(queue, id)).toBe("pending");
  });

  it.each([
    ["default", "pending_tasks", "d-pending-2"],
    ["default", "scheduled_tasks", "d-scheduled-1"],
    ["default", "retry_tasks", "d-retry-2"],
    ["critical", "groups/invoices/aggregating_tasks", "c-agg-3"],
  ])("archives one task: POST /api/queues/%s/%s/{id}:archive", async (queue, collection, id) => {
    const res = await call(`/api/queues/${queue}/${collection}/${id}:archive`, send("POST"));
    expect(res.status).toBe(204);
    expect(await stateOf(queue, id)).toBe("archived");
  });

  it("answers 404 TASK_NOT_FOUND for an unknown task and 409 for a state that forbids it", async () => {
    const missing = await call("/api/queues/default/retry_tasks/nope:run", send("POST"));
    expect(missing.status).toBe(404);
    expect(errorCode(missing)).toBe("TASK_NOT_FOUND");
    // The task is pending: running it again is refused by the Inspector.
    const pending = await call("/api/queues/default/retry_tasks/d-pending-1:run", send("POST"));
    expect(pending.status).toBe(409);
    expect(errorCode(pending)).toBe("FAILED_PRECONDITION");
    expect(await stateOf("default", "d-pending-1")).toBe("pending");
  });

  it("routes only asynqmon's verbs per state", async () => {
    for (const path of [
      "/api/queues/default/pending_tasks/d-pending-1:run",
      "/api/queues/default/archived_tasks/d-archived-1:archive",
      "/api/queues/default/completed_tasks/d-completed-1:run",
      "/api/queues/default/active_tasks/d-active:archive",
    ]) {
      const res = await call(path, send("POST"));
      expect(res.status, path).toBe(404);
    }
    const deleteActive = await call("/api/queues/default/active_tasks/d-active", send("DELETE"));
    expect(deleteActive.status).toBe(404);
    expect(await stateOf("default", "d-active")).toBe("active");
  });

  it("cancels an active task by publishing its ID", async () => {
    const seen = await cancellationsDuring(async () => {
      const res = await call("/api/queues/default/active_tasks/d-active:cancel", send("POST"));
      expect(res.status).toBe(204);
    }, 1);
    expect(seen).toEqual(["d-active"]);
  });

  it("decodes URL-encoded queue names and task IDs", async () => {
    await env.inspector.deleteAll("low", "pending");
    const { Client, Task } = await import("@asynq-ts/core");
    await new Client(env.broker).enqueue(new Task("t", "x"), {
      queue: "team:a/b",
      taskId: "id:with/odd chars",
      processIn: 60_000,
    });
    const queue = encodeURIComponent("team:a/b");
    const id = encodeURIComponent("id:with/odd chars");
    const detail = await call(`/api/queues/${queue}/tasks/${id}`, { method: "GET" });
    expect(detail.status).toBe(200);
    const run = await call(`/api/queues/${queue}/scheduled_tasks/${id}:run`, send("POST"));
    expect(run.status).toBe(204);
    expect(await stateOf("team:a/b", "id:with/odd chars")).toBe("pending");
    const pause = await call(`/api/queues/${queue}:pause`, send("POST"));
    expect(pause.status).toBe(204);
    expect((await env.inspector.queueInfo("team:a/b")).paused).toBe(true);
  });
});

describe("all tasks of a state", () => {
  it.each([
    ["pending_tasks", "delete_all", "DELETE", { deleted: 4 }, "pending", 0],
    ["scheduled_tasks", "delete_all", "DELETE", { deleted: 1 }, "scheduled", 0],
    ["retry_tasks", "delete_all", "DELETE", { deleted: 2 }, "retry", 0],
    ["archived_tasks", "delete_all", "DELETE", { deleted: 1 }, "archived", 0],
    ["completed_tasks", "delete_all", "DELETE", { deleted: 1 }, "completed", 0],
    ["scheduled_tasks", "run_all", "POST", { scheduled: 1 }, "pending", 5],
    ["retry_tasks", "run_all", "POST", { scheduled: 2 }, "pending", 6],
    ["archived_tasks", "run_all", "POST", { scheduled: 1 }, "pending", 5],
    ["pending_tasks", "archive_all", "POST", { archived: 4 }, "archived", 5],
    ["scheduled_tasks", "archive_all", "POST", { archived: 1 }, "archived", 2],
    ["retry_tasks", "archive_all", "POST", { archived: 2 }, "archived", 3],
  ] as const)(
    "%s:%s answers the count and moves the tasks",
    async (collection, verb, method, answer, checkState, expected) => {
      const res = await call(`/api/queues/default/${collection}:${verb}`, send(method));
      expect(res.status).toBe(200);
      expect(res.body).toEqual(answer);
      const info = await env.inspector.queueInfo("default");
      expect(info[checkState]).toBe(expected);
    },
  );

  it.each([
    ["digest", "run_all", "POST", { scheduled: 2 }, "pending"],
    ["invoices", "archive_all", "POST", { archived: 1 }, "archived"],
    ["digest", "delete_all", "DELETE", { deleted: 2 }, "gone"],
  ] as const)(
    "group %s :%s touches that group only",
    async (group, verb, method, answer, state) => {
      const r = await call(
        `/api/queues/critical/groups/${group}/aggregating_tasks:${verb}`,
        send(method),
      );
      expect(r.status).toBe(200);
      expect(r.body).toEqual(answer);
      const { aggregating } = env.seeded.critical;
      for (const id of aggregating[group]!) expect(await stateOf("critical", id)).toBe(state);
      const other = group === "digest" ? "invoices" : "digest";
      for (const id of aggregating[other]!)
        expect(await stateOf("critical", id)).toBe("aggregating");
    },
  );

  it("asks every active task of the queue to stop with :cancel_all", async () => {
    const seen = await cancellationsDuring(async () => {
      const res = await call("/api/queues/default/active_tasks:cancel_all", send("POST"));
      expect(res.status).toBe(204);
    }, 2);
    expect(seen.sort()).toEqual(["d-active", "d-orphaned"]);
  });
});

describe("batches", () => {
  it("batch_delete reports deleted and failed IDs", async () => {
    const r = await call(
      "/api/queues/default/pending_tasks:batch_delete",
      send("POST", { task_ids: ["d-pending-1", "nope", "d-pending-3"] }),
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ deleted_ids: ["d-pending-1", "d-pending-3"], failed_ids: ["nope"] });
    expect(await stateOf("default", "d-pending-1")).toBe("gone");
    expect(await stateOf("default", "d-pending-2")).toBe("pending");
  });

  it("batch_run reports pending and error IDs", async () => {
    const r = await call(
      "/api/queues/default/retry_tasks:batch_run",
      send("POST", { task_ids: ["d-retry-1", "d-active"] }),
    );
    expect(r.body).toEqual({ pending_ids: ["d-retry-1"], error_ids: ["d-active"] });
    expect(await stateOf("default", "d-retry-1")).toBe("pending");
    expect(await stateOf("default", "d-active")).toBe("active");
  });

  it("batch_archive reports archived and error IDs", async () => {
    const r = await call(
      "/api/queues/critical/groups/digest/aggregating_tasks:batch_archive",
      send("POST", { task_ids: ["c-agg-1", "c-archived-1"] }),
    );
    expect(r.body).toEqual({ archived_ids: ["c-agg-1"], error_ids: ["c-archived-1"] });
    expect(await stateOf("critical", "c-agg-1")).toBe("archived");
  });

  it("batch_cancel publishes each ID", async () => {
    let body: unknown;
    const seen = await cancellationsDuring(async () => {
      const r = await call(
        "/api/queues/default/active_tasks:batch_cancel",
        send("POST", { task_ids: ["d-active", "d-orphaned"] }),
      );
      body = r.body;
    }, 2);
    expect(body).toEqual({ canceled_ids: ["d-active", "d-orphaned"], error_ids: [] });
    expect(seen.sort()).toEqual(["d-active", "d-orphaned"]);
  });

  it.each([
    ["not JSON", "{task_ids:"],
    ["an array", "[]"],
    ["no task_ids", "{}"],
    ["an unknown field", '{"task_ids":[],"extra":1}'],
    ["non-string IDs", '{"task_ids":[1,2]}'],
    ["empty IDs", '{"task_ids":[""]}'],
    [
      "over 1000 IDs",
      JSON.stringify({ task_ids: Array.from({ length: 1001 }, (_, i) => `t${i}`) }),
    ],
  ])("answers 400 for a body with %s and changes nothing", async (_label, body) => {
    const r = await call("/api/queues/default/pending_tasks:batch_delete", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(r.status).toBe(400);
    expect(errorCode(r)).toBe("INVALID_ARGUMENT");
    expect((await env.inspector.queueInfo("default")).pending).toBe(4);
  });
});
