import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { ChildJob, ChildMessage, ParentMessage, ResultMessage } from "./protocol.js";

/** How to start a child: the script and the Node flags it needs. */
export interface ChildEntry {
  readonly script: string;
  readonly execArgv: readonly string[];
  /** Write CPU profiles of every child (one per thread) under `<profileDir>/<role>-<system>/`. */
  readonly profileDir?: string;
}

/** Longest a child may take to get ready or to finish its measured part. */
const CHILD_TIMEOUT_MS = 10 * 60_000;

/** One child process running one job, driven through ready → go → result → finish. */
export class ChildRun {
  readonly #child: ChildProcess;
  readonly #ready: Promise<void>;
  readonly #result: Promise<ResultMessage>;
  readonly #exited: Promise<number | null>;

  constructor(entry: ChildEntry, job: ChildJob) {
    this.#child = fork(entry.script, [JSON.stringify(job)], {
      execArgv: [
        ...entry.execArgv,
        ...(entry.profileDir === undefined
          ? []
          : [
              "--cpu-prof",
              `--cpu-prof-dir=${join(entry.profileDir, `${job.role}-${job.system}`)}`,
            ]),
      ],
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const failed = new Promise<never>((_, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${job.system} ${job.role}: child timed out`)),
        CHILD_TIMEOUT_MS,
      );
      timer.unref();
      this.#child.on("message", (message: ChildMessage) => {
        if (message.type === "error")
          reject(new Error(`${job.system} ${job.role}: ${message.message}`));
      });
      this.#child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`${job.system} ${job.role}: child exited with ${code}`));
      });
    });
    failed.catch(() => {});
    const next = (type: ChildMessage["type"]) =>
      Promise.race([
        failed,
        new Promise<ChildMessage>((resolve) => {
          const onMessage = (message: ChildMessage) => {
            if (message.type !== type) return;
            this.#child.off("message", onMessage);
            resolve(message);
          };
          this.#child.on("message", onMessage);
        }),
      ]);
    this.#ready = next("ready").then(() => {});
    this.#result = next("result") as Promise<ResultMessage>;
    this.#result.catch(() => {});
    this.#exited = new Promise((resolve) => this.#child.once("exit", (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves once the child is connected and waiting for `go`. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Starts the measured part. */
  go(): void {
    this.#send({ type: "go" });
  }

  /** The child's report of its measured part. */
  result(): Promise<ResultMessage> {
    return this.#result;
  }

  /** Lets the child close its connections and exit; resolves once it has exited. */
  async finish(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.connected) this.#send({ type: "finish" });
    await this.#exited;
  }

  /** Kills the child (after a failure). */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null) this.#child.kill("SIGKILL");
    await this.#exited;
  }

  #send(message: ParentMessage): void {
    this.#child.send(message);
  }
}
