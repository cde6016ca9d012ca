import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULTS, resolveSettings } from "../src/connection-settings.js";
import type { CliIo } from "../src/io.js";
import { describeTarget, targetOf } from "../src/redis-target.js";
import { emptyHome } from "./support/cli.js";

const io = (env: Record<string, string> = {}, homeDir = emptyHome()): CliIo => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  env,
  homeDir,
});

describe("resolveSettings", () => {
  it("uses Go asynq's defaults when nothing is given", async () => {
    expect(await resolveSettings({}, io())).toEqual({
      uri: "127.0.0.1:6379",
      db: undefined,
      password: undefined,
      username: undefined,
      cluster: false,
      clusterAddrs: DEFAULTS.clusterAddrs,
      tls: false,
      tlsServer: undefined,
      insecure: false,
      prefix: "asynq",
      connectTimeoutMs: 5_000,
    });
  });

  it("takes each setting from the flag, else the variable, else the file", async () => {
    const home = emptyHome();
    writeFileSync(
      join(home, ".asynq.yaml"),
      "uri: file:1\ndb: 4\npassword: file-pw\nusername: file-user\ncluster: true\ncluster_addrs: [a:1, b:2]\ntls: true\ntls_server: file.example\ninsecure: true\nprefix: fileprefix\n",
    );
    const fromFile = await resolveSettings({}, io({}, home));
    expect(fromFile).toMatchObject({
      uri: "file:1",
      db: 4,
      password: "file-pw",
      username: "file-user",
      cluster: true,
      clusterAddrs: ["a:1", "b:2"],
      tls: true,
      tlsServer: "file.example",
      insecure: true,
      prefix: "fileprefix",
    });
    const env = {
      ASYNQ_URI: "env:2",
      ASYNQ_DB: "5",
      ASYNQ_CLUSTER: "false",
      ASYNQ_CLUSTER_ADDRS: "c:3,d:4",
      ASYNQ_TLS: "0",
      ASYNQ_PASSWORD: "env-pw",
    };
    const fromEnv = await resolveSettings({}, io(env, home));
    expect(fromEnv).toMatchObject({
      uri: "env:2",
      db: 5,
      cluster: false,
      clusterAddrs: ["c:3", "d:4"],
      tls: false,
      password: "env-pw",
      username: "file-user",
    });
    const fromFlags = await resolveSettings(
      { uri: "flag:3", db: 6, password: "flag-pw", connectTimeout: 1_500 },
      io(env, home),
    );
    expect(fromFlags).toMatchObject({
      uri: "flag:3",
      db: 6,
      password: "flag-pw",
      username: "file-user",
      connectTimeoutMs: 1_500,
    });
  });

  it("rejects wrongly typed config values with the key's name", async () => {
    const home = emptyHome();
    writeFileSync(join(home, ".asynq.yaml"), "db: two\n");
    await expect(resolveSettings({}, io({}, home))).rejects.toThrow(
      /"db" must be a non-negative integer/,
    );
    writeFileSync(join(home, ".asynq.yaml"), "uri: [\n");
    await expect(resolveSettings({}, io({}, home))).rejects.toThrow(/is not valid YAML/);
  });
});

describe("targetOf", () => {
  const settings = (overrides: object) => ({
    ...DEFAULTS,
    db: undefined,
    password: undefined,
    username: undefined,
    cluster: false,
    tls: false,
    tlsServer: undefined,
    insecure: false,
    ...overrides,
  });

  it("reads host:port, redis://, rediss:// and redis-socket://", () => {
    expect(targetOf(settings({ uri: "10.0.0.5:6380" }))).toEqual({
      kind: "standalone",
      address: { host: "10.0.0.5", port: 6380 },
      db: 0,
    });
    expect(targetOf(settings({ uri: "redis://u:p%40ss@h/2" }))).toEqual({
      kind: "standalone",
      address: { host: "h", port: 6379 },
      db: 2,
      username: "u",
      password: "p@ss",
    });
    expect(targetOf(settings({ uri: "rediss://h:7000", tlsServer: "h.example" }))).toEqual({
      kind: "standalone",
      address: { host: "h", port: 7000 },
      db: 0,
      tls: { rejectUnauthorized: true, servername: "h.example" },
    });
    expect(targetOf(settings({ uri: "h", tls: true, insecure: true }))).toMatchObject({
      tls: { rejectUnauthorized: false },
    });
    expect(targetOf(settings({ uri: "redis-socket:///tmp/r.sock?db=3" }))).toEqual({
      kind: "socket",
      path: "/tmp/r.sock",
      db: 3,
    });
    expect(targetOf(settings({ uri: "[::1]:6390" }))).toMatchObject({
      address: { host: "::1", port: 6390 },
    });
  });

  it("lets explicit db, password and username override the URI's", () => {
    expect(
      targetOf(settings({ uri: "redis://u:p@h/2", db: 7, password: "q", username: "v" })),
    ).toMatchObject({ db: 7, password: "q", username: "v" });
  });

  it("reads redis-sentinel:// through the sentinel package, with flags overriding its credentials", () => {
    expect(
      targetOf(settings({ uri: "redis-sentinel://:pw@s1:26380,s2/2?master=main" })),
    ).toMatchObject({
      kind: "sentinel",
      discovery: {
        name: "main",
        sentinels: [
          { host: "s1", port: 26380 },
          { host: "s2", port: 26379 },
        ],
        password: "pw",
        db: 2,
      },
    });
    const overridden = targetOf(
      settings({ uri: "redis-sentinel://:pw@s1?master=main", password: "other", db: 5, tls: true }),
    );
    expect(overridden).toMatchObject({
      discovery: { password: "other", db: 5, tls: { rejectUnauthorized: true } },
    });
  });

  it("uses the cluster addresses with --cluster, and describes targets without passwords", () => {
    const cluster = targetOf(
      settings({ cluster: true, clusterAddrs: ["a:1", "b"], password: "x" }),
    );
    expect(cluster).toEqual({
      kind: "cluster",
      nodes: [
        { host: "a", port: 1 },
        { host: "b", port: 6379 },
      ],
      password: "x",
    });
    expect(describeTarget(cluster)).toBe("cluster a:1,b:6379");
    expect(describeTarget(targetOf(settings({ uri: "redis://:secret@h:1/2" })))).toBe(
      "redis://h:1/2",
    );
    expect(
      describeTarget(
        targetOf(settings({ uri: "redis-sentinel://:pw@s1:26379,s2:26379?master=mymaster" })),
      ),
    ).toBe("redis-sentinel://s1:26379,s2:26379?master=mymaster");
  });
});
