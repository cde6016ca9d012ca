import { type ChildProcess, spawn } from "node:child_process";
import { registerCleanup } from "./cleanup-registry.js";
import { freeLoopbackPorts } from "./free-ports.js";
import { redisBinary } from "./redis-binaries.js";
import { sendCommands } from "./resp-command.js";

/** How to launch one redis-server; the same spec is reused by `restart`. */
export interface RedisProcessSpec {
  readonly port: number;
  /** Working directory (`--dir`); must exist. */
  readonly dir: string;
  /** Extra redis-server arguments, after (so able to override) the defaults. */
  readonly args: readonly string[];
  readonly password?: string;
}

/** A redis-server that did not come up; `addressInUse` tells a raced port from a real failure. */
export class RedisStartError extends Error {
  override readonly name = "RedisStartError";
  constructor(
    message: string,
    readonly addressInUse: boolean,
  ) {
    super(message);
  }
}

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const LOG_TAIL_CHARS = 4_000;

/**
 * One redis-server child process (not daemonized, so exit is observed immediately). While it
 * runs it is in the cleanup registry, which kills it when the test process exits; between
 * operations the child is unref'd so a forgotten server never keeps the test process alive.
 */
export class RedisProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #closed: Promise<void> = Promise.resolve();
  #running = false;
  #log = "";

  constructor(readonly spec: RedisProcessSpec) {}

  /** PID of the running server, undefined when it is not running. */
  get pid(): number | undefined {
    return this.#running ? this.#child?.pid : undefined;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The last few KB the server wrote to stdout/stderr (its log). */
  logTail(): string {
    return this.#log;
  }

  /** Spawns the server and resolves once it answers PING; rejects with the log tail otherwise. */
  async start(): Promise<void> {
    if (this.#running) throw new Error(`redis-server on port ${this.spec.port} is already running`);
    const child = spawn(redisBinary("redis-server"), this.#commandLine(), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    this.#running = true;
    const unregister = registerCleanup(() => this.killNow());
    this.#exited = new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", (error) => {
        this.#appendLog(`spawn failed: ${error.message}\n`);
        resolve();
      });
    }).then(() => {
      this.#running = false;
      unregister();
    });
    this.#closed = new Promise((resolve) => child.once("close", () => resolve()));
    child.stdout?.on("data", (chunk: Buffer) => this.#appendLog(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => this.#appendLog(chunk.toString("utf8")));
    try {
      await this.#waitUntilPingable(Date.now() + START_TIMEOUT_MS);
    } catch (error) {
      this.killNow();
      await this.#exited;
      // give the pipes a moment to deliver the last log lines, which explain the failure
      await Promise.race([this.#closed, sleep(500)]);
      const log = this.logTail();
      const reason = error instanceof Error ? error.message : String(error);
      throw new RedisStartError(
        `redis-server on 127.0.0.1:${this.spec.port} did not start: ${reason}\n--- log tail ---\n${log}`,
        /Address already in use/i.test(log),
      );
    }
    this.#detach(child);
  }

  /** Sends `signal` and resolves once the process has exited (no-op when not running). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!this.#running || child === undefined) return;
    child.ref();
    child.kill(signal);
    await this.#exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited after a grace period; resolves once gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!this.#running || child === undefined) return;
    child.ref();
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const escalate = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.killNow();
        resolve();
      }, STOP_GRACE_MS);
    });
    await Promise.race([this.#exited, escalate]);
    clearTimeout(timer);
    await this.#exited;
  }

  /** Synchronous SIGKILL, for exit handlers that cannot wait. */
  killNow(): void {
    const pid = this.pid;
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  #commandLine(): string[] {
    const { port, dir, password, args } = this.spec;
    return [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--protected-mode",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      "--daemonize",
      "no",
      "--logfile",
      "",
      "--shutdown-on-sigterm",
      "now",
      ...(password === undefined ? [] : ["--requirepass", password]),
      ...args,
    ];
  }

  async #waitUntilPingable(deadline: number): Promise<void> {
    const { port, password } = this.spec;
    const commands = password === undefined ? [["PING"]] : [["AUTH", password], ["PING"]];
    for (;;) {
      if (!this.#running) throw new Error("the process exited");
      try {
        const replies = await sendCommands(port, commands, 1000);
        if (replies.at(-1) === "PONG") return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`no PONG within ${START_TIMEOUT_MS} ms`);
      await sleep(20);
    }
  }

  #detach(child: ChildProcess): void {
    child.unref();
    for (const stream of [child.stdout, child.stderr]) {
      (stream as { unref?: () => void } | null)?.unref?.();
    }
  }

  #appendLog(text: string): void {
    this.#log = (this.#log + text).slice(-LOG_TAIL_CHARS);
  }
}

/**
 * Starts a redis-server on freshly probed ports, retrying with new ports when one was taken
 * between the probe and the bind. `makeSpec` receives `portCount` distinct free ports.
 */
export async function startOnFreePorts(
  portCount: number,
  makeSpec: (ports: readonly number[]) => RedisProcessSpec,
  attempts = 5,
): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    const server = new RedisProcess(makeSpec(await freeLoopbackPorts(portCount)));
    try {
      await server.start();
      return server;
    } catch (error) {
      const raced = error instanceof RedisStartError && error.addressInUse;
      if (!raced || attempt >= attempts) throw error;
    }
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
