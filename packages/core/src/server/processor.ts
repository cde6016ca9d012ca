import type { Handler } from "../handler/handler.js";
import { DEFAULTS } from "../options/defaults.js";
import type { Broker, DequeuedTask } from "../port/broker.js";
import type { QueueSelector } from "../queues/queue-selection.js";
import { errorText } from "../state-machine/outcome.js";
import type { Clock } from "../time/clock.js";
import { SECOND } from "../time/durations.js";
import { sleep, type Timers } from "../time/timers.js";
import { ServerShutdownError } from "./abort-reasons.js";
import type { Acknowledger } from "./acknowledger.js";
import type { ActiveTasks } from "./active-tasks.js";
import { Attempt } from "./attempt.js";
import type { ErrorHandler } from "./config.js";
import type { Logger } from "./logger.js";
import { Semaphore } from "./semaphore.js";

/** Processor settings. */
export interface ProcessorParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly handler: Handler;
  readonly concurrency: number;
  /** Every queue the server serves, for waiting. */
  readonly queues: readonly string[];
  /** The order to try the queues in, drawn for every dequeue. */
  readonly selector: QueueSelector;
  /** Longest wait for work while every queue is empty. */
  readonly taskCheckInterval: number;
  /** How long `stop()` lets running handlers finish before requeueing their tasks. */
  readonly shutdownTimeout: number;
  readonly activeTasks: ActiveTasks;
  readonly acknowledger: Acknowledger;
  readonly errorHandler: ErrorHandler | undefined;
}

/** Most tasks one dequeue asks for, with a broker that hands out several per call. */
const MAX_DEQUEUE_BATCH = 100;

/** At most one dequeue-failure log line per this many ms (a broker outage would flood the log). */
const DEQUEUE_ERROR_LOG_INTERVAL = 3 * SECOND;

/**
 * Takes tasks from the queues and runs the handler on them, never more than `concurrency` at
 * once. While every queue is empty it waits on the broker (`waitForTasks`), which wakes it as
 * soon as work arrives on a broker that supports it, and at the latest after
 * `taskCheckInterval`.
 */
export class Processor {
  readonly #p: ProcessorParams;
  readonly #semaphore: Semaphore;
  readonly #fetching = new AbortController();
  /** Running attempts, each with the promise that settles when it has freed its slot. */
  readonly #attempts = new Map<Attempt, Promise<void>>();
  #loop: Promise<void> | undefined;
  #lastDequeueErrorLog = Number.NEGATIVE_INFINITY;

  constructor(params: ProcessorParams) {
    this.#p = params;
    this.#semaphore = new Semaphore(params.concurrency);
  }

  start(): void {
    this.#loop ??= this.#fetchLoop();
  }

  /** Stops taking new tasks; running ones go on. Resolves once no dequeue is in flight. */
  async stopFetching(): Promise<void> {
    this.#fetching.abort();
    await this.#loop;
  }

