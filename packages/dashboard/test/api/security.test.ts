import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type DashboardOptions, type ServedDashboard, serveDashboard } from "../../src/index.js";
import { type FakeUiBuild, writeFakeUiBuild } from "../support/assets.js";
import { type DashboardEnv, startDashboardEnv } from "../support/dashboard-env.js";
import {
  errorCode,
  rawRequest,
  request,
  SECURITY_HEADERS,
  securityHeadersOf,
  send,
} from "../support/http.js";

// Read-only mode, authentication, CSRF and content-type refusals, the body cap and the
// security headers, each against dashboards served over one seeded Redis.

let env: DashboardEnv;
let ui: FakeUiBuild;
const served: ServedDashboard[] = [];
beforeAll(async () => {
  env = await startDashboardEnv();
  ui = writeFakeUiBuild();
});
afterEach(async () => {
  for (const s of served.splice(0)) await s.close();
});
afterAll(async () => {
  await env?.stop();
  ui?.remove();
});

async function serve(options: Partial<DashboardOptions> = {}): Promise<string> {
  const s = await serveDashboard({ inspector: env.inspector, assetsDir: ui.dir, ...options });
  served.push(s);
  return s.url;
}

/** Every mutation kind the API has, as [path, method, body]. */
const MUTATIONS: readonly (readonly [string, string, unknown?])[] = [
  ["/api/queues/default:pause", "POST"],
  ["/api/queues/low", "DELETE"],
  ["/api/queues/default/pending_tasks/d-pending-1", "DELETE"],
  ["/api/queues/default/retry_tasks/d-retry-1:run", "POST"],
  ["/api/queues/default/pending_tasks/d-pending-1:archive", "POST"],
  ["/api/queues/default/active_tasks/d-active:cancel", "POST"],
  ["/api/queues/default/pending_tasks:delete_all", "DELETE"],
  ["/api/queues/default/retry_tasks:run_all", "POST"],
  ["/api/queues/default/pending_tasks:archive_all", "POST"],
  ["/api/queues/default/pending_tasks:batch_delete", "POST", { task_ids: ["d-pending-2"] }],
  ["/api/queues/default/active_tasks:cancel_all", "POST"],
];

async function snapshot(): Promise<unknown> {
  const queues = await env.inspector.queues();
  return Promise.all(
    queues.map((q) => env.inspector.queueInfo(q).then(({ timestamp, latency, ...rest }) => rest)),
  );
}

describe("read-only mode", () => {
  it("answers 405 READ_ONLY to every mutation and changes nothing", async () => {
    const url = await serve({ readOnly: true });
    const before = await snapshot();
    for (const [path, method, body] of MUTATIONS) {
      const res = await request(`${url}${path}`, send(method, body));
      expect(res.status, path).toBe(405);
      expect(errorCode(res), path).toBe("READ_ONLY");
      expect(res.headers.get("allow")).toBe("GET, HEAD");
    }
    expect(await snapshot()).toEqual(before);
  });

  it("still serves reads, and says so in /api/config", async () => {
    const url = await serve({ readOnly: true });
    expect((await request(`${url}/api/queues`)).status).toBe(200);
    const config = await request<{ read_only: boolean }>(`${url}/api/config`);
    expect(config.body.read_only).toBe(true);
  });
});

