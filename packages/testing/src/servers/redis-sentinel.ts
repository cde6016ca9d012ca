import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { registerCleanup } from "./cleanup-registry.js";
import { freeLoopbackPorts } from "./free-ports.js";
import { type RedisProcess, startOnFreePorts } from "./redis-process.js";
import { RespErrorReply, type RespReply, sendCommands } from "./resp-command.js";
import { SentinelProcess } from "./sentinel-process.js";
import { sleep } from "./server-process.js";
import { makeTempDir, removeDir } from "./temp-dir.js";

/** Options of {@link startRedisSentinelGroup}. */
export interface RedisSentinelGroupOptions {
  /** Name the sentinels monitor the master under. @default "mymaster" */
  readonly masterName?: string;
  /** `requirepass` (and `masterauth`) of the master and the replica; sentinels get `auth-pass`. */
  readonly password?: string;
  /** `requirepass` of the sentinels themselves (and `sentinel-pass` between them). */
  readonly sentinelPassword?: string;
}

/** Address of one Sentinel. */
export interface RedisSentinelAddress {
  readonly host: string;
  readonly port: number;
}

/** 1 master + 1 replica + 3 sentinels, started for a test. */
export interface RedisSentinelGroupHandle {
  readonly masterName: string;
  /** The three sentinels (use as ioredis `sentinels` or node-redis `sentinelRootNodes`). */
  readonly sentinels: readonly RedisSentinelAddress[];
  /** Ports of the two data nodes, the initial master first. */
  readonly nodePorts: readonly number[];
  /** `redis-sentinel://[:pw@]127.0.0.1:p1,…?master=<name>`, with the data nodes' password. */
  readonly url: string;
  /** Port of the master as the sentinels currently report it. */
  masterPort(): Promise<number>;
  /** Sends `SENTINEL FAILOVER <name>`; resolves once a sentinel accepted it (not once done). */
  failover(): Promise<void>;
  /**
   * Resolves once the topology is at rest: every sentinel names the same master, that node is a
   * master, and every other running data node replicates from it with its link up. Returns the
   * master's port. Rejects after `timeoutMs` (default 30 s).
   */
  settled(timeoutMs?: number): Promise<number>;
  /** Sends `signal` to the current master's process; resolves with its port once it exited. */
  killMaster(signal: NodeJS.Signals): Promise<number>;
  /** Terminates every process and removes the group's directory. Idempotent. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const SENTINEL_COUNT = 3;
const QUORUM = 2;

/**
 * Starts a master, a replica and three sentinels on free loopback ports (configs in a temp
 * directory; down-after 1 s, failover-timeout 5 s, diskless sync without delay, everything
 * announced as 127.0.0.1). Resolves once every sentinel knows the master, the replica and the
 * other two sentinels (~2–3 s: sentinels discover each other on a 2 s hello period). Every
 * process is also killed when the test process exits.
 */
export async function startRedisSentinelGroup(
  options: RedisSentinelGroupOptions = {},
): Promise<RedisSentinelGroupHandle> {
  const name = options.masterName ?? "mymaster";
  const dir = makeTempDir("redis-sentinel");
  const unregister = registerCleanup(() => removeDir(dir));
  const group = new SentinelGroup(name, dir, options, unregister);
  try {
    await group.start();
    return group;
  } catch (error) {
    await group.stop();
    throw error;
  }
}

class SentinelGroup implements RedisSentinelGroupHandle {
  readonly #nodes: RedisProcess[] = [];
  readonly #sentinels: SentinelProcess[] = [];
  #stopping: Promise<void> | undefined;

  constructor(
    readonly masterName: string,
    private readonly dir: string,
    private readonly options: RedisSentinelGroupOptions,
    private readonly unregister: () => void,
  ) {}

  get sentinels(): readonly RedisSentinelAddress[] {
    return this.#sentinels.map((s) => ({ host: "127.0.0.1", port: s.spec.port }));
  }

