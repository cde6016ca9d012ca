// Shared set-up of the end-to-end server tests on real Redis: a broker per test, isolated by key
// prefix, a client, a recording logger, servers on the real clock, and bounded waits.

import {
  type AsynqError,
  Client,
  type Handler,
  type ServeMux,
  Server,
  type ServerConfig,
  type TaskRecord,
} from "@asynq-ts/core";
import { aborted, type Gate, gate, type LogEntry, recordingLogger } from "@asynq-ts/testing";
import { createRedisBroker, type RedisBroker } from "../../src/index.js";

export { type LogEntry, recordingLogger };

/** Resolves after `ms` of real time. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every `step` ms until it holds; fails after `within` ms of polling. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  within = 10_000,
  step = 10,
): Promise<void> {
  const rounds = Math.ceil(within / step);
  for (let i = 0; i < rounds; i++) {
    if (await condition()) return;
    await delay(step);
  }
  throw new Error(`${what} did not hold within ${within} ms`);
}

export { aborted, type Gate, gate };

/** The stable code of an asynq error. */
export const codeOf = (error: unknown): string => (error as AsynqError).code;

/** Retries of these tests wait an hour unless a test says otherwise: they stay in "retry". */
export const LONG_RETRY_DELAY = 3_600_000;

let worlds = 0;

/**
 * A test world on one Redis server: its own key prefix (so tests never see each other's keys),
 * a broker, a client, a logger and the servers it started, all on the real clock.
 */
export class RedisWorld {
  readonly url: string;
  readonly prefix: string;
  readonly broker: RedisBroker;
  readonly client: Client;
  readonly logger = recordingLogger();
  readonly #servers: Server[] = [];
  readonly #brokers: RedisBroker[] = [];
  readonly #notifications: boolean;

  /** `notifications: false` makes every broker of the world publish no wake-ups. */
  constructor(url: string, options: { readonly notifications?: boolean } = {}) {
    this.url = url;
    this.#notifications = options.notifications ?? true;
    this.prefix = `srv-${process.pid}-${++worlds}`;
    this.broker = this.connect();
    this.client = new Client(this.broker);
  }

  /** Another broker (its own connections) on the same keys, as another process would have. */
  connect(): RedisBroker {
    const broker = createRedisBroker({
      url: this.url,
      prefix: this.prefix,
      notifications: this.#notifications,
    });
    this.#brokers.push(broker);
    return broker;
  }

  /** A server on this world's broker; `config` overrides the test defaults. */
  server(config: ServerConfig = {}, broker: RedisBroker = this.broker): Server {
    const server = new Server(broker, {
      logger: this.logger,
      logLevel: "debug",
      concurrency: 1,
      retryDelay: () => LONG_RETRY_DELAY,
      delayedTaskCheckInterval: 100,
      shutdownTimeout: 1_000,
      ...config,
    });
    this.#servers.push(server);
    return server;
  }

  /** Starts a server with `handler`. */
  start(handler: Handler | ServeMux, config: ServerConfig = {}): Server {
    const server = this.server(config);
    server.start(handler);
    return server;
  }

  /** The stored task, or undefined when it does not exist. */
  async task(taskId: string, queue = "default"): Promise<TaskRecord | undefined> {
    const found = await this.broker.getTask({ queue, taskId, now: Date.now() });
    return found.ok ? found.task : undefined;
  }

  /** Waits (bounded) until the task is in `state` ("deleted" = gone). */
  async untilState(taskId: string, state: string, queue = "default", within = 10_000) {
    await eventually(
      async () => ((await this.task(taskId, queue))?.state ?? "deleted") === state,
      `task ${taskId} ${state}`,
      within,
    );
  }

  /** The queue's statistics. */
  async stats(queue = "default") {
    const result = await this.broker.queueStats({ queue, now: Date.now() });
    if (!result.ok) throw new Error(`no stats for queue ${queue}: ${result.reason}`);
    return result.stats;
  }

  /** Log entries at `level` whose message contains `text`. */
  logged(level: LogEntry["level"], text: string): LogEntry[] {
    return this.logger.entries.filter((e) => e.level === level && e.message.includes(text));
  }

  /** Shuts down every server and closes every broker. */
  async dispose(): Promise<void> {
    for (const server of this.#servers) await server.shutdown();
    for (const broker of this.#brokers) await broker.close();
  }
}
