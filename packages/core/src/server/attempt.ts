import { type AsynqError, InvalidArgumentError, TaskNotFoundError } from "../errors.js";
import type { Handler } from "../handler/handler.js";
import { DEFAULTS } from "../options/defaults.js";
import type { Broker, DequeuedTask } from "../port/broker.js";
import { type AttemptOutcome, errorText } from "../state-machine/outcome.js";
import type { TaskMessage } from "../task/task-message.js";
import { toTaskInfo } from "../task/to-task-info.js";
import type { Clock } from "../time/clock.js";
import { SECOND } from "../time/durations.js";
import type { Timers } from "../time/timers.js";
import { ServerShutdownError, TaskTimeoutError } from "./abort-reasons.js";
import type { Acknowledger } from "./acknowledger.js";
import type { ActiveTask, ActiveTasks } from "./active-tasks.js";
import type { ErrorHandler } from "./config.js";
import { type AttemptAccess, AttemptContext } from "./handler-context.js";
import { Lease } from "./lease.js";
import type { Logger } from "./logger.js";
import { ReceivedTask } from "./received-task.js";

/** What an attempt needs from its server. */
export interface AttemptParams {
  readonly broker: Broker;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly handler: Handler;
  readonly activeTasks: ActiveTasks;
  readonly acknowledger: Acknowledger;
  readonly errorHandler: ErrorHandler | undefined;
}

/** How an attempt ends: the handler's outcome, or "put it back" on shutdown. */
type Decision = AttemptOutcome | { readonly kind: "requeue" };

/** How long a handler may take to return after its signal aborted before a warning is logged. */
export const ABORTED_HANDLER_GRACE = SECOND;

/**
 * When an attempt's signal aborts for lack of time: the earlier of now + timeout and the
 * deadline; Go asynq's 30 minutes when the task has neither.
 */
export function attemptDeadline(message: TaskMessage, now: number): number {
  const byTimeout = message.timeout > 0 ? now + message.timeout : Number.POSITIVE_INFINITY;
  const byDeadline = message.deadline > 0 ? message.deadline : Number.POSITIVE_INFINITY;
  const deadline = Math.min(byTimeout, byDeadline);
  return Number.isFinite(deadline) ? deadline : now + DEFAULTS.timeout;
}

/**
 * One handler attempt on one dequeued task. The outcome is decided by whichever comes first:
 * the handler settling, or its signal aborting (deadline, cancellation, lease loss, shutdown).
 * The outcome is written at once; `run()` resolves only when the handler has also settled, so
 * a handler that ignores its signal keeps its concurrency slot (and a warning says so).
 */
export class Attempt implements AttemptAccess {
  readonly message: TaskMessage;
  readonly #p: AttemptParams;
  readonly #lease: Lease;
  readonly #startedAt: number;
  readonly #deadline: number;
  /** Created on first use: most handlers never read their signal and most attempts never abort. */
  #controller: AbortController | undefined;
  readonly #decision: Promise<Decision>;
  // Fields start as undefined rather than as no-op functions or settled promises: an attempt
  // is created for every task, and most never need them.
  #decide: ((decision: Decision) => void) | undefined;
  #decided = false;
  #handlerRunning = false;
  #handlerSettled: Promise<void> | undefined;
  #isAcknowledged = false;
  /** Made on first read of `acknowledged` (only shutdown waits for it). */
  #acknowledgedPromise: Promise<void> | undefined;
  #resolveAcknowledged: (() => void) | undefined;
  #graceTimer: unknown;
  #abandoned = false;
  #onHandlerDone: (() => void) | undefined;

