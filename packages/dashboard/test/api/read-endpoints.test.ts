import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  DashboardConfigResponse,
  GetQueueResponse,
  ListAggregatingTasksResponse,
  ListGroupsResponse,
  ListQueueStatsResponse,
  ListQueuesResponse,
  ListSchedulerEnqueueEventsResponse,
  ListSchedulerEntriesResponse,
  ListServersResponse,
  ListTasksResponse,
  SearchTasksResponse,
  TaskJson,
} from "../../src/index.js";
import { type DashboardEnv, startDashboardEnv } from "../support/dashboard-env.js";
import { errorCode, request } from "../support/http.js";
import { XSS_PAYLOAD } from "../support/seed.js";

// Every read endpoint against one seeded Redis; nothing here mutates.

let env: DashboardEnv;
beforeAll(async () => {
  env = await startDashboardEnv();
});
afterAll(async () => {
  await env?.stop();
});

const get = <T>(path: string) => request<T>(`${env.url}${path}`);
const ids = (tasks: readonly TaskJson[]) => tasks.map((task) => task.id);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe("queues", () => {
  it("lists every queue with asynqmon's snapshot fields", async () => {
    const res = await get<ListQueuesResponse>("/api/queues");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.queues.map((q) => q.queue)).toEqual(["critical", "default", "low"]);
    const def = res.body.queues.find((q) => q.queue === "default")!;
    expect(def).toMatchObject({
      paused: false,
      active: 2,
      pending: 4,
      scheduled: 1,
      retry: 2,
      archived: 1,
      completed: 1,
      aggregating: 0,
      size: 11,
      // 2 retries and 1 archive failed, 1 completed.
      processed: 4,
      failed: 3,
      succeeded: 1,
    });
    expect(typeof def.display_latency).toBe("string");
    expect(def.latency_msec).toBeGreaterThanOrEqual(0);
    const critical = res.body.queues.find((q) => q.queue === "critical")!;
    expect(critical).toMatchObject({ aggregating: 3, groups: 2 });
  });

  it("answers one queue with 10 days of history, oldest first", async () => {
    const res = await get<GetQueueResponse>("/api/queues/default");
    expect(res.status).toBe(200);
    expect(res.body.current.queue).toBe("default");
    expect(res.body.history).toHaveLength(10);
    const dates = res.body.history.map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
    expect(res.body.history.at(-1)).toMatchObject({ processed: 4, failed: 3, succeeded: 1 });
  });

  it("answers 90 days per queue from /api/queue_stats", async () => {
    const res = await get<ListQueueStatsResponse>("/api/queue_stats");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.stats).sort()).toEqual(["critical", "default", "low"]);
    expect(res.body.stats.default).toHaveLength(90);
    const dates = res.body.stats.default!.map((d) => d.date);
    expect(dates).toEqual([...dates].sort());
  });

  it("answers 404 QUEUE_NOT_FOUND for an unknown queue", async () => {
    const res = await get("/api/queues/nope");
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe("QUEUE_NOT_FOUND");
    const list = await get("/api/queues/nope/pending_tasks");
    expect(list.status).toBe(404);
    expect(errorCode(list)).toBe("QUEUE_NOT_FOUND");
  });

  it("lists groups with the queue's stats", async () => {
    const res = await get<ListGroupsResponse>("/api/queues/critical/groups");
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      { group: "digest", size: 2 },
      { group: "invoices", size: 1 },
    ]);
    expect(res.body.stats.queue).toBe("critical");
  });
});

