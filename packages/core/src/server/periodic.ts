import { errorText } from "../state-machine/outcome.js";
import type { Timers } from "../time/timers.js";
import type { Logger } from "./logger.js";

/** How a periodic job runs. */
export interface PeriodicParams {
  /** Used in log lines. */
  readonly name: string;
  /** Pause between the end of one run and the start of the next, ms. */
  readonly interval: number;
  /** Run once as soon as started, instead of after the first interval. */
  readonly runAtStart: boolean;
  readonly timers: Timers;
  readonly logger: Logger;
  /** The work; `signal` aborts when the job is being stopped, so long loops can end early. */
  readonly job: (signal: AbortSignal) => Promise<void>;
}

/**
 * Runs a job every `interval`, never two runs at once. A failing run is logged and the next
 * one still happens. The lifecycle every server component shares: `start()` then `stop()`.
 */
export class Periodic {
  readonly #params: PeriodicParams;
  readonly #stopping = new AbortController();
  #timer: unknown;
  #running: Promise<void> | undefined;
  #started = false;

  constructor(params: PeriodicParams) {
    this.#params = params;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (this.#params.runAtStart) this.#run();
    else this.#schedule();
  }

  /** Cancels the next run and waits for a run in progress to end. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    if (this.#timer !== undefined) this.#params.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    if (this.#stopping.signal.aborted) return;
    this.#timer = this.#params.timers.setTimeout(() => {
      this.#timer = undefined;
      this.#run();
    }, this.#params.interval);
  }

  #run(): void {
    const { job, logger, name } = this.#params;
    this.#running = (async () => {
      try {
        await job(this.#stopping.signal);
      } catch (error) {
        logger.error(`${name} failed`, { error: errorText(error) });
      }
    })().then(() => {
      this.#running = undefined;
      this.#schedule();
    });
  }
}
