import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseApiPath } from "../../src/api/api-path.js";
import { capText, defaultBytesFormatter } from "../../src/api/format-bytes.js";
import { displayDuration, rfc3339 } from "../../src/api/times.js";
import { redisInfoSourceFromIoredis } from "../../src/index.js";
import { parseRedisInfo, sanitiseAddress } from "../../src/redis-info/parse-info.js";
import { normaliseBasePath } from "../../src/settings.js";
import { packageRoot } from "../../src/spa/package-root.js";
import { injectBase } from "../../src/spa/static-ui.js";

// The pure pieces behind the API: path parsing, text and time formatting, address hygiene.

const encode = (text: string) => new TextEncoder().encode(text);

describe("parseApiPath", () => {
  it("splits asynqmon's :verb off the last raw segment and decodes the rest", () => {
    expect(parseApiPath("/queues/default:pause")).toEqual({
      segments: ["queues", "default"],
      verb: "pause",
    });
    expect(parseApiPath("/queues/q/retry_tasks/ID:archive")).toEqual({
      segments: ["queues", "q", "retry_tasks", "ID"],
      verb: "archive",
    });
    expect(parseApiPath("/queues/a%3Ab%2Fc/tasks/x%3Ay")).toEqual({
      segments: ["queues", "a:b/c", "tasks", "x:y"],
      verb: undefined,
    });
    expect(parseApiPath("/queues/")).toEqual({ segments: ["queues"], verb: undefined });
    expect(parseApiPath("")).toEqual({ segments: [], verb: undefined });
  });

  it("refuses malformed percent-encoding with 400", () => {
    expect(() => parseApiPath("/queues/%E0%A4%A")).toThrow(
      expect.objectContaining({ status: 400, code: "INVALID_ARGUMENT" }),
    );
  });
});

describe("defaultBytesFormatter", () => {
  it("shows printable UTF-8 text (newlines and tabs included) as is", () => {
    expect(defaultBytesFormatter(encode('{"a":1}'))).toBe('{"a":1}');
    expect(defaultBytesFormatter(encode('{\n\t"a": "é✓"\n}'))).toBe('{\n\t"a": "é✓"\n}');
    expect(defaultBytesFormatter(new Uint8Array())).toBe("");
  });

  it("says 'non-printable bytes' for invalid UTF-8, control characters or only spaces", () => {
    expect(defaultBytesFormatter(new Uint8Array([0xff, 0xfe]))).toBe("non-printable bytes");
    expect(defaultBytesFormatter(encode("a\u0000b"))).toBe("non-printable bytes");
    expect(defaultBytesFormatter(encode("   "))).toBe("non-printable bytes");
  });
});

describe("capText", () => {
  it("cuts to whole code points and flags the cut", () => {
    expect(capText("abcdef", 3)).toEqual({ text: "abc", truncated: true });
    expect(capText("abc", 3)).toEqual({ text: "abc", truncated: false });
    expect(capText("😀😀😀", 2)).toEqual({ text: "😀😀", truncated: true });
    // Three code points in six UTF-16 units: within a cap of 3.
    expect(capText("😀😀😀", 3)).toEqual({ text: "😀😀😀", truncated: false });
  });
});

describe("times", () => {
  it("formats RFC 3339 at second precision, '' for none", () => {
    expect(rfc3339(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe("2024-01-02T03:04:05Z");
    expect(rfc3339(null)).toBe("");
  });

  it("shows latency as Go's Duration.String after rounding to 10 ms", () => {
    expect(displayDuration(0)).toBe("0s");
    expect(displayDuration(4)).toBe("0s");
    expect(displayDuration(154)).toBe("150ms");
    expect(displayDuration(1234)).toBe("1.23s");
    expect(displayDuration(60_000)).toBe("1m0s");
    expect(displayDuration(184_500)).toBe("3m4.5s");
    expect(displayDuration(7_205_000)).toBe("2h0m5s");
  });
});

describe("Redis info helpers", () => {
  it("parses INFO lines and skips sections", () => {
    expect(parseRedisInfo("# Server\r\nredis_version:7.0.15\r\nos:Linux x:y\r\n\r\n")).toEqual({
      redis_version: "7.0.15",
      os: "Linux x:y",
    });
  });

  it("reduces addresses to host:port", () => {
    expect(sanitiseAddress("redis://u:p@h:1/0?x=1")).toBe("h:1");
    expect(sanitiseAddress("rediss://:p@a:1, b:2")).toBe("a:1,b:2");
    expect(sanitiseAddress("host:6379")).toBe("host:6379");
    expect(sanitiseAddress("/var/run/redis.sock")).toBe("/var/run/redis.sock");
  });

  it("builds a source from ioredis-shaped clients without reading credentials", async () => {
    const single = redisInfoSourceFromIoredis({
      isCluster: false,
      options: { host: "10.0.0.5", port: 6380 },
      info: async () => "redis_version:7",
    });
    expect(single.address).toBe("10.0.0.5:6380");
    expect(single.clusterNodes).toBeUndefined();
    expect(await single.info()).toBe("redis_version:7");
    const node = (port: number) => ({ options: { host: "n", port }, info: async () => "" });
    const cluster = redisInfoSourceFromIoredis({
      isCluster: true,
      nodes: () => [node(7001), node(7000)],
      info: async () => "redis_version:7",
      cluster: async () => "nodes text",
    });
    expect(cluster.address).toBe("n:7000,n:7001");
    expect(await cluster.clusterNodes?.()).toBe("nodes text");
  });
});

describe("base path and the page", () => {
  it("normalises base paths", () => {
    expect(normaliseBasePath(undefined)).toBe("");
    expect(normaliseBasePath("")).toBe("");
    expect(normaliseBasePath("/")).toBe("");
    expect(normaliseBasePath("/a/")).toBe("/a");
    expect(normaliseBasePath("/a/b//")).toBe("/a/b");
  });

  it("replaces the marker with <base>, or inserts it after <head ...>", () => {
    expect(injectBase("<head><!--asynq-dashboard-base--></head>", "/m")).toBe(
      '<head><base href="/m/"></head>',
    );
    expect(injectBase('<html><head lang="en"><title>x</title></head>', "")).toBe(
      '<html><head lang="en"><base href="/"><title>x</title></head>',
    );
  });

  it("finds this package's root from its sources", () => {
    const root = packageRoot();
    expect(root).toBeDefined();
    expect(existsSync(join(root!, "src", "index.ts"))).toBe(true);
  });
});
