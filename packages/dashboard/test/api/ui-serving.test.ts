import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { Inspector } from "@asynq-ts/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDashboard, type DashboardOptions, serveDashboard } from "../../src/index.js";
import { FAKE_SCRIPT, type FakeUiBuild, SECRET, writeFakeUiBuild } from "../support/assets.js";
import { errorCode, rawRequest, request } from "../support/http.js";

// Serving the built UI: files, caching, the SPA fallback, the injected <base>, the base path
// and the missing-build answer. The UI does not read queues, so an in-memory broker will do.

const broker = createMemoryBroker();
const inspector = new Inspector(broker);
let withMarker: FakeUiBuild;
let withoutMarker: FakeUiBuild;
beforeAll(() => {
  withMarker = writeFakeUiBuild({ marker: true });
  withoutMarker = writeFakeUiBuild({ marker: false });
});
afterAll(async () => {
  withMarker?.remove();
  withoutMarker?.remove();
  await broker.close();
});

const dashboard = (options: Partial<DashboardOptions> = {}) =>
  createDashboard({ inspector, assetsDir: withMarker.dir, ...options });
const get = async (d: ReturnType<typeof dashboard>, path: string, init?: RequestInit) => {
  const res = await d.fetch(new Request(`http://dash.test${path}`, init));
  return { status: res.status, headers: res.headers, text: await res.text() };
};

describe("files and caching", () => {
  it("serves index.html at the root, uncached, with <base href='/'>", async () => {
    const res = await get(dashboard(), "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.text).toContain('<head><base href="/"><title>');
    expect(res.text).not.toContain("<!--asynq-dashboard-base-->");
  });

  it("serves hashed assets as immutable with their content type", async () => {
    const res = await get(dashboard(), "/assets/app-abc123.js");
    expect(res.status).toBe(200);
    expect(res.text).toBe(FAKE_SCRIPT);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const css = await get(dashboard(), "/assets/style-abc123.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  it("serves other build files revalidated", async () => {
    const res = await get(dashboard(), "/favicon.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    expect(res.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers 404 for a missing asset instead of the page", async () => {
    const res = await get(dashboard(), "/assets/missing.js");
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("<html");
  });

  it("falls back to index.html for client routes", async () => {
    for (const path of [
      "/queues/default?status=retry",
      "/queues/a%2Fb/tasks/x",
      "/servers",
      "/redis",
    ]) {
      const res = await get(dashboard(), path);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toContain("fake ui");
      expect(res.headers.get("cache-control")).toBe("no-cache");
    }
  });

  it("never serves a file outside the build directory", async () => {
    const server = await serveDashboard({ inspector, assetsDir: withMarker.dir });
    try {
      // Sent raw so no client normalises the dots away first.
      for (const path of [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/assets/..%2f..%2fsecret.txt",
        "/assets/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
      ]) {
        const res = await rawRequest(`${server.url}${path}`);
        expect(res.text, path).not.toContain(SECRET);
      }
    } finally {
      await server.close();
    }
  });

  it("answers HEAD without a body and refuses other methods on UI paths", async () => {
    const head = await get(dashboard(), "/", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    const post = await get(dashboard(), "/queues", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("inserts <base> after <head> when the build has no marker", async () => {
    const res = await get(dashboard({ assetsDir: withoutMarker.dir, basePath: "/ops" }), "/ops/");
    expect(res.text).toContain('<head><base href="/ops/"><title>');
  });

  it("answers 503 with the build command when the build is missing, while the API works", async () => {
    const d = dashboard({ assetsDir: `${withMarker.dir}/nope` });
    const res = await get(d, "/queues/default");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.text).toContain("npm run build -w @asynq-ts/dashboard");
    expect((await get(d, "/api/queues")).status).toBe(200);
  });
});

describe("base path", () => {
  it("normalises a trailing slash and exposes the result", () => {
    expect(dashboard({ basePath: "/monitoring/" }).basePath).toBe("/monitoring");
    expect(dashboard({ basePath: "/" }).basePath).toBe("");
    expect(dashboard().basePath).toBe("");
    expect(dashboard({ basePath: "/a/b" }).basePath).toBe("/a/b");
  });

  it("refuses base paths that are not absolute or need escaping", () => {
    for (const bad of ["monitoring", "/a b", '/x"><script>', "/a//b"]) {
      expect(() => dashboard({ basePath: bad }), bad).toThrow(/basePath/);
    }
  });

  it("serves the UI and API under the base path only", async () => {
    const d = dashboard({ basePath: "/monitoring/" });
    const page = await get(d, "/monitoring");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<base href="/monitoring/">');
    expect((await get(d, "/monitoring/queues/default")).text).toContain("fake ui");
    expect((await get(d, "/monitoring/assets/app-abc123.js")).text).toBe(FAKE_SCRIPT);
    const config = await d.fetch(new Request("http://dash.test/monitoring/api/config"));
    expect(((await config.json()) as { base_path: string }).base_path).toBe("/monitoring");
    for (const outside of ["/", "/api/queues", "/monitoringx", "/other/monitoring"]) {
      const res = await d.fetch(new Request(`http://dash.test${outside}`));
      expect(res.status, outside).toBe(404);
      expect(
        errorCode({ status: 404, headers: res.headers, text: "", body: await res.json() }),
      ).toBe("NOT_FOUND");
    }
  });

  it("puts the base path in the standalone server's URL", async () => {
    const server = await serveDashboard({ inspector, assetsDir: withMarker.dir, basePath: "/m" });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/m$/);
      const res = await request(`${server.url}/queues`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<base href="/m/">');
    } finally {
      await server.close();
    }
  });
});