  /**
   * `onHandlerDone` is called once the outcome is decided and no handler runs any more, which
   * may be before the outcome is written: the concurrency slot is free then.
   */
  constructor(params: AttemptParams, dequeued: DequeuedTask, onHandlerDone?: () => void) {
    this.#p = params;
    this.#onHandlerDone = onHandlerDone;
    this.message = dequeued.message;
    this.#startedAt = params.clock.now();
    this.#deadline = attemptDeadline(dequeued.message, this.#startedAt);
    this.#lease = new Lease(dequeued.leaseUntil, params.clock);
    this.#decision = new Promise((resolve) => {
      this.#decide = resolve;
    });
  }

  /** Resolves once the outcome has been written, or handed to the syncer. */
  get acknowledged(): Promise<void> {
    if (this.#isAcknowledged) return Promise.resolve();
    this.#acknowledgedPromise ??= new Promise((resolve) => {
      this.#resolveAcknowledged = resolve;
    });
    return this.#acknowledgedPromise;
  }

  /** True once the outcome is known (the handler settled or the signal aborted). */
  get decided(): boolean {
    return this.#decided;
  }

  /** True while the handler has not settled. */
  get handlerRunning(): boolean {
    return this.#handlerRunning;
  }

  /** The handler's signal, made on first use (for the handler's context). */
  signal(): AbortSignal {
    return this.#signal;
  }

  /** Stores the handler's result (for the handler's context). */
  writeResult(result: Uint8Array): Promise<void> {
    return this.#writeResult(result);
  }

  /** The handler's signal. */
  get #signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Aborts the handler's signal with `reason` and decides the outcome, unless already decided. */
  abort(reason: AsynqError): void {
    this.#controller ??= new AbortController();
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(reason);
    this.#settle(
      reason instanceof ServerShutdownError
        ? { kind: "requeue" }
        : { kind: "error", error: reason },
    );
  }

  /** Stops watching a handler that outlived shutdown (no late warning; the server is gone). */
  abandon(): void {
    this.#abandoned = true;
    if (this.#graceTimer !== undefined) this.#p.timers.clearTimeout(this.#graceTimer);
  }

  /** Runs the handler and writes the outcome; resolves when both are finished. */
  async run(): Promise<void> {
    const { activeTasks, timers } = this.#p;
    const entry: ActiveTask = {
      message: this.message,
      startedAt: this.#startedAt,
      deadline: this.#deadline,
      lease: this.#lease,
      abort: (reason) => this.abort(reason),
    };
    activeTasks.add(entry);
    const task = new ReceivedTask(this.message);
    const timeout = () => this.abort(new TaskTimeoutError(this.#deadline));
    const deadlineTimer = timers.setTimeout(timeout, this.#deadline - this.#startedAt);
    // Like Go asynq, a task whose deadline already passed fails without running its handler.
    if (this.#deadline <= this.#startedAt) timeout();
    else this.#invoke(task);

    const decision = await this.#decision;
    timers.clearTimeout(deadlineTimer);
    if (!this.#handlerRunning) this.#handlerDone();
    try {
      await this.#acknowledge(decision, task);
    } finally {
      activeTasks.delete(entry);
      this.#isAcknowledged = true;
      this.#resolveAcknowledged?.();
    }
    if (this.#handlerRunning) await this.#awaitIgnoringHandler();
  }

  #invoke(task: ReceivedTask): void {
    const ctx = new AttemptContext(this.message, this);
    this.#handlerRunning = true;
    let promise: Promise<void>;
    try {
      promise = Promise.resolve(this.#p.handler(task, ctx));
    } catch (error) {
      promise = Promise.reject(error);
    }
    // After an abort the outcome is already decided; settling then only frees the slot.
    this.#handlerSettled = promise.then(
      () => {
        this.#handlerRunning = false;
        this.#settle({ kind: "success" });
      },
      (error: unknown) => {
        this.#handlerRunning = false;
        this.#settle({ kind: "error", error });
      },
    );
  }

  #settle(decision: Decision): void {
    if (this.#decided) return;
    this.#decided = true;
    this.#decide?.(decision);
  }

  async #acknowledge(decision: Decision, task: ReceivedTask): Promise<void> {
    const { acknowledger } = this.#p;
    if (decision.kind === "requeue") {
      await acknowledger.requeue(this.message, this.#lease);
      return;
    }
    if (decision.kind === "error") await this.#reportError(decision.error, task);
    await acknowledger.apply(
      this.message,
      acknowledger.decide(this.message, decision, task),
      this.#lease,
    );
  }

  async #reportError(error: unknown, task: ReceivedTask): Promise<void> {
    const { errorHandler, clock, logger } = this.#p;
    if (errorHandler === undefined) return;
    const info = toTaskInfo(
      {
        message: this.message,
        state: "active",
        nextProcessAt: 0,
        leaseExpiresAt: this.#lease.expiresAt,
        result: null,
      },
      clock.now(),
    );
    try {
      await errorHandler(error, task, info);
    } catch (failure) {
      logger.error("errorHandler threw", { taskId: this.message.id, error: errorText(failure) });
    }
  }

  async #awaitIgnoringHandler(): Promise<void> {
    const { timers, logger } = this.#p;
    const reason = errorText(this.#signal.reason);
    if (!this.#abandoned) {
      this.#graceTimer = timers.setTimeout(() => {
        if (!this.#handlerRunning || this.#abandoned) return;
        logger.warn(
          `handler for task ${this.message.id} (${this.message.type}) has not returned ` +
            `${ABORTED_HANDLER_GRACE} ms after its signal was aborted (${reason}); it keeps its ` +
            "concurrency slot until it returns: pass ctx.signal to what it awaits",
          { taskId: this.message.id, queue: this.message.queue },
        );
      }, ABORTED_HANDLER_GRACE);
    }
    await this.#handlerSettled;
    if (this.#graceTimer !== undefined) timers.clearTimeout(this.#graceTimer);
    this.#handlerDone();
  }

  #handlerDone(): void {
    const onHandlerDone = this.#onHandlerDone;
    this.#onHandlerDone = undefined;
    onHandlerDone?.();
  }

  async #writeResult(result: Uint8Array): Promise<void> {
    if (!(result instanceof Uint8Array)) {
      throw new InvalidArgumentError("result", "must be a Uint8Array");
    }
    const signal = this.#signal;
    if (signal.aborted) throw signal.reason;
    const { queue, id } = this.message;
    const written = await this.#p.broker.writeResult({
      queue,
      taskId: id,
      result,
      now: this.#p.clock.now(),
    });
    if (!written.ok) throw new TaskNotFoundError(queue, id);
  }
}
