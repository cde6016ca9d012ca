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

/** The tasks this server is running, shared by the processor, heartbeater and subscriber. */
export class ActiveTasks {
  /**
   * By queue, then by task ID. Two levels rather than one joined key: this runs twice for
   * every task, and the joined key would be a new string to build and hash each time.
   */
  readonly #byQueue = new Map<string, Map<string, ActiveTask>>();
  #size = 0;

  /** Registers a running task. */
  add(task: ActiveTask): void {
    const { queue, id } = task.message;
    let tasks = this.#byQueue.get(queue);
    if (tasks === undefined) {
      tasks = new Map();
      this.#byQueue.set(queue, tasks);
    }
    const before = tasks.size;
    tasks.set(id, task);
    this.#size += tasks.size - before;
  }

  /** Forgets a task once its outcome is written. */
  delete(task: ActiveTask): void {
    const { queue, id } = task.message;
    const tasks = this.#byQueue.get(queue);
    if (tasks?.get(id) !== task) return;
    tasks.delete(id);
    this.#size--;
  }

  /** Running tasks with this ID, in any queue (cancellations carry a bare ID). */
  withId(taskId: string): ActiveTask[] {
    const found: ActiveTask[] = [];
    for (const tasks of this.#byQueue.values()) {
      const task = tasks.get(taskId);
      if (task !== undefined) found.push(task);
    }
    return found;
  }

  /** A snapshot of every running task. */
  list(): ActiveTask[] {
    const all: ActiveTask[] = [];
    for (const tasks of this.#byQueue.values()) for (const task of tasks.values()) all.push(task);
    return all;
  }

  get size(): number {
    return this.#size;
  }
}
