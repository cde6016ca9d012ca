import type { AsynqError } from "../errors.js";
import type { TaskMessage } from "../task/task-message.js";
import type { Lease } from "./lease.js";

/** A task this server is running, as the heartbeater and the cancellation subscriber see it. */
export interface ActiveTask {
  readonly message: TaskMessage;
  /** When the attempt started, epoch ms. */
  readonly startedAt: number;
  /** When the attempt's signal aborts for lack of time, epoch ms. */
  readonly deadline: number;
  readonly lease: Lease;
  /** Aborts the attempt's signal with `reason`; only the first reason counts. */
  abort(reason: AsynqError): void;
}

const keyOf = (queue: string, taskId: string) => `${queue}\u0000${taskId}`;

/** The tasks this server is running, shared by the processor, heartbeater and subscriber. */
export class ActiveTasks {
  readonly #tasks = new Map<string, ActiveTask>();

  /** Registers a running task. */
  add(task: ActiveTask): void {
    this.#tasks.set(keyOf(task.message.queue, task.message.id), task);
  }

  /** Forgets a task once its outcome is written. */
  delete(task: ActiveTask): void {
    const key = keyOf(task.message.queue, task.message.id);
    if (this.#tasks.get(key) === task) this.#tasks.delete(key);
  }

  /** Running tasks with this ID, in any queue (cancellations carry a bare ID). */
  withId(taskId: string): ActiveTask[] {
    return [...this.#tasks.values()].filter((task) => task.message.id === taskId);
  }

  /** A snapshot of every running task. */
  list(): ActiveTask[] {
    return [...this.#tasks.values()];
  }

  get size(): number {
    return this.#tasks.size;
  }
}