  get nodePorts(): readonly number[] {
    return this.#nodes.map((node) => node.spec.port);
  }

  get url(): string {
    const password = this.options.password;
    const auth = password === undefined ? "" : `:${encodeURIComponent(password)}@`;
    const hosts = this.sentinels.map((s) => `${s.host}:${s.port}`).join(",");
    return `redis-sentinel://${auth}${hosts}?master=${encodeURIComponent(this.masterName)}`;
  }

  async start(): Promise<void> {
    const master = await this.#startNode("node-0", []);
    await this.#startNode("node-1", ["--replicaof", "127.0.0.1", String(master.spec.port)]);
    for (let i = 0; i < SENTINEL_COUNT; i++) await this.#startSentinel(i, master.spec.port);
    await this.#waitUntil(() => this.#readinessProblem(), "sentinel group not ready");
  }

  async masterPort(): Promise<number> {
    let lastError: unknown;
    for (const sentinel of this.#sentinels) {
      try {
        return await this.#reportedMaster(sentinel.spec.port);
      } catch (error) {
        lastError = error;
      }
    }
    throw new Error(`no sentinel reported the master: ${String(lastError)}`);
  }

  async failover(): Promise<void> {
    const [sentinel] = this.#sentinels;
    const reply = await this.#askSentinel(sentinel!.spec.port, [
      "SENTINEL",
      "FAILOVER",
      this.masterName,
    ]);
    if (reply !== "OK") throw new Error(`SENTINEL FAILOVER answered ${JSON.stringify(reply)}`);
  }

  async settled(timeoutMs = READY_TIMEOUT_MS): Promise<number> {
    let port = 0;
    await this.#waitUntil(
      async () => {
        const problem = await this.#settledProblem();
        if (typeof problem === "number") {
          port = problem;
          return "";
        }
        return problem;
      },
      "sentinel group did not settle",
      timeoutMs,
    );
    return port;
  }

  async killMaster(signal: NodeJS.Signals): Promise<number> {
    const port = await this.masterPort();
    const node = this.#nodes.find((candidate) => candidate.spec.port === port);
    if (node === undefined) throw new Error(`the master ${port} is not a node of this group`);
    await node.kill(signal);
    return port;
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.all([
        ...this.#sentinels.map((sentinel) => sentinel.stop()),
        ...this.#nodes.map((node) => node.stop()),
      ]);
      removeDir(this.dir);
      this.unregister();
    })();
    return this.#stopping;
  }

  async #startNode(label: string, extra: readonly string[]): Promise<RedisProcess> {
    const dir = join(this.dir, label);
    mkdirSync(dir, { recursive: true });
    const { password } = this.options;
    const node = await startOnFreePorts(1, ([port]) => ({
      port: port!,
      dir,
      args: [
        "--repl-diskless-sync-delay",
        "0",
        "--replica-announce-ip",
        "127.0.0.1",
        ...(password === undefined ? [] : ["--masterauth", password]),
        ...extra,
      ],
      ...(password === undefined ? {} : { password }),
    }));
    this.#nodes.push(node);
    return node;
  }

  async #startSentinel(index: number, masterPort: number): Promise<void> {
    const dir = join(this.dir, `sentinel-${index}`);
    mkdirSync(dir, { recursive: true });
    const { password, sentinelPassword } = this.options;
    const name = this.masterName;
    const config = [
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} ${QUORUM}`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      ...(password === undefined ? [] : [`sentinel auth-pass ${name} ${password}`]),
      ...(sentinelPassword === undefined ? [] : [`sentinel sentinel-pass ${sentinelPassword}`]),
    ];
    // Retry on a fresh port when another process took the probed one before the bind.
    for (let attempt = 1; ; attempt++) {
      const [port] = await freeLoopbackPorts(1);
      const sentinel = new SentinelProcess({
        port: port!,
        dir,
        config,
        ...(sentinelPassword === undefined ? {} : { password: sentinelPassword }),
      });
      try {
        await sentinel.start();
        this.#sentinels.push(sentinel);
        return;
      } catch (error) {
        if (!/Address already in use/i.test(String(error)) || attempt >= 5) throw error;
      }
    }
  }

  /** "" when every sentinel knows the master, the replica and the other sentinels. */
  async #readinessProblem(): Promise<string> {
    for (const sentinel of this.#sentinels) {
      const port = sentinel.spec.port;
      const reply = await this.#askSentinel(port, ["SENTINEL", "MASTER", this.masterName]);
      const fields = fieldsOf(reply);
      if (fields.get("num-other-sentinels") !== String(SENTINEL_COUNT - 1)) {
        return `sentinel ${port} knows ${fields.get("num-other-sentinels")} other sentinels`;
      }
      if (fields.get("num-slaves") !== "1") return `sentinel ${port} knows no replica yet`;
    }
    const replica = this.#nodes[1]!.spec.port;
    const info = await this.#askNode(replica, ["INFO", "replication"]);
    if (!String(info).includes("master_link_status:up")) return `replica ${replica} not in sync`;
    return "";
  }

  /** The master's port when the topology is at rest, else what is still moving. */
  async #settledProblem(): Promise<number | string> {
    const reported = new Set<number>();
    for (const sentinel of this.#sentinels) {
      reported.add(await this.#reportedMaster(sentinel.spec.port));
    }
    if (reported.size !== 1) return `sentinels disagree on the master: ${[...reported]}`;
    const [master] = reported;
    const role = String(await this.#askNode(master!, ["INFO", "replication"]));
    if (!role.includes("role:master")) return `node ${master} is not a master yet`;
    for (const node of this.#nodes) {
      if (!node.running || node.spec.port === master) continue;
      const info = String(await this.#askNode(node.spec.port, ["INFO", "replication"]));
      if (!info.includes(`master_port:${master}`) || !info.includes("master_link_status:up")) {
        return `node ${node.spec.port} does not replicate from ${master} yet`;
      }
    }
    return master!;
  }

  async #reportedMaster(sentinelPort: number): Promise<number> {
    const reply = await this.#askSentinel(sentinelPort, [
      "SENTINEL",
      "GET-MASTER-ADDR-BY-NAME",
      this.masterName,
    ]);
    const port = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    if (!Number.isInteger(port)) throw new Error(`sentinel ${sentinelPort} answered ${reply}`);
    return port;
  }

  #askSentinel(port: number, command: readonly string[]): Promise<RespReply> {
    return ask(port, command, this.options.sentinelPassword);
  }

  #askNode(port: number, command: readonly string[]): Promise<RespReply> {
    return ask(port, command, this.options.password);
  }

  async #waitUntil(
    problem: () => Promise<string>,
    what: string,
    timeoutMs = READY_TIMEOUT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      try {
        last = await problem();
        if (last === "") return;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) {
        const logs = this.#sentinels.map(
          (s) => `--- sentinel ${s.spec.port} ---\n${s.logTail().slice(-800)}`,
        );
        throw new Error(`${what}: ${last}\n${logs.join("\n")}`);
      }
      await sleep(50);
    }
  }
}

/** One command on a short-lived connection, authenticating first when a password is set. */
async function ask(
  port: number,
  command: readonly string[],
  password: string | undefined,
): Promise<RespReply> {
  const commands = password === undefined ? [command] : [["AUTH", password], command];
  const replies = await sendCommands(port, commands, 2000);
  const reply = replies.at(-1) ?? null;
  if (reply instanceof RespErrorReply) throw new Error(`${port}: ${reply.message}`);
  return reply;
}

/** A flat `[field, value, …]` reply as a map. */
function fieldsOf(reply: RespReply): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), String(reply[i + 1]));
  return fields;
}
