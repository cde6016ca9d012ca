import { errorText } from "../state-machine/outcome.js";
import { SECOND } from "../time/durations.js";
import type { Timers } from "../time/timers.js";
import type { Logger } from "./logger.js";
import { Periodic } from "./periodic.js";

/** An acknowledgement write that threw, to try again. */
export interface SyncRequest {
  /** What the write does, for logs (e.g. "retry task 42 in queue default"). */
  readonly description: string;
  /** Performs the write; throws when the broker failed again. */
  readonly run: () => Promise<void>;
  /** False once the task's lease has ended: the recoverer owns the task then. */
  readonly stillHeld: () => boolean;
}

/** Syncer settings. */
export interface SyncerParams {
  readonly timers: Timers;
  readonly logger: Logger;
  /** @default 5 s, as in Go asynq */
  readonly interval?: number;
}

/**
 * Retries acknowledgement writes (done, complete, retry, archive) that failed with a thrown
 * error, every 5 s while the task's lease lasts, and once more at shutdown. Writes whose lease
 * ended are dropped: the recoverer will retry or archive those tasks.
 */
export class Syncer {
  readonly #logger: Logger;
  readonly #periodic: Periodic;
  #requests: SyncRequest[] = [];

  constructor(params: SyncerParams) {
    this.#logger = params.logger;
    this.#periodic = new Periodic({
      name: "syncer",
      interval: params.interval ?? 5 * SECOND,
      runAtStart: false,
      timers: params.timers,
      logger: params.logger,
      job: () => this.#flush(),
    });
  }

  /** How many writes wait to be retried. */
  get pending(): number {
    return this.#requests.length;
  }

  /** Queues a failed write for the next pass. */
  add(request: SyncRequest): void {
    this.#requests.push(request);
  }

  start(): void {
    this.#periodic.start();
  }

  /** Stops the periodic passes, then tries every pending write one last time. */
  async stop(): Promise<void> {
    await this.#periodic.stop();
    await this.#flush();
    for (const request of this.#requests) {
      this.#logger.warn(`giving up on ${request.description}; the recoverer will handle the task`);
    }
    this.#requests = [];
  }

  async #flush(): Promise<void> {
    const requests = this.#requests;
    this.#requests = [];
    const failed: SyncRequest[] = [];
    for (const request of requests) {
      if (!request.stillHeld()) {
        this.#logger.warn(
          `lease ended before ${request.description} succeeded; the recoverer will handle the task`,
        );
        continue;
      }
      try {
        await request.run();
      } catch (error) {
        this.#logger.warn(`could not sync: ${request.description}`, { error: errorText(error) });
        failed.push(request);
      }
    }
    this.#requests.push(...failed);
  }
}
