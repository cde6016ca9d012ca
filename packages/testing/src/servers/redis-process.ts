import { freeLoopbackPorts } from "./free-ports.js";
import { ServerProcess } from "./server-process.js";

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

/**
 * One redis-server child process started from a spec, which `restart` reuses (see
 * `ServerProcess` for its life cycle and cleanup).
 */
export class RedisProcess extends ServerProcess {
  constructor(readonly spec: RedisProcessSpec) {
    super();
  }

  get port(): number {
    return this.spec.port;
  }

  get password(): string | undefined {
    return this.spec.password;
  }

  protected commandLine(): string[] {
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

  protected startError(reason: string, logTail: string): Error {
    return new RedisStartError(
      `redis-server on 127.0.0.1:${this.spec.port} did not start: ${reason}\n--- log tail ---\n${logTail}`,
      /Address already in use/i.test(logTail),
    );
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
