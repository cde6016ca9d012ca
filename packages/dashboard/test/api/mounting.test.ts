import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { Hono } from "hono";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDashboard, type Dashboard } from "../../src/index.js";
import { type FakeUiBuild, writeFakeUiBuild } from "../support/assets.js";
import { type DashboardEnv, startDashboardEnv } from "../support/dashboard-env.js";
import { request, send } from "../support/http.js";
import { seedEveryState } from "../support/seed.js";

// The same dashboard mounted in node:http, Express, Fastify and Hono, each answering the API
// (a read and a mutation with a JSON body), the UI with the right <base>, and leaving the
// host's other routes alone.

let env: DashboardEnv;
let ui: FakeUiBuild;
let dashboard: Dashboard;
const servers: Server[] = [];
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  env = await startDashboardEnv({ empty: true });
  ui = writeFakeUiBuild();
  dashboard = createDashboard({
    inspector: env.inspector,
    basePath: "/monitoring",
    assetsDir: ui.dir,
  });
});
beforeEach(async () => {
  const raw = new Redis(env.redis.url);
  await raw.flushall();
  raw.disconnect();
  await seedEveryState(env.broker);
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  for (const app of apps.splice(0)) await app.close();
});
afterAll(async () => {
  await env?.stop();
  ui?.remove();
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The checks every mount must pass, given the host's origin (the dashboard is at /monitoring). */
async function expectMountedDashboard(origin: string): Promise<void> {
  const queues = await request<{ queues: { queue: string }[] }>(`${origin}/monitoring/api/queues`);
  expect(queues.status).toBe(200);
  expect(queues.body.queues.map((q) => q.queue)).toEqual(["critical", "default", "low"]);

  const batch = await request<{ deleted_ids: string[] }>(
    `${origin}/monitoring/api/queues/default/pending_tasks:batch_delete`,
    send("POST", { task_ids: ["d-pending-1"] }),
  );
  expect(batch.status).toBe(200);
  expect(batch.body.deleted_ids).toEqual(["d-pending-1"]);
  await expect(env.inspector.taskInfo("default", "d-pending-1")).rejects.toThrow(/not found/);

  const pause = await request(`${origin}/monitoring/api/queues/low:pause`, send("POST"));
  expect(pause.status).toBe(204);
  expect((await env.inspector.queueInfo("low")).paused).toBe(true);

  const page = await request(`${origin}/monitoring/queues/default?status=retry`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('<base href="/monitoring/">');
  const asset = await request(`${origin}/monitoring/assets/app-abc123.js`);
  expect(asset.status).toBe(200);
  expect(asset.headers.get("cache-control")).toContain("immutable");
}

describe("node:http", () => {
  it("serves everything from createServer(d.handler) with full URLs", async () => {
    const origin = await listen(createServer(dashboard.handler));
    await expectMountedDashboard(origin);
    const outside = await request(`${origin}/elsewhere`);
    expect(outside.status).toBe(404);
  });
});

describe("Express", () => {
  it('works under app.use("/monitoring", d.handler), which strips the mount path', async () => {
    const app = express();
    app.get("/health", (_req, res) => {
      res.send("ok");
    });
    app.use("/monitoring", dashboard.handler);
    app.use((_req, res) => {
      res.status(404).send("express 404");
    });
    const origin = await listen(createServer(app));
    await expectMountedDashboard(origin);
    expect((await request(`${origin}/health`)).text).toBe("ok");
  });

  it("passes requests outside the base path to next() when mounted at the root", async () => {
    const app = express();
    app.use(dashboard.handler);
    app.get("/after", (_req, res) => {
      res.send("after");
    });
    const origin = await listen(createServer(app));
    await expectMountedDashboard(origin);
    expect((await request(`${origin}/after`)).text).toBe("after");
  });

  it("leaves Express's req.url as Express set it", async () => {
    const app = express();
    const seen: string[] = [];
    app.use("/monitoring", (req, res, next) => {
      dashboard.handler(req, res, next);
      seen.push(req.url);
    });
    const origin = await listen(createServer(app));
    await request(`${origin}/monitoring/api/config`);
    expect(seen).toEqual(["/api/config"]);
  });
});

describe("Fastify", () => {
  it("works from an encapsulated plugin that hands the raw request over (reply.hijack)", async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(async (scope) => {
      // The dashboard reads bodies itself: keep Fastify from consuming the stream.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
      const handle = (req: FastifyRequest, reply: FastifyReply) => {
        reply.hijack();
        dashboard.handler(req.raw, reply.raw);
      };
      scope.all("/monitoring", handle);
      scope.all("/monitoring/*", handle);
    });
    app.get("/health", async () => "ok");
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    await expectMountedDashboard(origin);
    expect((await request(`${origin}/health`)).text).toBe("ok");
  });
});

describe("Hono", () => {
  async function serveHono(app: Hono): Promise<string> {
    const { getRequestListener } = await import("@hono/node-server");
    return listen(createServer(getRequestListener(app.fetch)));
  }

  it('works with app.mount("/monitoring", d.fetch, { replaceRequest: false })', async () => {
    const app = new Hono();
    app.get("/health", (c) => c.text("ok"));
    app.mount("/monitoring", dashboard.fetch, { replaceRequest: false });
    const origin = await serveHono(app);
    await expectMountedDashboard(origin);
    expect((await request(`${origin}/health`)).text).toBe("ok");
  });

  it('works with app.all("/monitoring/*", (c) => d.fetch(c.req.raw))', async () => {
    const app = new Hono();
    app.all("/monitoring/*", (c) => dashboard.fetch(c.req.raw));
    const origin = await serveHono(app);
    await expectMountedDashboard(origin);
  });
});
