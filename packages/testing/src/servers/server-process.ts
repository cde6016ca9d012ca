import { type ChildProcess, spawn } from "node:child_process";
import { registerCleanup } from "./cleanup-registry.js";
import { redisBinary } from "./redis-binaries.js";
import { sendCommands } from "./resp-command.js";

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const LOG_TAIL_CHARS = 4_000;

/**
 * One redis-server child process, plain or `--sentinel` (not daemonized, so its exit is observed
 * at once). While it runs it is in the cleanup registry, which kills it when the test process
 * exits; between operations the child is unref'd so a forgotten server never keeps the test
 * process alive. Subclasses say how to launch it and how to report a failed start.
 */
export abstract class ServerProcess {
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #closed: Promise<void> = Promise.resolve();
  #running = false;
  #log = "";

  /** The port it listens on (127.0.0.1). */
  abstract readonly port: number;
  /** The password it requires, if any (PING needs AUTH first). */
  abstract readonly password: string | undefined;

  /** Arguments of redis-server; called on every start, so it may write config files. */
  protected abstract commandLine(): string[];

  /** The error `start` rejects with, from the reason and the log tail. */
  protected abstract startError(reason: string, logTail: string): Error;

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
    if (this.#running) throw new Error(`the server on port ${this.port} is already running`);
    const child = spawn(redisBinary("redis-server"), this.commandLine(), {
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
      throw this.startError(error instanceof Error ? error.message : String(error), this.#log);
    }
    child.unref();
    for (const stream of [child.stdout, child.stderr]) {
      (stream as { unref?: () => void } | null)?.unref?.();
    }
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
    const timer = setTimeout(() => this.killNow(), STOP_GRACE_MS);
    await this.#exited;
    clearTimeout(timer);
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

  async #waitUntilPingable(deadline: number): Promise<void> {
    const commands = this.password === undefined ? [["PING"]] : [["AUTH", this.password], ["PING"]];
    for (;;) {
      if (!this.#running) throw new Error("the process exited");
      try {
        const replies = await sendCommands(this.port, commands, 1000);
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

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
