// Shared set-up of the server tests: a memory broker, a fake clock that also drives the
// server's timers, a client, a recording logger, and helpers to wait for asynchronous work.

import { createMemoryBroker, type MemoryBroker } from "@asynq-ts/backend-memory";
import {
  Client,
  type Handler,
  type ServeMux,
  Server,
  type ServerConfig,
  seededRandom,
  type TaskRecord,
} from "@asynq-ts/core";
import {
  aborted,
  FakeClock,
  type Gate,
  gate,
  type LogEntry,
  recordingLogger,
} from "@asynq-ts/testing";

export { type LogEntry, recordingLogger };

/** Lets the event loop turn until `condition` holds; fails after a bounded number of turns. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what = "condition",
  turns = 5_000,
): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} did not hold after ${turns} event-loop turns`);
}

export { aborted, type Gate, gate };

/** The fixed retry delay the tests use unless they set their own. */
export const RETRY_DELAY = 10_000;

/** A test world: broker, clock, client, logger, and the servers it started. */
export class World {
  readonly clock = new FakeClock();
  readonly broker: MemoryBroker = createMemoryBroker();
  readonly client = new Client(this.broker, { clock: this.clock });
  readonly logger = recordingLogger();
  readonly #servers: Server[] = [];
  #serverCount = 0;

  /** A server on this world's broker and clock; `config` overrides the test defaults. */
  server(config: ServerConfig = {}, broker = this.broker): Server {
    const id = ++this.#serverCount;
    const server = new Server(broker, {
      clock: this.clock,
      logger: this.logger,
      logLevel: "debug",
      concurrency: 1,
      retryDelay: () => RETRY_DELAY,
      random: seededRandom(7),
      ids: { next: () => `server-${id}` },
      ...config,
    });
    this.#servers.push(server);
    return server;
  }

  /** Starts a server with `handler` and lets its start-up work (first heartbeat…) settle. */
  async start(handler: Handler | ServeMux, config: ServerConfig = {}): Promise<Server> {
    const server = this.server(config);
    server.start(handler);
    await this.clock.flush();
    return server;
  }

  /** The stored task, or undefined when it does not exist. */
  async task(taskId: string, queue = "default"): Promise<TaskRecord | undefined> {
    const found = await this.broker.getTask({ queue, taskId, now: this.clock.now() });
    return found.ok ? found.task : undefined;
  }

  /** Waits until the task is in `state` ("deleted" = gone). */
  async untilState(taskId: string, state: string, queue = "default"): Promise<void> {
    await until(
      async () => ((await this.task(taskId, queue))?.state ?? "deleted") === state,
      `task ${taskId} ${state}`,
    );
  }

  /** Log entries at `level` whose message contains `text`. */
  logged(level: LogEntry["level"], text: string): LogEntry[] {
    return this.logger.entries.filter((e) => e.level === level && e.message.includes(text));
  }

  /** Shuts down every server (stepping the clock past shutdown timeouts) and closes the broker. */
  async dispose(): Promise<void> {
    for (const server of this.#servers) {
      let done = false;
      const shutdown = server.shutdown().then(() => {
        done = true;
      });
      for (let i = 0; i < 60 && !done; i++) await this.clock.tick(1_000);
      await shutdown;
    }
    await this.broker.close();
  }
}
