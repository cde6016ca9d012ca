import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import {
  type RedisClusterHandle,
  type RedisServerHandle,
  startRedisCluster,
  startRedisServer,
  withRedisServer,
} from "@asynq-ts/testing/servers";
import { Cluster, Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";

/** Whether a process runs; a zombie (exited, not yet reaped by its new parent) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** True when this process can bind the port itself, i.e. nothing listens on it any more. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function ping(url: string): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableReadyCheck: false,
  });
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe("startRedisServer", () => {
  let server: RedisServerHandle | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("starts a server that answers PING and is gone after stop", async () => {
    server = await startRedisServer();
    expect(server.host).toBe("127.0.0.1");
    expect(server.port).not.toBe(6379);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await ping(server.url)).toBe("PONG");

    const pid = server.pid!;
    expect(isAlive(pid)).toBe(true);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    expect(server.pid).toBeUndefined();
    expect(await canBind(server.port)).toBe(true);
    await server.stop(); // idempotent
  });

  it("runs without persistence and applies extra args", async () => {
    server = await startRedisServer({ args: ["--maxmemory", "12mb"] });
    const client = new Redis(server.url);
    try {
      expect(await client.config("GET", "save")).toEqual(["save", ""]);
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
      expect(await client.config("GET", "maxmemory")).toEqual([
        "maxmemory",
        String(12 * 1024 * 1024),
      ]);
    } finally {
      client.disconnect();
    }
  });

  it("requires the password when one is set", async () => {
    server = await startRedisServer({ password: "s3cret" });
    expect(server.url).toBe(`redis://:s3cret@127.0.0.1:${server.port}`);
    expect(await ping(server.url)).toBe("PONG");
    await expect(ping(`redis://127.0.0.1:${server.port}`)).rejects.toThrow(/NOAUTH/);
  });

  it("restarts on the same port after a crash", async () => {
    server = await startRedisServer();
    const { port } = server;
    const crashedPid = server.pid!;
    await server.kill("SIGKILL");
    expect(isAlive(crashedPid)).toBe(false);
    expect(server.pid).toBeUndefined();

    await server.restart();
    expect(server.port).toBe(port);
    expect(server.pid).not.toBe(crashedPid);
    expect(await ping(server.url)).toBe("PONG");
  });

  it("restart of a running server replaces its process", async () => {
    server = await startRedisServer();
    const firstPid = server.pid!;
    await server.restart();
    expect(isAlive(firstPid)).toBe(false);
    expect(await ping(server.url)).toBe("PONG");
  });

  it("withRedisServer stops the server even when the body throws", async () => {
    let pid = 0;
    await expect(
      withRedisServer(async (s) => {
        pid = s.pid!;
        expect(await ping(s.url)).toBe("PONG");
        throw new Error("body failed");
      }),
    ).rejects.toThrow("body failed");
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it("reports the server log when redis-server refuses to start", async () => {
    await expect(startRedisServer({ args: ["--no-such-option", "1"] })).rejects.toThrow(
      /did not start[\s\S]*no-such-option/,
    );
  });
});

describe("startRedisCluster", () => {
  let cluster: RedisClusterHandle | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
  });

  it("starts a usable 3-master cluster and stop removes every process", async () => {
    cluster = await startRedisCluster();
    expect(cluster.nodes).toHaveLength(3);
    const client = new Cluster([...cluster.nodes]);
    const pids: number[] = [];
    try {
      // keys hashing to slots on different masters
      const keys = ["a", "b", "c", "d", "e", "f", "{q}:x", "{other}:y"];
      for (const key of keys) await client.set(key, `value-${key}`);
      for (const key of keys) expect(await client.get(key)).toBe(`value-${key}`);
      const owners = new Set<number>();
      for (const key of keys) {
        const slot = (await client.cluster("KEYSLOT", key)) as number;
        const slots = await client.cluster("SLOTS");
        const range = slots.find(([from, to]) => slot >= from && slot <= to);
        owners.add(range![2]![1]);
      }
      expect(owners.size).toBeGreaterThan(1);
      for (const node of client.nodes("all")) {
        const info = (await node.info("server")) as string;
        pids.push(Number(/process_id:(\d+)/.exec(info)![1]));
      }
    } finally {
      client.disconnect();
    }
    expect(pids).toHaveLength(3);
    await cluster.stop();
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    for (const node of cluster.nodes) expect(await canBind(node.port)).toBe(true);
  });

  it("with replicas, every master has its replica and a killed node can be restarted", async () => {
    cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
    expect(cluster.nodes).toHaveLength(6);
    const client = new Cluster([...cluster.nodes]);
    try {
      await client.set("{q}:k", "v");
      const topology = (await client.cluster("NODES")) as string;
      const replicaPorts = topology
        .split("\n")
        .filter((line) => line.includes("slave"))
        .map((line) => Number(/:(\d+)@/.exec(line)![1]));
      expect(replicaPorts).toHaveLength(3);
      const replicaPort = replicaPorts[0]!;
      await cluster.killNode(replicaPort, "SIGKILL");
      await cluster.restartNode(replicaPort);
      const restarted = new Redis(replicaPort);
      try {
        expect(await restarted.ping()).toBe("PONG");
      } finally {
        restarted.disconnect();
      }
    } finally {
      client.disconnect();
    }
  });

  it("a restarted node rejoins with its saved cluster config", async () => {
    cluster = await startRedisCluster();
    const [node] = cluster.nodes;
    await cluster.killNode(node!.port, "SIGKILL");
    await cluster.restartNode(node!.port);
    const client = new Redis(node!.port);
    try {
      const info = (await client.cluster("INFO")) as string;
      expect(info).toContain(`cluster_known_nodes:${cluster.nodes.length}`);
    } finally {
      client.disconnect();
    }
  });

  it("rejects fewer than 3 masters", async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(RangeError);
  });
});

it("server directories are removed by stop", async () => {
  const server = await startRedisServer();
  const client = new Redis(server.url);
  const dir = ((await client.config("GET", "dir")) as string[])[1]!;
  client.disconnect();
  expect(existsSync(dir)).toBe(true);
  await server.stop();
  expect(existsSync(dir)).toBe(false);
});

describe("last-resort cleanup", () => {
  const serversModule = new URL("../src/servers/index.ts", import.meta.url).href;

  /** Runs a Node process that starts a server and never stops it; returns the server's pid. */
  async function pidLeftBy(ending: "exit" | "SIGTERM"): Promise<number> {
    const script = [
      `const { startRedisServer } = await import(${JSON.stringify(serversModule)});`,
      "const server = await startRedisServer();",
      "process.stdout.write(String(server.pid) + '\\n');",
      ending === "exit" ? "process.exit(0);" : "setInterval(() => {}, 1000);",
    ].join("\n");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const [firstChunk] = (await once(child.stdout, "data")) as [Buffer];
    const pid = Number(firstChunk.toString().trim());
    if (ending === "SIGTERM") child.kill("SIGTERM");
    await once(child, "exit");
    return pid;
  }

  it("kills a forgotten server when the test process exits", async () => {
    const pid = await pidLeftBy("exit");
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it("kills a forgotten server when the test process is terminated", async () => {
    const pid = await pidLeftBy("SIGTERM");
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });
});