describe("task lists", () => {
  it.each([
    ["default", "pending"],
    ["default", "scheduled"],
    ["default", "retry"],
    ["default", "archived"],
    ["default", "completed"],
    ["critical", "pending"],
    ["critical", "scheduled"],
    ["critical", "retry"],
    ["critical", "archived"],
    ["low", "pending"],
  ] as const)("lists %s %s tasks with the queue's stats", async (queue, state) => {
    const res = await get<ListTasksResponse>(`/api/queues/${queue}/${state}_tasks`);
    expect(res.status).toBe(200);
    const seeded = env.seeded[queue] as unknown as Record<string, readonly string[]>;
    expect(ids(res.body.tasks).sort()).toEqual([...seeded[state]!].sort());
    expect(res.body.tasks.every((task) => task.state === state)).toBe(true);
    expect(res.body.stats.queue).toBe(queue);
  });

  it("gives active tasks the worker's start time, and '-' with is_orphaned for the orphan", async () => {
    const res = await get<ListTasksResponse>("/api/queues/default/active_tasks");
    expect(res.status).toBe(200);
    const byId = new Map(res.body.tasks.map((task) => [task.id, task]));
    const running = byId.get(env.seeded.default.active)!;
    expect(running.start_time).toMatch(RFC3339);
    expect(running.is_orphaned).toBe(false);
    const orphan = byId.get(env.seeded.default.orphaned)!;
    expect(orphan.start_time).toBe("-");
    expect(orphan.is_orphaned).toBe(true);
  });

  it("shows retry and archived errors, next process times, results and TTLs", async () => {
    const retry = await get<ListTasksResponse>("/api/queues/default/retry_tasks");
    expect(retry.body.tasks[0]).toMatchObject({ error_message: env.seeded.retryError, retried: 1 });
    expect(retry.body.tasks[0]!.next_process_at).toMatch(RFC3339);
    expect(retry.body.tasks[0]!.last_failed_at).toMatch(RFC3339);
    const archived = await get<ListTasksResponse>("/api/queues/default/archived_tasks");
    expect(archived.body.tasks[0]!.error_message).toBe(env.seeded.archivedError);
    const completed = await get<ListTasksResponse>("/api/queues/default/completed_tasks");
    const task = completed.body.tasks[0]!;
    expect(task.result).toBe(env.seeded.completedResult);
    expect(task.completed_at).toMatch(RFC3339);
    expect(task.ttl_seconds).toBeGreaterThan(3600);
    expect(task.ttl_seconds).toBeLessThanOrEqual(7200);
  });

  it("lists a group's aggregating tasks with the queue's groups", async () => {
    const res = await get<ListAggregatingTasksResponse>(
      "/api/queues/critical/groups/digest/aggregating_tasks",
    );
    expect(res.status).toBe(200);
    expect(ids(res.body.tasks)).toEqual(env.seeded.critical.aggregating.digest);
    expect(res.body.tasks.every((task) => task.group === "digest")).toBe(true);
    expect(res.body.groups.map((g) => g.group)).toEqual(["digest", "invoices"]);
  });

  it("does not route aggregating tasks without a group", async () => {
    const res = await get("/api/queues/critical/aggregating_tasks");
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe("NOT_FOUND");
  });

  it("returns the HTML payload as JSON text, untouched", async () => {
    const res = await get<TaskJson>(`/api/queues/default/tasks/${env.seeded.default.xss}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.body.payload).toBe(XSS_PAYLOAD);
    const list = await get<ListTasksResponse>("/api/queues/default/pending_tasks");
    expect(list.body.tasks.find((t) => t.id === env.seeded.default.xss)!.payload).toBe(XSS_PAYLOAD);
  });
});

describe("pagination", () => {
  it("pages with ?page=&size=", async () => {
    const all = await get<ListTasksResponse>("/api/queues/default/pending_tasks");
    expect(all.body.tasks).toHaveLength(4);
    const page1 = await get<ListTasksResponse>("/api/queues/default/pending_tasks?page=1&size=3");
    const page2 = await get<ListTasksResponse>("/api/queues/default/pending_tasks?page=2&size=3");
    expect(ids(page1.body.tasks)).toEqual(ids(all.body.tasks).slice(0, 3));
    expect(ids(page2.body.tasks)).toEqual(ids(all.body.tasks).slice(3));
    const page9 = await get<ListTasksResponse>("/api/queues/default/pending_tasks?page=9&size=3");
    expect(page9.body.tasks).toEqual([]);
  });

  it("accepts a size above 1000 by clamping it", async () => {
    const res = await get<ListTasksResponse>("/api/queues/default/pending_tasks?size=5000");
    expect(res.status).toBe(200);
    expect(res.body.tasks).toHaveLength(4);
  });

  it.each(["page=0", "page=-1", "size=abc", "size=0", "page=1.5"])(
    "answers 400 INVALID_ARGUMENT for %s",
    async (query) => {
      const res = await get(`/api/queues/default/pending_tasks?${query}`);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe("INVALID_ARGUMENT");
    },
  );
});

describe("task detail", () => {
  it("answers a task in any state, with the worker start time for an active one", async () => {
    const active = await get<TaskJson>(`/api/queues/default/tasks/${env.seeded.default.active}`);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({ state: "active", queue: "default", is_orphaned: false });
    expect(active.body.start_time).toMatch(RFC3339);
    const archived = await get<TaskJson>(`/api/queues/critical/tasks/c-archived-1`);
    expect(archived.body).toMatchObject({
      state: "archived",
      error_message: env.seeded.archivedError,
    });
  });

  it("answers 404 TASK_NOT_FOUND for an unknown task", async () => {
    const res = await get("/api/queues/default/tasks/missing-id");
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe("TASK_NOT_FOUND");
  });
});

describe("servers and schedulers", () => {
  it("lists live servers with their active workers", async () => {
    const res = await get<ListServersResponse>("/api/servers");
    expect(res.status).toBe(200);
    expect(res.body.servers).toHaveLength(1);
    const server = res.body.servers[0]!;
    expect(server).toMatchObject({
      id: env.seeded.server.id,
      host: env.seeded.server.host,
      pid: env.seeded.server.pid,
      concurrency: 10,
      queue_priorities: { critical: 6, default: 3, low: 1 },
      strict_priority_enabled: false,
      status: "active",
    });
    expect(server.active_workers).toHaveLength(1);
    expect(server.active_workers[0]).toMatchObject({
      task_id: env.seeded.server.workerTaskId,
      queue: "default",
      task_type: "email:send",
    });
  });

  it("lists scheduler entries and their enqueue events, newest first", async () => {
    const entries = await get<ListSchedulerEntriesResponse>("/api/scheduler_entries");
    expect(entries.status).toBe(200);
    expect(entries.body.entries).toEqual([
      expect.objectContaining({
        id: env.seeded.schedulerEntry.id,
        spec: "@every 30s",
        task_type: "report:daily",
        task_payload: '{"kind":"daily"}',
        options: ['Queue("default")', "MaxRetry(3)"],
      }),
    ]);
    expect(entries.body.entries[0]!.prev_enqueue_at).toMatch(RFC3339);
    const events = await get<ListSchedulerEnqueueEventsResponse>(
      `/api/scheduler_entries/${env.seeded.schedulerEntry.id}/enqueue_events`,
    );
    expect(events.status).toBe(200);
    expect(events.body.events.map((e) => e.task_id)).toEqual(
      env.seeded.schedulerEntry.eventTaskIds,
    );
    const page2 = await get<ListSchedulerEnqueueEventsResponse>(
      `/api/scheduler_entries/${env.seeded.schedulerEntry.id}/enqueue_events?page=2&size=1`,
    );
    expect(page2.body.events.map((e) => e.task_id)).toEqual(
      env.seeded.schedulerEntry.eventTaskIds.slice(1),
    );
  });
});

describe("search (extension)", () => {
  it("filters a state's tasks by type and payload text", async () => {
    const byType = await get<SearchTasksResponse>(
      "/api/queues/default/search?state=pending&type=html:render",
    );
    expect(byType.status).toBe(200);
    expect(ids(byType.body.tasks)).toEqual([env.seeded.default.xss]);
    expect(byType.body.truncated).toBe(false);
    expect(byType.body.scanned).toBe(4);
    const byPayload = await get<SearchTasksResponse>(
      `/api/queues/default/search?state=pending&payload=${encodeURIComponent("d-pending-2@")}`,
    );
    expect(ids(byPayload.body.tasks)).toEqual(["d-pending-2"]);
    const group = await get<SearchTasksResponse>(
      "/api/queues/critical/search?state=aggregating&group=invoices",
    );
    expect(ids(group.body.tasks)).toEqual(env.seeded.critical.aggregating.invoices);
  });

  it("answers 400 without a valid state", async () => {
    for (const query of ["", "?state=bogus", "?state=aggregating"]) {
      const res = await get(`/api/queues/default/search${query}`);
      expect(res.status).toBe(400);
      expect(errorCode(res)).toBe("INVALID_ARGUMENT");
    }
  });
});

describe("redis_info and config", () => {
  it("answers INFO parsed and raw, with a host:port address", async () => {
    const res = await get<{
      address: string;
      info: Record<string, string>;
      raw_info: string;
      cluster: boolean;
      queue_locations: unknown;
    }>("/api/redis_info");
    expect(res.status).toBe(200);
    expect(res.body.address).toBe(`127.0.0.1:${env.redisPort}`);
    expect(res.body.info.redis_version).toMatch(/^\d+\.\d+/);
    expect(res.body.raw_info).toContain("redis_version:");
    expect(res.body.cluster).toBe(false);
    expect(res.body.queue_locations).toBeNull();
  });

  it("answers the UI's config", async () => {
    const res = await get<DashboardConfigResponse>("/api/config");
    expect(res.body).toEqual({
      read_only: false,
      base_path: "",
      poll_interval_seconds: 8,
      redis_info: true,
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });
});

describe("routing errors", () => {
  it("answers 404 NOT_FOUND for unknown API paths and verbs", async () => {
    for (const path of [
      "/api",
      "/api/nope",
      "/api/queues/default/bogus_tasks",
      "/api/queues/default:explode",
      "/api/queues/default/tasks",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(errorCode(res), path).toBe("NOT_FOUND");
    }
  });

  it("answers 404 with a clear code for the Prometheus metrics endpoint", async () => {
    const res = await get("/api/metrics?duration=3600");
    expect(res.status).toBe(404);
    expect(errorCode(res)).toBe("METRICS_NOT_SUPPORTED");
  });

  it("answers 405 METHOD_NOT_ALLOWED with Allow for a wrong method", async () => {
    const res = await request(`${env.url}/api/queues`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(errorCode(res)).toBe("METHOD_NOT_ALLOWED");
    expect(res.headers.get("allow")).toBe("GET, HEAD");
    const verb = await request(`${env.url}/api/queues/default:pause`, { method: "GET" });
    expect(verb.status).toBe(405);
    expect(verb.headers.get("allow")).toBe("POST");
  });

  it("answers HEAD like GET without a body", async () => {
    const res = await request(`${env.url}/api/queues`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
  });
});
