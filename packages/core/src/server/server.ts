import { hostname } from "node:os";
import { BrokerClosedError, FailedPreconditionError, InvalidArgumentError } from "../errors.js";
import type { Handler } from "../handler/handler.js";
import { ServeMux } from "../handler/serve-mux.js";
import type { Broker } from "../port/broker.js";
import type { ServerKey } from "../port/records.js";
import { createQueueSelector } from "../queues/queue-selection.js";
import { errorText } from "../state-machine/outcome.js";
import { Acknowledger } from "./acknowledger.js";
import { ActiveTasks } from "./active-tasks.js";
import { Aggregator } from "./aggregator.js";
import { CancellationSubscriber } from "./cancellation-subscriber.js";
import { type ResolvedServerConfig, resolveServerConfig, type ServerConfig } from "./config.js";
import { Forwarder } from "./forwarder.js";
import { HealthChecker } from "./health-checker.js";
import { Heartbeater } from "./heartbeater.js";
import { Janitor } from "./janitor.js";
import { Processor } from "./processor.js";
import { Recoverer } from "./recoverer.js";
import { Syncer } from "./syncer.js";

/** Where a server is in its life: new → active → stopped → closed (stopped may be skipped). */
export type ServerState = "new" | "active" | "stopped" | "closed";

/** The shape every server component shares. */
interface Component {
  start(): void;
  stop(): Promise<void>;
}

/** The running components, in the order they stop (Go asynq §4.5). */
interface Components {
  readonly forwarder: Forwarder;
  readonly processor: Processor;
  readonly recoverer: Recoverer;
  readonly syncer: Syncer;
  readonly subscriber: CancellationSubscriber;
  readonly janitor: Janitor;
  readonly aggregator: Aggregator;
  readonly healthChecker: HealthChecker | undefined;
  readonly heartbeater: Heartbeater;
}

function toHandler(handler: Handler | ServeMux): Handler {
  if (handler instanceof ServeMux) return handler.process;
  if (typeof handler === "function") return handler;
  throw new InvalidArgumentError("handler", "must be a function or a ServeMux");
}

/**
 * Pulls tasks from a broker and runs a handler on them, with Go asynq's machinery around it:
 * retries, timeouts, leases and their recovery, forwarding of scheduled tasks, cleanup of
 * completed ones, aggregation of grouped tasks, cancellation, liveness records and graceful
 * shutdown.
 *
 * ```ts
 * const server = new Server(broker, { concurrency: 20, queues: { critical: 6, default: 3 } });
 * await server.run(mux); // until SIGTERM or SIGINT
 * ```
 *
 * The server does not own the broker: shutting down leaves it open.
 */
