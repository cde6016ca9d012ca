import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { registerCleanup } from "./cleanup-registry.js";
import { redisBinary } from "./redis-binaries.js";
import { sleep } from "./redis-process.js";
import { sendCommands } from "./resp-command.js";

/** How to launch one Sentinel. */
export interface SentinelSpec {
  readonly port: number;
  /** Its own directory: Sentinel rewrites its config file there. */
  readonly dir: string;
  /** Config lines after `port`/`bind`/`dir` (the `sentinel monitor …` block). */
  readonly config: readonly string[];
  /** `requirepass` of the Sentinel itself. */
  readonly password?: string;
}

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const LOG_TAIL_CHARS = 4_000;

/**
 * One `redis-server --sentinel` child process. Sentinel needs a writable config file as its
 * first argument (it saves its state there), which the plain redis-server launcher cannot give,
 * hence this small twin of `RedisProcess`. Registered for cleanup while it runs.
 */
export class SentinelProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #running = false;
  #log = "";

  constructor(readonly spec: SentinelSpec) {}

  /** The last few KB the Sentinel logged. */
  logTail(): string {
    return this.#log;
  }

  /** Writes the config, spawns the Sentinel and resolves once it answers PING. */
  async start(): Promise<void> {
    const { port, dir, config, password } = this.spec;
    const file = join(dir, "sentinel.conf");
    const lines = [
      `port ${port}`,
      "bind 127.0.0.1",
      "protected-mode no",
      `dir ${dir}`,
      "daemonize no",
      'logfile ""',
      "sentinel announce-ip 127.0.0.1",
      ...(password === undefined ? [] : [`requirepass ${password}`]),
      ...config,
    ];
    writeFileSync(file, `${lines.join("\n")}\n`);
    const child = spawn(redisBinary("redis-server"), [file, "--sentinel"], {
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
    child.stdout?.on("data", (chunk: Buffer) => this.#appendLog(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => this.#appendLog(chunk.toString("utf8")));
    try {
      await this.#waitUntilPingable(Date.now() + START_TIMEOUT_MS);
    } catch (error) {
      this.killNow();
      await this.#exited;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `sentinel on 127.0.0.1:${port} did not start: ${reason}\n--- log tail ---\n${this.#log}`,
      );
    }
    child.unref();
    for (const stream of [child.stdout, child.stderr]) {
      (stream as { unref?: () => void } | null)?.unref?.();
    }
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!this.#running || child === undefined) return;
    child.ref();
    child.kill("SIGTERM");
    const timer = setTimeout(() => this.killNow(), STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Synchronous SIGKILL, for exit handlers. */
  killNow(): void {
    const pid = this.#running ? this.#child?.pid : undefined;
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
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

  #appendLog(text: string): void {
    this.#log = (this.#log + text).slice(-LOG_TAIL_CHARS);
  }
}
