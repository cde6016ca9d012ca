import { createRedisBroker } from "@asynq-ts/backend-redis";
import { BackendError, Client, Inspector, Task } from "@asynq-ts/core";
import { startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createDashboard,
  type DashboardOptions,
  type ListServersResponse,
  type ListTasksResponse,
  type RedisInfoResponse,
  redisInfoSourceFromIoredis,
  type TaskJson,
} from "../../src/index.js";
import { type DashboardEnv, startDashboardEnv } from "../support/dashboard-env.js";
import { errorCode } from "../support/http.js";

// Payload and result formatting and caps, the Redis page's secrecy, and error answers that
// never leak internals.

let env: DashboardEnv;
beforeAll(async () => {
  env = await startDashboardEnv();
  await new Client(env.broker).enqueue(new Task("bin:blob", new Uint8Array([0xff, 0x00, 0xfe])), {
    queue: "low",
    taskId: "l-binary",
  });
});
afterAll(async () => {
  await env?.stop();
});

async function getJson<T>(options: Partial<DashboardOptions>, path: string) {
  const d = createDashboard({ inspector: env.inspector, ...options });
  const res = await d.fetch(new Request(`http://dash.test${path}`));
  return { status: res.status, text: await res.clone().text(), body: (await res.json()) as T };
}

describe("payload and result caps", () => {
  it("cuts list payloads to maxPayloadLength and flags them; the task page keeps more", async () => {
    const list = await getJson<ListTasksResponse>(
      { maxPayloadLength: 10 },
      "/api/queues/default/pending_tasks",
    );
    const xss = list.body.tasks.find((t) => t.id === env.seeded.default.xss)!;
    expect(xss.payload).toBe("<script>wi");
    expect(xss.payload_truncated).toBe(true);
    const short = await getJson<ListTasksResponse>({}, "/api/queues/low/pending_tasks");
    expect(short.body.tasks.every((t) => t.payload_truncated === false)).toBe(true);
    const detail = await getJson<TaskJson>(
      { maxPayloadLength: 10 },
      `/api/queues/default/tasks/${env.seeded.default.xss}`,
    );
    expect(detail.body.payload_truncated).toBe(false);
    expect(detail.body.payload.length).toBeGreaterThan(10);
    const capped = await getJson<TaskJson>(
      { maxDetailLength: 5 },
      `/api/queues/default/tasks/${env.seeded.default.xss}`,
    );
    expect(capped.body.payload).toBe("<scri");
    expect(capped.body.payload_truncated).toBe(true);
  });

  it("cuts list results to maxResultLength and flags them", async () => {
    const list = await getJson<ListTasksResponse>(
      { maxResultLength: 3 },
      "/api/queues/default/completed_tasks",
    );
    expect(list.body.tasks[0]).toMatchObject({ result: '{"s', result_truncated: true });
    const full = await getJson<ListTasksResponse>({}, "/api/queues/default/completed_tasks");
    expect(full.body.tasks[0]).toMatchObject({
      result: env.seeded.completedResult,
      result_truncated: false,
    });
  });

  it("shows non-printable payloads as asynqmon does", async () => {
    const res = await getJson<TaskJson>({}, "/api/queues/low/tasks/l-binary");
    expect(res.body.payload).toBe("non-printable bytes");
  });

  it("uses the caller's formatters for tasks, workers and scheduler entries", async () => {
    const options: Partial<DashboardOptions> = {
      payloadFormatter: (bytes) => `bytes:${bytes.length}`,
      resultFormatter: (bytes) => `result:${bytes.length}`,
    };
    const list = await getJson<ListTasksResponse>(options, "/api/queues/default/completed_tasks");
    expect(list.body.tasks[0]!.payload).toMatch(/^bytes:\d+$/);
    expect(list.body.tasks[0]!.result).toBe(`result:${env.seeded.completedResult.length}`);
    const servers = await getJson<ListServersResponse>(options, "/api/servers");
    expect(servers.body.servers[0]!.active_workers[0]!.task_payload).toMatch(/^bytes:\d+$/);
    const entries = await getJson<{ entries: { task_payload: string }[] }>(
      options,
      "/api/scheduler_entries",
    );
    expect(entries.body.entries[0]!.task_payload).toBe("bytes:16");
  });

  it("refuses caps that are not positive integers", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createDashboard({ inspector: env.inspector, maxPayloadLength: bad })).toThrow(
        /maxPayloadLength/,
      );
    }
  });
});