export class Server implements AsyncDisposable {
  readonly #broker: Broker;
  readonly #config: ResolvedServerConfig;
  readonly #identity: ServerKey;
  #state: ServerState = "new";
  #components: Components | undefined;
  #startedAt = 0;
  #shutdown: Promise<void> | undefined;
  #onClosed: () => void = () => {};
  readonly #closed = new Promise<void>((resolve) => {
    this.#onClosed = resolve;
  });

  /** Validates `config` (throwing `InvalidArgumentError`); nothing runs until `start`. */
  constructor(broker: Broker, config: ServerConfig = {}) {
    if (typeof broker !== "object" || broker === null || typeof broker.dequeue !== "function") {
      throw new InvalidArgumentError("broker", "must be a Broker");
    }
    this.#broker = broker;
    this.#config = resolveServerConfig(config);
    this.#identity = {
      host: hostname(),
      pid: globalThis.process?.pid ?? 0,
      serverId: this.#config.ids.next(),
    };
  }

  /** Where the server is in its life. */
  get state(): ServerState {
    return this.#state;
  }

  /** Host, process ID and server ID, as its liveness records carry them. */
  get identity(): ServerKey {
    return this.#identity;
  }

  /**
   * Starts processing with `handler` (a function or a `ServeMux`) and returns at once. Throws
   * `FailedPreconditionError` when already running or stopped, and `BrokerClosedError` once
   * shut down.
   */
  start(handler: Handler | ServeMux): void {
    const process = toHandler(handler);
    if (this.#state === "active")
      throw new FailedPreconditionError("the server is already running");
    if (this.#state === "stopped") {
      throw new FailedPreconditionError("the server is in the stopped state; waiting for shutdown");
    }
    if (this.#state === "closed") throw new BrokerClosedError("server");
    this.#state = "active";
    this.#startedAt = this.#config.clock.now();
    this.#components = this.#build(process);
    this.#config.logger.info("starting processing", { serverId: this.#identity.serverId });
    const c = this.#components;
    const order: (Component | undefined)[] = [
      c.heartbeater,
      c.healthChecker,
      c.subscriber,
      c.syncer,
      c.recoverer,
      c.forwarder,
      c.janitor,
      c.aggregator,
      c.processor,
    ];
    for (const component of order) component?.start();
  }

  /**
   * Stops taking new tasks; running ones finish and the server stays up (its liveness record
   * says "stopped"), ready for `shutdown`. Only acts while active.
   */
  async stop(): Promise<void> {
    if (this.#state !== "active" || this.#components === undefined) return;
    this.#state = "stopped";
    this.#config.logger.info("stopping the processor");
    await this.#components.processor.stopFetching();
    this.#config.logger.info("processor stopped");
  }

  /**
   * Stops everything, in Go asynq's order:
   * 1. forwarder;
   * 2. processor: stop fetching, wait up to `shutdownTimeout` for running handlers, then abort
   *    the rest (reason `ServerShutdownError`) and requeue their tasks at the front;
   * 3. recoverer; 4. syncer (a last try of failed writes); 5. cancellation subscriber;
   * 6. janitor; 7. aggregator (waits for passes under way); 8. health checker;
   * 9. heartbeater, last so leases stay extended while handlers drain; it removes the liveness
   *    records.
   * A no-op before `start` and after the server closed; concurrent calls share one shutdown.
   */
  shutdown(): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    const components = this.#components;
    if (this.#state === "new" || this.#state === "closed" || components === undefined) {
      return Promise.resolve();
    }
    this.#state = "closed";
    this.#shutdown = this.#stopAll(components).finally(() => this.#onClosed());
    return this.#shutdown;
  }

  /**
   * Starts with `handler`, then runs until shut down: SIGTERM or SIGINT shut the server down,
   * SIGTSTP stops it taking new tasks (not on Windows). Resolves once shut down, by a signal
   * or by a `shutdown()` call, and removes its signal listeners.
   */
  async run(handler: Handler | ServeMux): Promise<void> {
    this.start(handler);
    const proc = globalThis.process;
    const onTerminate = () => void this.shutdown();
    const onSuspend = () => void this.stop();
    const terminators = ["SIGTERM", "SIGINT"] as const;
    const suspend = proc.platform === "win32" ? [] : (["SIGTSTP"] as const);
    for (const signal of terminators) proc.on(signal, onTerminate);
    for (const signal of suspend) proc.on(signal, onSuspend);
    try {
      await this.#closed;
    } finally {
      for (const signal of terminators) proc.off(signal, onTerminate);
      for (const signal of suspend) proc.off(signal, onSuspend);
    }
  }

  /** Checks that the broker answers. */
  ping(): Promise<void> {
    return this.#broker.ping();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  async #stopAll(c: Components): Promise<void> {
    const { logger } = this.#config;
    logger.info("starting graceful shutdown");
    const order: [string, Component | undefined][] = [
      ["forwarder", c.forwarder],
      ["processor", c.processor],
      ["recoverer", c.recoverer],
      ["syncer", c.syncer],
      ["cancellation subscriber", c.subscriber],
      ["janitor", c.janitor],
      ["aggregator", c.aggregator],
      ["health checker", c.healthChecker],
      ["heartbeater", c.heartbeater],
    ];
    for (const [name, component] of order) {
      try {
        await component?.stop();
      } catch (error) {
        logger.error(`${name} did not stop cleanly`, { error: errorText(error) });
      }
    }
    logger.info("exiting");
  }

  #build(handler: Handler): Components {
    const cfg = this.#config;
    const broker = this.#broker;
    const { clock, timers, logger } = cfg;
    const queues = Object.keys(cfg.queues);
    const base = { broker, clock, timers, logger };
    const activeTasks = new ActiveTasks();
    const syncer = new Syncer({ timers, logger });
    const acknowledger = new Acknowledger({
      broker,
      clock,
      logger,
      retryDelay: cfg.retryDelay,
      isFailure: cfg.isFailure,
      random: cfg.random,
      syncer,
    });
    return {
      forwarder: new Forwarder({ ...base, queues, interval: cfg.delayedTaskCheckInterval }),
      processor: new Processor({
        ...base,
        handler,
        concurrency: cfg.concurrency,
        queues,
        selector: createQueueSelector(cfg.queues, cfg.strictPriority, cfg.random),
        taskCheckInterval: cfg.taskCheckInterval,
        shutdownTimeout: cfg.shutdownTimeout,
        activeTasks,
        acknowledger,
        errorHandler: cfg.errorHandler,
      }),
      recoverer: new Recoverer({ ...base, queues, acknowledger }),
      syncer,
      subscriber: new CancellationSubscriber({ broker, timers, logger, activeTasks }),
      janitor: new Janitor({
        ...base,
        queues,
        interval: cfg.janitorInterval,
        batchSize: cfg.janitorBatchSize,
      }),
      aggregator: new Aggregator({
        ...base,
        queues,
        aggregate: cfg.groupAggregator,
        gracePeriod: cfg.groupGracePeriod,
        maxDelay: cfg.groupMaxDelay,
        maxSize: cfg.groupMaxSize,
      }),
      healthChecker:
        cfg.healthCheck === undefined
          ? undefined
          : new HealthChecker({
              broker,
              timers,
              logger,
              check: cfg.healthCheck,
              interval: cfg.healthCheckInterval,
            }),
      heartbeater: new Heartbeater({
        ...base,
        identity: this.#identity,
        activeTasks,
        describe: () => ({
          concurrency: cfg.concurrency,
          queues: cfg.queues,
          strictPriority: cfg.strictPriority,
          status: this.#state === "active" ? "active" : "stopped",
          startedAt: this.#startedAt,
        }),
      }),
    };
  }
}
