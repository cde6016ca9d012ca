import { registerCleanup } from "./cleanup-registry.js";
import { type RedisProcess, startOnFreePorts } from "./redis-process.js";
import { makeTempDir, removeDir } from "./temp-dir.js";

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Extra redis-server arguments, e.g. `["--maxmemory", "10mb"]`; they override the defaults. */
  readonly args?: readonly string[];
  /** Sets `requirepass`; the handle's `url` then carries it. */
  readonly password?: string;
}

/** A redis-server child process started for a test. */
export interface RedisServerHandle {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>`, with the password when one is set. */
  readonly url: string;
  /** PID of the current process; undefined while killed. Changes on restart. */
  readonly pid: number | undefined;
  /** Terminates the server (SIGTERM, then SIGKILL) and removes its directory. Idempotent. */
  stop(): Promise<void>;
  /** Sends a signal (e.g. SIGKILL for crash tests) and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and directory (stopping it first if running). */
  restart(): Promise<void>;
}

/**
 * Spawns `redis-server` on a free loopback port with persistence off and its own temp
 * directory, and resolves once it answers PING. Every server is also killed when the test
 * process exits, so a forgotten `stop()` leaks nothing.
 */
export async function startRedisServer(
  options: RedisServerOptions = {},
): Promise<RedisServerHandle> {
  const dir = makeTempDir("redis");
  const unregister = registerCleanup(() => removeDir(dir));
  let server: RedisProcess;
  try {
    server = await startOnFreePorts(1, ([port]) => ({
      port: port!,
      dir,
      args: options.args ?? [],
      ...(options.password === undefined ? {} : { password: options.password }),
    }));
  } catch (error) {
    unregister();
    removeDir(dir);
    throw error;
  }
  return new StandaloneServer(server, dir, unregister);
}

/** Runs `body` with a fresh server and always stops it afterwards. */
export async function withRedisServer<T>(
  body: (server: RedisServerHandle) => Promise<T>,
  options: RedisServerOptions = {},
): Promise<T> {
  const server = await startRedisServer(options);
  try {
    return await body(server);
  } finally {
    await server.stop();
  }
}

class StandaloneServer implements RedisServerHandle {
  readonly host = "127.0.0.1";
  readonly port: number;
  readonly url: string;
  #stopping: Promise<void> | undefined;

  constructor(
    private readonly server: RedisProcess,
    private readonly dir: string,
    private readonly unregister: () => void,
  ) {
    this.port = server.spec.port;
    const password = server.spec.password;
    const auth = password === undefined ? "" : `:${encodeURIComponent(password)}@`;
    this.url = `redis://${auth}${this.host}:${this.port}`;
  }

  get pid(): number | undefined {
    return this.server.pid;
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.server.stop();
      removeDir(this.dir);
      this.unregister();
    })();
    return this.#stopping;
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    return this.server.kill(signal);
  }

  async restart(): Promise<void> {
    if (this.#stopping !== undefined) throw new Error("cannot restart a stopped redis server");
    await this.server.stop();
    await this.server.start();
  }
}
