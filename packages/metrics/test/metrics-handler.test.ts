import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { metricsHandler } from "@asynq-ts/metrics";
import { Gauge, Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { EXPORTER_USAGE, parseExporterArgs } from "../src/exporter.js";
import { parseExposition } from "./support/exposition.js";

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(registry: Registry, path?: string): Promise<string> {
  server = createServer(metricsHandler({ registry, ...(path === undefined ? {} : { path }) }));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function registryWithGauge(value: number): Registry {
  const registry = new Registry();
  new Gauge({ name: "answer", help: "h", registers: [registry] }).set(value);
  return registry;
}

describe("metricsHandler", () => {
  it("serves the registry on /metrics in Prometheus' text format", async () => {
    const registry = registryWithGauge(42);
    const base = await serve(registry);
    const response = await fetch(`${base}/metrics?x=1`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(registry.contentType);
    expect(parseExposition(await response.text()).value("answer")).toBe(42);
  });

  it("answers HEAD without a body, 405 for other methods, 404 elsewhere", async () => {
    const base = await serve(registryWithGauge(1), "/custom");
    const head = await fetch(`${base}/custom`, { method: "HEAD" });
    expect([head.status, await head.text()]).toStrictEqual([200, ""]);
    const post = await fetch(`${base}/custom`, { method: "POST" });
    expect([post.status, post.headers.get("allow")]).toStrictEqual([405, "GET, HEAD"]);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
  });

  it("answers 500 when collecting fails", async () => {
    const registry = new Registry();
    new Gauge({
      name: "broken",
      help: "h",
      registers: [registry],
      collect: () => {
        throw new Error("cannot read");
      },
    });
    const response = await fetch(`${await serve(registry)}/metrics`);
    expect(response.status).toBe(500);
    expect(await response.text()).toContain("cannot read");
  });
});

describe("asynq-metrics arguments", () => {
  it("default to Go's exporter port and the local Redis", () => {
    expect(parseExporterArgs([])).toStrictEqual({
      uri: "redis://127.0.0.1:6379",
      port: 9876,
      defaultMetrics: true,
    });
  });

  it("read every option", () => {
    expect(
      parseExporterArgs([
        "--uri=redis://h:1/2",
        "--port",
        "0",
        "--host=127.0.0.1",
        "--path=/m",
        "--prefix=p",
        "--cache-ttl=250",
        "--no-default-metrics",
      ]),
    ).toStrictEqual({
      uri: "redis://h:1/2",
      port: 0,
      host: "127.0.0.1",
      path: "/m",
      prefix: "p",
      cacheTtl: 250,
      defaultMetrics: false,
    });
    expect(parseExporterArgs(["-h"])).toBe("help");
    expect(EXPORTER_USAGE).toContain("--cache-ttl");
  });

  it("refuse bad values and unknown flags", () => {
    expect(() => parseExporterArgs(["--port", "70000"])).toThrow(/--port/);
    expect(() => parseExporterArgs(["--cache-ttl", "-1"])).toThrow();
    expect(() => parseExporterArgs(["--bogus"])).toThrow();
  });
});