describe("Redis page secrecy", () => {
  it("shows host:port only for a password-protected Redis read through ioredis", async () => {
    const password = "hunter2-very-secret";
    const redis = await startRedisServer({ password });
    const client = new Redis(redis.url);
    try {
      const res = await getJson<RedisInfoResponse>(
        { redisInfo: redisInfoSourceFromIoredis(client) },
        "/api/redis_info",
      );
      expect(res.status).toBe(200);
      expect(res.body.address).toBe(`127.0.0.1:${redis.port}`);
      expect(res.body.info.redis_version).toBeDefined();
      expect(res.text).not.toContain(password);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it("strips credentials a source leaks in its address or INFO text", async () => {
    const res = await getJson<RedisInfoResponse>(
      {
        redisInfo: {
          address: "redis://admin:pa55word@cache.internal:6380",
          info: async () =>
            "# Server\r\nredis_version:7.0.0\r\nmaster_link:rediss://user:pa55word@primary:6379\r\n",
          clusterNodes: async () =>
            "abc 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-16383\n",
        },
      },
      "/api/redis_info",
    );
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("pa55word");
    expect(res.body.address).toBe("cache.internal:6380");
    expect(res.body.info.master_link).toBe("rediss://primary:6379");
    expect(res.body.cluster).toBe(true);
    // Cluster nodes' own "host:port@cport" form is not a credential and stays.
    expect(res.body.raw_cluster_nodes).toContain("10.0.0.1:6379@16379");
    // This broker cannot locate keys in a cluster: the locations are simply empty.
    expect(res.body.queue_locations).toEqual([]);
  });

  it("answers 404 REDIS_INFO_NOT_CONFIGURED without a source", async () => {
    const res = await getJson<unknown>({}, "/api/redis_info");
    expect(res.status).toBe(404);
    expect(errorCode({ status: 404, headers: new Headers(), text: "", body: res.body })).toBe(
      "REDIS_INFO_NOT_CONFIGURED",
    );
    const config = await getJson<{ redis_info: boolean }>({}, "/api/config");
    expect(config.body.redis_info).toBe(false);
  });
});

describe("error answers", () => {
  function failingInspector(error: unknown): Inspector {
    const inspector = new Inspector(env.broker);
    vi.spyOn(inspector, "queues").mockRejectedValue(error);
    return inspector;
  }

  it("answers 500 INTERNAL_ERROR without the message or stack of an unknown error, logging nothing", async () => {
    const logged = [
      vi.spyOn(console, "error").mockImplementation(() => undefined),
      vi.spyOn(console, "warn").mockImplementation(() => undefined),
      vi.spyOn(console, "log").mockImplementation(() => undefined),
    ];
    try {
      const d = createDashboard({
        inspector: failingInspector(new Error("password=abc at /srv/secret/path.ts:12")),
      });
      const res = await d.fetch(new Request("http://dash.test/api/queues"));
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        error: { code: "INTERNAL_ERROR", message: "internal error" },
      });
      expect(text).not.toContain("secret");
      for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of logged) spy.mockRestore();
    }
  });

  it("answers 502 BACKEND_ERROR with a fixed message for backend failures", async () => {
    const d = createDashboard({
      inspector: failingInspector(new BackendError("connect ECONNREFUSED 10.1.2.3:6379 (user x)")),
    });
    const res = await d.fetch(new Request("http://dash.test/api/queues"));
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("BACKEND_ERROR");
    expect(body.error.message).not.toContain("10.1.2.3");
  });

  it("answers 503 BROKER_CLOSED once the caller closed the inspector", async () => {
    const broker = createRedisBroker({ url: env.redis.url });
    const inspector = new Inspector(broker);
    const d = createDashboard({ inspector });
    await inspector.close();
    const res = await d.fetch(new Request("http://dash.test/api/queues"));
    expect(res.status).toBe(503);
    await broker.close();
  });
});