describe("authentication", () => {
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  it("basic: 401 with a challenge without or with wrong credentials, for the API and the UI", async () => {
    const url = await serve({
      auth: { basic: { username: "admin", password: "s3cret", realm: "ops" } },
    });
    for (const path of ["/api/queues", "/", "/queues/default", "/assets/app-abc123.js"]) {
      const none = await request(`${url}${path}`);
      expect(none.status, path).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe('Basic realm="ops"');
      expect(securityHeadersOf(none.headers)).toEqual(SECURITY_HEADERS);
      const wrong = await request(`${url}${path}`, {
        headers: { Authorization: basic("admin", "nope") },
      });
      expect(wrong.status, path).toBe(401);
    }
    const ok = await request(`${url}/api/queues`, {
      headers: { Authorization: basic("admin", "s3cret") },
    });
    expect(ok.status).toBe(200);
    const page = await request(`${url}/`, { headers: { Authorization: basic("admin", "s3cret") } });
    expect(page.status).toBe(200);
    expect(page.text).toContain("fake ui");
  });

  it("basic: an authorised mutation goes through", async () => {
    const url = await serve({ auth: { basic: { username: "admin", password: "s3cret" } } });
    const refused = await request(`${url}/api/queues/low:pause`, send("POST"));
    expect(refused.status).toBe(401);
    expect((await env.inspector.queueInfo("low")).paused).toBe(false);
    const res = await request(`${url}/api/queues/low:pause`, {
      method: "POST",
      headers: { Authorization: basic("admin", "s3cret") },
    });
    expect(res.status).toBe(204);
    expect((await env.inspector.queueInfo("low")).paused).toBe(true);
    await env.inspector.unpauseQueue("low");
  });

  it("bearer: 401 with a Bearer challenge without or with a wrong token", async () => {
    const url = await serve({ auth: { bearer: "tok-123" } });
    const none = await request(`${url}/api/queues`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(errorCode(none)).toBe("UNAUTHORIZED");
    const wrong = await request(`${url}/api/queues`, {
      headers: { Authorization: "Bearer tok-999" },
    });
    expect(wrong.status).toBe(401);
    expect((await request(`${url}/`)).status).toBe(401);
    const ok = await request(`${url}/api/queues`, { headers: { Authorization: "Bearer tok-123" } });
    expect(ok.status).toBe(200);
  });

  it("custom check: decides from the request; a throwing check refuses", async () => {
    const url = await serve({
      auth: async (req) => {
        if (req.headers.get("x-user") === "boom") throw new Error("check failed");
        return req.headers.get("x-user") === "alice";
      },
    });
    expect((await request(`${url}/api/queues`)).status).toBe(401);
    expect((await request(`${url}/api/queues`, { headers: { "x-user": "bob" } })).status).toBe(401);
    expect((await request(`${url}/api/queues`, { headers: { "x-user": "boom" } })).status).toBe(
      401,
    );
    expect((await request(`${url}/`, { headers: { "x-user": "bob" } })).status).toBe(401);
    expect((await request(`${url}/api/queues`, { headers: { "x-user": "alice" } })).status).toBe(
      200,
    );
  });

  it("refuses bad auth options when the dashboard is created", async () => {
    await expect(serve({ auth: { basic: { username: "", password: "x" } } })).rejects.toThrow(
      /username/,
    );
    await expect(serve({ auth: { bearer: "has space" } })).rejects.toThrow(/bearer/);
  });
});

describe("cross-site requests", () => {
  it("refuses a mutation whose Sec-Fetch-Site is cross-site or same-site", async () => {
    const url = await serve();
    for (const site of ["cross-site", "same-site"]) {
      const res = await rawRequest(`${url}/api/queues/low:pause`, {
        method: "POST",
        headers: { "Sec-Fetch-Site": site },
      });
      expect(res.status).toBe(403);
      expect(errorCode(res)).toBe("CROSS_SITE_REQUEST");
    }
    expect((await env.inspector.queueInfo("low")).paused).toBe(false);
  });

  it("refuses a mutation whose Origin is another host", async () => {
    const url = await serve();
    const host = new URL(url).host;
    for (const origin of ["http://evil.example", `http://${host}.evil.example`, "null"]) {
      const res = await rawRequest(`${url}/api/queues/low:pause`, {
        method: "POST",
        headers: { Host: host, Origin: origin },
      });
      expect(res.status, origin).toBe(403);
      expect(errorCode(res)).toBe("CROSS_SITE_REQUEST");
    }
    expect((await env.inspector.queueInfo("low")).paused).toBe(false);
  });

  it("accepts same-origin mutations and leaves reads alone", async () => {
    const url = await serve();
    const host = new URL(url).host;
    const res = await rawRequest(`${url}/api/queues/low:pause`, {
      method: "POST",
      headers: { Host: host, Origin: `http://${host}`, "Sec-Fetch-Site": "same-origin" },
    });
    expect(res.status).toBe(204);
    await env.inspector.unpauseQueue("low");
    const read = await rawRequest(`${url}/api/queues`, {
      headers: { Origin: "http://evil.example", "Sec-Fetch-Site": "cross-site" },
    });
    expect(read.status).toBe(200);
  });

  it("accepts an Origin matching X-Forwarded-Host (behind a proxy)", async () => {
    const url = await serve();
    const res = await rawRequest(`${url}/api/queues/low:pause`, {
      method: "POST",
      headers: {
        Host: "127.0.0.1:1",
        "X-Forwarded-Host": "ops.example.com",
        Origin: "https://ops.example.com",
      },
    });
    expect(res.status).toBe(204);
    await env.inspector.unpauseQueue("low");
  });

  it.each([
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "text/plain;charset=UTF-8",
  ])("refuses a mutation sent as %s with 415", async (type) => {
    const url = await serve();
    const res = await request(`${url}/api/queues/default/pending_tasks:batch_delete`, {
      method: "POST",
      headers: { "Content-Type": type },
      body: JSON.stringify({ task_ids: ["d-pending-1"] }),
    });
    expect(res.status).toBe(415);
    expect(errorCode(res)).toBe("UNSUPPORTED_MEDIA_TYPE");
    expect((await env.inspector.taskInfo("default", "d-pending-1")).state).toBe("pending");
  });
});

describe("request body cap", () => {
  const big = (bytes: number) =>
    JSON.stringify({ task_ids: ["x".repeat(Math.max(1, bytes - 16))] });

  it("answers 413 for a declared body over 1 MiB", async () => {
    const url = await serve();
    const res = await request(`${url}/api/queues/default/pending_tasks:batch_delete`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: big(1024 * 1024 + 10),
    });
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe("PAYLOAD_TOO_LARGE");
  });

  it("answers 413 for a chunked body that grows past 1 MiB", async () => {
    const url = await serve();
    const chunk = "x".repeat(64 * 1024);
    const res = await rawRequest(`${url}/api/queues/default/pending_tasks:batch_delete`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      chunks: ['{"task_ids":["', ...Array.from({ length: 20 }, () => chunk), '"]}'],
    });
    expect(res.status).toBe(413);
    expect(errorCode(res)).toBe("PAYLOAD_TOO_LARGE");
  });

  it("reads a body just under the cap", async () => {
    const url = await serve();
    const ids = Array.from({ length: 1000 }, (_, i) => `${i}-${"y".repeat(1000)}`);
    const body = JSON.stringify({ task_ids: ids });
    expect(body.length).toBeLessThan(1024 * 1024);
    const res = await request<{ failed_ids: string[] }>(
      `${url}/api/queues/default/pending_tasks:batch_delete`,
      send("POST", { task_ids: ids }),
    );
    expect(res.status).toBe(200);
    expect(res.body.failed_ids).toHaveLength(1000);
  });
});

describe("security headers", () => {
  it("are on JSON, errors, HTML, assets and the missing-build page", async () => {
    const url = await serve();
    const answers = [
      await request(`${url}/api/queues`),
      await request(`${url}/api/queues/nope`),
      await request(`${url}/api/nope`),
      await request(`${url}/`),
      await request(`${url}/queues/default?status=retry`),
      await request(`${url}/assets/app-abc123.js`),
    ];
    for (const res of answers) expect(securityHeadersOf(res.headers)).toEqual(SECURITY_HEADERS);
    const missing = await serve({ assetsDir: `${ui.dir}/does-not-exist` });
    const page = await request(`${missing}/`);
    expect(page.status).toBe(503);
    expect(securityHeadersOf(page.headers)).toEqual(SECURITY_HEADERS);
  });

  it("keeps JSON answers application/json and uncached", async () => {
    const url = await serve();
    for (const path of ["/api/queues", "/api/queues/nope", "/api/config"]) {
      const res = await request(`${url}${path}`);
      expect(res.headers.get("content-type"), path).toMatch(/^application\/json/);
    }
    expect((await request(`${url}/api/queues`)).headers.get("cache-control")).toBe("no-store");
  });
});
