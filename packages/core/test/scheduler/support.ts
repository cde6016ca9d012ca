// Shared set-up of the scheduler tests: a memory broker, a fake clock driving the schedulers'
// timers, a recording logger, and helpers to read what the schedulers enqueued.

import { createMemoryBroker, type MemoryBroker } from "@asynq-ts/backend-memory";
import {
  type Broker,
  type Clock,
  type FireContext,
  Scheduler,
  type SchedulerOptions,
  type TaskInfo,
  type TaskRecord,
} from "@asynq-ts/core";
import { FakeClock, type LogEntry, recordingLogger } from "@asynq-ts/testing";

export { type LogEntry, recordingLogger };

/** One postEnqueue call. */
export interface Outcome {
  readonly info: TaskInfo | null;
  readonly error: Error | null;
  readonly fire: FireContext;
  readonly scheduler: number;
}

/** A fake clock `skew` ms ahead of (or behind) the shared one, for a lagging instance. */
export function skewedClock(clock: FakeClock, skew: number): Clock {
  return { now: () => clock.now() + skew };
}

export class SchedulerWorld {
  readonly clock: FakeClock;
  readonly broker: MemoryBroker = createMemoryBroker();
  readonly logger = recordingLogger();
  readonly outcomes: Outcome[] = [];
  readonly #schedulers: Scheduler[] = [];

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.clock = new FakeClock(start);
  }

  /** A scheduler on this world's broker and clock; `options` override the test defaults. */
  scheduler(options: SchedulerOptions = {}, broker: Broker = this.broker): Scheduler {
    const index = this.#schedulers.length;
    let ids = 0;
    const scheduler = new Scheduler(broker, {
      clock: this.clock,
      timers: this.clock,
      logger: this.logger,
      logLevel: "debug",
      ids: { next: () => `s${index}-${++ids}` },
      postEnqueue: (info, error, fire) => {
        this.outcomes.push({ info, error, fire, scheduler: index });
      },
      ...options,
    });
    this.#schedulers.push(scheduler);
    return scheduler;
  }

  /** Fire times of successful enqueues (ISO strings, in order). */
  enqueuedFires(): string[] {
    return this.outcomes
      .filter((o) => o.info !== null)
      .map((o) => new Date(o.fire.fireAt).toISOString());
  }

  /** Every task stored in `queue` in `state`. */
  async tasks(
    state: "pending" | "completed" = "pending",
    queue = "default",
  ): Promise<TaskRecord[]> {
    const listed = await this.broker.listTasks({
      queue,
      state,
      offset: 0,
      limit: 100_000,
      now: this.clock.now(),
    });
    return listed.ok ? [...listed.tasks] : [];
  }

  logged(level: LogEntry["level"], text: string): LogEntry[] {
    return this.logger.entries.filter((e) => e.level === level && e.message.includes(text));
  }

  async dispose(): Promise<void> {
    for (const scheduler of this.#schedulers) await scheduler.shutdown();
    await this.broker.close();
  }
}
