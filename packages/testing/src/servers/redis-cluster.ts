import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { registerCleanup } from "./cleanup-registry.js";
import { redisBinary } from "./redis-binaries.js";
import { type RedisProcess, startOnFreePorts } from "./redis-process.js";
import { sendCommands } from "./resp-command.js";
import { sleep } from "./server-process.js";
import { makeTempDir, removeDir } from "./temp-dir.js";

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Number of masters, at least 3 (redis-cli's minimum). Default 3. */
  readonly masters?: number;
  /** Replicas per master. Default 0. */
  readonly replicasPerMaster?: number;
}

/** Address of one cluster node. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/** A Redis Cluster of child processes started for a test. */
export interface RedisClusterHandle {
  /** Every node, masters and replicas, in start order (use as ioredis `Cluster` startup nodes). */
  readonly nodes: readonly RedisClusterNode[];
  /** Terminates every node and removes the cluster's directory. Idempotent. */
  stop(): Promise<void>;
  /** Sends a signal to one node (e.g. SIGKILL a master for failover tests); resolves once it exited. */
  killNode(port: number, signal: NodeJS.Signals): Promise<void>;
  /** Starts a killed node again on the same ports and directory; it rejoins from its nodes.conf. */
  restartNode(port: number): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * Starts `masters × (1 + replicasPerMaster)` cluster-enabled redis-servers on free loopback
 * ports, joins them with `redis-cli --cluster create`, and resolves once every node reports
 * `cluster_state:ok`, knows every node, sees every replica and no replica link is down.
 */
export async function startRedisCluster(
  options: RedisClusterOptions = {},
): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  const replicasPerMaster = options.replicasPerMaster ?? 0;
  if (!Number.isInteger(masters) || masters < 3) {
    throw new RangeError("a Redis Cluster needs at least 3 masters");
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new RangeError("replicasPerMaster must be a non-negative integer");
  }
  const nodeCount = masters * (1 + replicasPerMaster);
  const dir = makeTempDir("redis-cluster");
  const unregister = registerCleanup(() => removeDir(dir));
  const servers: RedisProcess[] = [];
  const cluster = new Cluster(servers, dir, unregister);
  try {
    const outcomes = await Promise.allSettled(
      Array.from({ length: nodeCount }, (_, index) => startNode(dir, index)),
    );
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") servers.push(outcome.value);
    }
    const failure = outcomes.find((outcome) => outcome.status === "rejected");
    if (failure !== undefined) throw failure.reason;
    await createCluster(servers, replicasPerMaster, dir);
    await waitUntilReady(servers, nodeCount - masters);
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}

function startNode(clusterDir: string, index: number): Promise<RedisProcess> {
  const dir = join(clusterDir, `node-${index}`);
  mkdirSync(dir, { recursive: true });
  // The bus port is probed too: the default (port + 10000) may be taken or above 65535.
  return startOnFreePorts(2, ([port, busPort]) => ({
    port: port!,
    dir,
    args: [
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(dir, "nodes.conf"),
      "--cluster-port",
      String(busPort),
      "--cluster-node-timeout",
      "2000",
      "--repl-diskless-sync-delay",
      "0",
      "--replica-announce-ip",
      "127.0.0.1",
      "--cluster-announce-ip",
      "127.0.0.1",
    ],
  }));
}

function createCluster(
  servers: readonly RedisProcess[],
  replicasPerMaster: number,
  dir: string,
): Promise<void> {
  const addresses = servers.map((server) => `127.0.0.1:${server.spec.port}`);
  const args = [
    "--cluster",
    "create",
    ...addresses,
    "--cluster-replicas",
    String(replicasPerMaster),
    "--cluster-yes",
  ];
  return new Promise((resolve, reject) => {
    execFile(
      redisBinary("redis-cli"),
      args,
      { timeout: READY_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `redis-cli --cluster create failed in ${dir}: ${error.message}\n${stdout}${stderr}`,
            ),
          );
        } else {
          resolve();
        }
      },
    );
  });
}

async function waitUntilReady(
  servers: readonly RedisProcess[],
  replicaCount: number,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = "";
  for (;;) {
    lastProblem = await firstReadinessProblem(servers, replicaCount);
    if (lastProblem === "") return;
    if (Date.now() > deadline) {
      const logs = servers.map((s) => `--- node ${s.spec.port} ---\n${s.logTail().slice(-1000)}`);
      throw new Error(`Redis Cluster not ready: ${lastProblem}\n${logs.join("\n")}`);
    }
    await sleep(50);
  }
}

/** Describes the first node not yet fully converged, or "" when the cluster is ready. */
async function firstReadinessProblem(
  servers: readonly RedisProcess[],
  replicaCount: number,
): Promise<string> {
  for (const server of servers) {
    const port = server.spec.port;
    let replies: unknown[];
    try {
      replies = await sendCommands(port, [
        ["CLUSTER", "INFO"],
        ["CLUSTER", "NODES"],
        ["INFO", "replication"],
      ]);
    } catch (error) {
      return `node ${port} did not answer (${error instanceof Error ? error.message : String(error)})`;
    }
    const [info, nodes, replication] = replies.map((reply) =>
      typeof reply === "string" ? reply : "",
    );
    if (!info?.includes("cluster_state:ok")) return `node ${port} cluster_state is not ok`;
    if (!info.includes(`cluster_known_nodes:${servers.length}\r\n`)) {
      return `node ${port} does not know all ${servers.length} nodes`;
    }
    const replicasSeen = (nodes ?? "").split("\n").filter((line) => /\bslave\b/.test(line)).length;
    if (replicasSeen !== replicaCount)
      return `node ${port} sees ${replicasSeen}/${replicaCount} replicas`;
    if (replication?.includes("master_link_status:down"))
      return `node ${port} replica link is down`;
  }
  return "";
}

class Cluster implements RedisClusterHandle {
  #stopping: Promise<void> | undefined;

  constructor(
    private readonly servers: RedisProcess[],
    private readonly dir: string,
    private readonly unregister: () => void,
  ) {}

  get nodes(): readonly RedisClusterNode[] {
    return this.servers.map((server) => ({ host: "127.0.0.1", port: server.spec.port }));
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.all(this.servers.map((server) => server.stop()));
      removeDir(this.dir);
      this.unregister();
    })();
    return this.#stopping;
  }

  killNode(port: number, signal: NodeJS.Signals): Promise<void> {
    return this.#node(port).kill(signal);
  }

  async restartNode(port: number): Promise<void> {
    if (this.#stopping !== undefined) throw new Error("cannot restart a node of a stopped cluster");
    const server = this.#node(port);
    await server.stop();
    await server.start();
  }

  #node(port: number): RedisProcess {
    const server = this.servers.find((candidate) => candidate.spec.port === port);
    if (server === undefined) throw new Error(`no cluster node on port ${port}`);
    return server;
  }
}
