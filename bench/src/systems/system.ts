import type { BenchPayload } from "../protocol.js";

/** The queue every system uses. */
export const QUEUE = "bench";
/** The task type (asynq-ts) or job name (BullMQ). */
export const TASK_TYPE = "noop";

/** Producer side of a system: the enqueue APIs a user would call. */
export interface Producer {
  /** One enqueue, resolved once the system acknowledged it. */
  enqueue(payload: BenchPayload): Promise<void>;
  /** Many enqueues through the system's bulk API. */
  enqueueBulk(payloads: readonly BenchPayload[]): Promise<void>;
  close(): Promise<void>;
}

/** What a worker calls back. */
export interface WorkerHooks {
  /** Called when a handler starts, with the decoded payload. */
  onStart(payload: BenchPayload): void;
}

/** Worker side of a system, created connected but not yet processing. */
export interface Worker {
  /** Starts processing. */
  start(): void;
  /**
   * Resolves once `count` tasks are completed in Redis (for systems without a completion event,
   * by reading their counter after the last handler returned).
   */
  completed(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Options of a producer or worker. */
export interface SystemOptions {
  readonly url: string;
  /** Keep completed tasks (asynq-ts retention, BullMQ/bee-queue default) instead of deleting them. */
  readonly retain: boolean;
}

/** A system under test. */
export interface System {
  producer(options: SystemOptions): Promise<Producer>;
  worker(options: SystemOptions & { concurrency: number }, hooks: WorkerHooks): Promise<Worker>;
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A counter that resolves a promise when it reaches a target. */
export class CompletionCounter {
  #count = 0;
  #target = Number.POSITIVE_INFINITY;
  #resolve: () => void = () => {};

  /** Counts one completion. */
  add(): void {
    this.#count++;
    if (this.#count >= this.#target) this.#resolve();
  }

  get count(): number {
    return this.#count;
  }

  /** Resolves once `target` completions were counted. */
  reach(target: number): Promise<void> {
    this.#target = target;
    return new Promise((resolve) => {
      this.#resolve = resolve;
      if (this.#count >= target) resolve();
    });
  }
}
