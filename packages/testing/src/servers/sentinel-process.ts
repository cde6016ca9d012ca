import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ServerProcess } from "./server-process.js";

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

/**
 * One `redis-server --sentinel` child process. Sentinel needs a writable config file as its
 * first argument (it saves its state there), written here before every start.
 */
export class SentinelProcess extends ServerProcess {
  constructor(readonly spec: SentinelSpec) {
    super();
  }

  get port(): number {
    return this.spec.port;
  }

  get password(): string | undefined {
    return this.spec.password;
  }

  protected commandLine(): string[] {
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
    return [file, "--sentinel"];
  }

  protected startError(reason: string, logTail: string): Error {
    return new Error(
      `sentinel on 127.0.0.1:${this.spec.port} did not start: ${reason}\n--- log tail ---\n${logTail}`,
    );
  }
}