  /**
   * Stops taking tasks, waits up to `shutdownTimeout` for running handlers, then aborts the
   * rest with a `ServerShutdownError` and puts their tasks back at the front of their queues.
   * Does not wait for handlers that ignore their signal; it logs them.
   */
  async stop(): Promise<void> {
    await this.stopFetching();
    const { timers, shutdownTimeout, logger } = this.#p;
    const attempts = () => [...this.#attempts.keys()];
    if (this.#attempts.size > 0 && shutdownTimeout > 0) {
      logger.info(`waiting up to ${shutdownTimeout} ms for ${this.#attempts.size} task(s)`);
      const cancelWait = new AbortController();
      const allDone = Promise.all(this.#attempts.values());
      await Promise.race([allDone, sleep(timers, shutdownTimeout, cancelWait.signal)]);
      cancelWait.abort();
    }
    for (const attempt of attempts()) {
      if (!attempt.decided) attempt.abort(new ServerShutdownError());
    }
    await Promise.all(attempts().map((a) => a.acknowledged));
    const lingering = attempts().filter((a) => a.handlerRunning);
    for (const attempt of lingering) attempt.abandon();
    if (lingering.length > 0) {
      logger.warn(
        `${lingering.length} handler(s) ignored the shutdown signal and are still running; ` +
          "their tasks were handled as if they had stopped",
        { taskIds: lingering.map((a) => a.message.id) },
      );
    }
  }

  async #fetchLoop(): Promise<void> {
    const { broker, clock, selector, timers, taskCheckInterval, concurrency } = this.#p;
    const signal = this.#fetching.signal;
    // With a broker that hands out several tasks per call, one dequeue fills every free slot.
    const batch =
      broker.capabilities.batchDequeue === true && broker.dequeueBatch !== undefined
        ? Math.min(MAX_DEQUEUE_BATCH, concurrency)
        : 1;
    while (!signal.aborted) {
      if (!(await this.#semaphore.acquire(signal))) break;
      const slots = 1 + this.#semaphore.tryAcquire(batch - 1);
      const queues = selector.order();
      let dequeued: readonly DequeuedTask[];
      try {
        const now = clock.now();
        const params = { queues, now, leaseUntil: now + DEFAULTS.lease };
        if (slots > 1 && broker.dequeueBatch !== undefined) {
          dequeued = await broker.dequeueBatch({ ...params, max: slots });
        } else {
          const one = await broker.dequeue(params);
          dequeued = one === null ? [] : [one];
        }
      } catch (error) {
        this.#release(slots);
        this.#logDequeueError(error);
        await sleep(timers, taskCheckInterval, signal);
        continue;
      }
      this.#release(slots - Math.min(slots, dequeued.length));
      if (dequeued.length === 0) {
        await this.#waitForTasks(signal);
        continue;
      }
      for (const task of dequeued.slice(0, slots)) this.#launch(task);
    }
  }

  #release(permits: number): void {
    for (let i = 0; i < permits; i++) this.#semaphore.release();
  }

  #launch(dequeued: DequeuedTask): void {
    // The slot frees as soon as no handler runs any more: the next dequeue then overlaps with
    // writing this outcome. The attempt stays tracked (for shutdown) until it is written.
    let holding = true;
    const freeSlot = () => {
      if (!holding) return;
      holding = false;
      this.#semaphore.release();
    };
    const attempt = new Attempt(this.#p, dequeued, freeSlot);
    this.#attempts.set(attempt, this.#run(attempt, freeSlot));
  }

  /** Runs the attempt; settles (never rejects) once it is written and its slot is free. */
  async #run(attempt: Attempt, freeSlot: () => void): Promise<void> {
    try {
      await attempt.run();
    } catch (error) {
      this.#p.logger.error("task processing failed unexpectedly", {
        taskId: attempt.message.id,
        error: errorText(error),
      });
    } finally {
      this.#attempts.delete(attempt);
      freeSlot();
    }
  }

  /** Waits for a wake-up from the broker, our own timer, or stop — whichever is first. */
  async #waitForTasks(stop: AbortSignal): Promise<void> {
    const { broker, timers, taskCheckInterval, queues, logger } = this.#p;
    if (stop.aborted) return;
    const wait = new AbortController();
    const onStop = () => wait.abort();
    stop.addEventListener("abort", onStop, { once: true });
    // Our own timer bounds the wait even if the broker's timeout runs on another clock.
    const timer = timers.setTimeout(() => wait.abort(), taskCheckInterval);
    const aborted = new Promise<void>((resolve) => {
      if (wait.signal.aborted) resolve();
      else wait.signal.addEventListener("abort", () => resolve(), { once: true });
    });
    try {
      const woken = broker
        .waitForTasks({ queues, timeout: taskCheckInterval, signal: wait.signal })
        .catch(async (error: unknown) => {
          logger.debug("waitForTasks failed; polling instead", { error: errorText(error) });
          await aborted;
        });
      await Promise.race([woken, aborted]);
    } finally {
      timers.clearTimeout(timer);
      stop.removeEventListener("abort", onStop);
      wait.abort();
    }
  }

  #logDequeueError(error: unknown): void {
    const now = this.#p.clock.now();
    if (now - this.#lastDequeueErrorLog < DEQUEUE_ERROR_LOG_INTERVAL) return;
    this.#lastDequeueErrorLog = now;
    this.#p.logger.error("could not dequeue a task", { error: errorText(error) });
  }
}
