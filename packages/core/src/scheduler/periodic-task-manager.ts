import { InvalidArgumentError } from "../errors.js";
import type { TaskOptions } from "../options/task-options.js";
import type { Broker } from "../port/broker.js";
import type { Logger } from "../server/logger.js";
import { Periodic } from "../server/periodic.js";
import { errorText } from "../state-machine/outcome.js";
import type { Task } from "../task/task.js";
import { MINUTE } from "../time/durations.js";
import { defineEntry, type EntryDefinition } from "./entry.js";
import { Scheduler } from "./scheduler.js";
import { resolveSchedulerOptions, type SchedulerOptions } from "./scheduler-options.js";

/** One periodic task: enqueue `task` with `options` at every fire of `cronspec`. */
export interface PeriodicTaskConfig {
  readonly cronspec: string;
  readonly task: Task;
  readonly options?: TaskOptions;
}

/** Where a PeriodicTaskManager reads the current set of periodic tasks from. */
export interface PeriodicTaskConfigProvider {
  getConfigs(): readonly PeriodicTaskConfig[] | Promise<readonly PeriodicTaskConfig[]>;
}

/** PeriodicTaskManager settings: the scheduler's, plus the provider and the sync interval. */
export interface PeriodicTaskManagerOptions extends SchedulerOptions {
  readonly provider: PeriodicTaskConfigProvider;
  /** How often the provider is read again. @default 3 min */
  readonly syncInterval?: number;
}

/**
 * Keeps a scheduler's entries equal to what a provider returns, like Go asynq's
 * PeriodicTaskManager. A config's identity is a hash of its spec, location, task type,
 * payload and options (`entryIdentity`): an unchanged config keeps its entry, a new one is
 * registered, a vanished one unregistered. Invalid configs (or a failing provider) make
 * `start` reject; at a later sync they skip that sync with the reason logged.
 */
export class PeriodicTaskManager implements AsyncDisposable {
  readonly #scheduler: Scheduler;
  readonly #provider: PeriodicTaskConfigProvider;
  readonly #location: string;
  readonly #now: () => number;
  readonly #logger: Logger;
  readonly #sync: Periodic;

  constructor(broker: Broker, options: PeriodicTaskManagerOptions) {
    if (typeof options !== "object" || options === null) {
      throw new InvalidArgumentError("options", "must be an object");
    }
    const { provider, syncInterval, ...schedulerOptions } = options;
    if (typeof provider?.getConfigs !== "function") {
      throw new InvalidArgumentError("provider", "must have a getConfigs() method");
    }
    const interval = syncInterval ?? 3 * MINUTE;
    if (typeof interval !== "number" || !Number.isFinite(interval) || interval <= 0) {
      throw new InvalidArgumentError("syncInterval", "must be a positive number of milliseconds");
    }
    const resolved = resolveSchedulerOptions(schedulerOptions);
    this.#scheduler = new Scheduler(broker, schedulerOptions);
    this.#provider = provider;
    this.#location = resolved.location;
    this.#now = () => resolved.clock.now();
    this.#logger = resolved.logger;
    this.#sync = new Periodic({
      name: "periodic task sync",
      interval,
      runAtStart: false,
      timers: resolved.timers,
      logger: resolved.logger,
      job: () => this.#periodicSync(),
    });
  }

  /** The scheduler the manager drives (to read its entries or ID). */
  get scheduler(): Scheduler {
    return this.#scheduler;
  }

  /**
   * Reads the configs, registers them and starts the scheduler and the periodic sync. Rejects
   * (starting nothing) when the provider fails or any config is invalid.
   */
  async start(): Promise<void> {
    const definitions = await this.#readConfigs();
    this.#apply(definitions);
    await this.#scheduler.start();
    this.#sync.start();
  }

  /** Starts, then runs until SIGTERM or SIGINT, and shuts down. */
  async run(): Promise<void> {
    await this.start();
    const proc = globalThis.process;
    await new Promise<void>((resolve) => {
      const stop = () => {
        for (const signal of ["SIGTERM", "SIGINT"] as const) proc.off(signal, stop);
        resolve();
      };
      for (const signal of ["SIGTERM", "SIGINT"] as const) proc.on(signal, stop);
    });
    await this.shutdown();
  }

  /** Stops syncing and shuts the scheduler down. */
  async shutdown(): Promise<void> {
    await this.#sync.stop();
    await this.#scheduler.shutdown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
  }

  /** Reads and validates every config; throws on the first problem. */
  async #readConfigs(): Promise<Map<string, EntryDefinition>> {
    const configs = await this.#provider.getConfigs();
    if (!Array.isArray(configs)) {
      throw new InvalidArgumentError("getConfigs()", "must return an array of configs");
    }
    const definitions = new Map<string, EntryDefinition>();
    configs.forEach((config: unknown, index: number) => {
      if (typeof config !== "object" || config === null) {
        throw new InvalidArgumentError(`configs[${index}]`, "must be an object");
      }
      const { cronspec, task, options } = config as PeriodicTaskConfig;
      try {
        const definition = defineEntry(cronspec, task, options, this.#location, this.#now());
        definitions.set(definition.id, definition);
      } catch (error) {
        throw new InvalidArgumentError(`configs[${index}]`, errorText(error), { cause: error });
      }
    });
    return definitions;
  }

  /** Unregisters entries whose identity vanished and registers new ones. */
  #apply(definitions: ReadonlyMap<string, EntryDefinition>): void {
    const current = new Set(this.#scheduler.entries().map((entry) => entry.id));
    for (const id of current) {
      if (!definitions.has(id)) {
        this.#scheduler.unregister(id);
        this.#logger.info("unregistered a periodic task", { entryId: id });
      }
    }
    for (const [id, definition] of definitions) {
      if (current.has(id)) continue;
      try {
        this.#scheduler.register(definition.spec, definition.task, definition.options);
        this.#logger.info("registered a periodic task", { entryId: id, spec: definition.spec });
      } catch (error) {
        this.#logger.error("could not register a periodic task", {
          entryId: id,
          error: errorText(error),
        });
      }
    }
  }

  async #periodicSync(): Promise<void> {
    let definitions: Map<string, EntryDefinition>;
    try {
      definitions = await this.#readConfigs();
    } catch (error) {
      this.#logger.error("skipping a periodic task sync: the configs are invalid", {
        error: errorText(error),
      });
      return;
    }
    this.#apply(definitions);
  }
}
