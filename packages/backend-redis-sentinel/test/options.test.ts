import { DurabilityTimeoutError, InvalidArgumentError } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import {
  createSentinelBroker,
  ioredisSentinelOptions,
  nodeRedisSentinelOptions,
  parseSentinelUrl,
} from "../src/index.js";

describe("parseSentinelUrl", () => {
  it("reads the sentinels, the master name, the database and the master's credentials", () => {
    expect(
      parseSentinelUrl("redis-sentinel://app:s%40cret@10.0.0.1:26380,sentinel-b/3?master=main"),
    ).toEqual({
      sentinels: [
        { host: "10.0.0.1", port: 26380 },
        { host: "sentinel-b", port: 26379 },
      ],
      name: "main",
      username: "app",
      password: "s@cret",
      db: 3,
    });
  });

  it("takes a password without a user, IPv6 hosts and the sentinels' credentials", () => {
    expect(
      parseSentinelUrl(
        "redis-sentinel://:pw@[::1]:26379?master=m&sentinelUsername=watch&sentinelPassword=spw",
      ),
    ).toEqual({
      sentinels: [{ host: "::1", port: 26379 }],
      name: "m",
      password: "pw",
      sentinelUsername: "watch",
      sentinelPassword: "spw",
    });
  });

  it.each([
    ["redis://127.0.0.1:26379?master=m", "scheme"],
    ["redis-sentinel://127.0.0.1:26379", "master name"],
    ["redis-sentinel://127.0.0.1:26379/x?master=m", "database"],
    ["redis-sentinel://127.0.0.1:99999?master=m", "port"],
    ["redis-sentinel://a:1,,b:2?master=m", "host"],
  ])("refuses %s (%s)", (url, reason) => {
    expect(() => parseSentinelUrl(url)).toThrow(InvalidArgumentError);
    expect(() => parseSentinelUrl(url)).toThrow(new RegExp(reason));
  });

  it("never repeats a password in its error message", () => {
    expect(() => parseSentinelUrl("redis-sentinel://:hunter2@h:1")).toThrow(/\*\*\*@h:1/);
    expect(() => parseSentinelUrl("redis-sentinel://:hunter2@h:1")).not.toThrow(/hunter2/);
  });
});

const discovery = {
  sentinels: [{ host: "s1", port: 26379 }],
  name: "main",
  username: "app",
  password: "pw",
  sentinelUsername: "watch",
  sentinelPassword: "spw",
  db: 2,
};

describe("ioredisSentinelOptions", () => {
  it("turns the failover detector on and passes credentials through", () => {
    expect(ioredisSentinelOptions(discovery)).toEqual({
      sentinels: [{ host: "s1", port: 26379 }],
      name: "main",
      failoverDetector: true,
      username: "app",
      password: "pw",
      sentinelUsername: "watch",
      sentinelPassword: "spw",
      db: 2,
    });
  });

  it("uses TLS to the data nodes only with enableTLSForSentinelMode, and sentinelTLS apart", () => {
    const options = ioredisSentinelOptions({
      ...discovery,
      tls: { ca: "node-ca" },
      sentinelTls: true,
    });
    expect(options).toMatchObject({
      tls: { ca: "node-ca" },
      enableTLSForSentinelMode: true,
      sentinelTLS: {},
    });
  });

  it("lets explicit ioredis options win", () => {
    expect(ioredisSentinelOptions(discovery, { failoverDetector: false })).toMatchObject({
      failoverDetector: false,
    });
  });
});

describe("nodeRedisSentinelOptions", () => {
  it("puts the data nodes' and the sentinels' credentials and TLS in their client options", () => {
    expect(
      nodeRedisSentinelOptions({ ...discovery, tls: true, sentinelTls: { ca: "sentinel-ca" } }),
    ).toEqual({
      name: "main",
      sentinelRootNodes: [{ host: "s1", port: 26379 }],
      nodeClientOptions: {
        username: "app",
        password: "pw",
        database: 2,
        socket: { tls: true },
      },
      sentinelClientOptions: {
        username: "watch",
        password: "spw",
        socket: { tls: true, ca: "sentinel-ca" },
      },
    });
  });
});

describe("createSentinelBroker", () => {
  it.each([
    [{ replicas: 0, timeoutMs: 100 }, "durability.replicas"],
    [{ replicas: 1.5, timeoutMs: 100 }, "durability.replicas"],
    [{ replicas: 1, timeoutMs: 0 }, "durability.timeoutMs"],
  ])("refuses durability %j before connecting", async (durability, field) => {
    const created = createSentinelBroker({ ...discovery, durability });
    await expect(created).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(created).rejects.toMatchObject({ field });
  });

  it("refuses an empty sentinel list", async () => {
    await expect(createSentinelBroker({ sentinels: [], name: "m" })).rejects.toMatchObject({
      field: "sentinels",
    });
  });
});

describe("DurabilityTimeoutError", () => {
  it("carries its stable code and what the replicas answered", () => {
    const error = new DurabilityTimeoutError(2, 1, "1 confirmed within 100 ms");
    expect(error).toMatchObject({ code: "DURABILITY_TIMEOUT", replicas: 2, acknowledged: 1 });
    expect(error.message).toMatch(/not confirmed by 2 replica/);
  });
});
