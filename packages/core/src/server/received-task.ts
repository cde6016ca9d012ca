import { Task } from "../task/task.js";
import type { TaskMessage } from "../task/task-message.js";

function stringHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  // Decoded messages always have string values: keep their object rather than copying it.
  let allStrings = true;
  for (const key in headers) {
    if (typeof headers[key] !== "string") {
      allStrings = false;
      break;
    }
  }
  if (allStrings) return headers as Record<string, string>;
  return Object.fromEntries(
    Object.entries(headers).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string",
    ),
  );
}

/** The task a handler receives: type, payload and headers as enqueued, plus its ID and queue. */
export class ReceivedTask extends Task {
  /** The task's ID, unique within its queue (also `ctx.taskId`). */
  readonly id: string;
  /** The queue it was taken from (also `ctx.queue`). */
  readonly queue: string;

  /**
   * Builds the handler's view of a stored message. Never throws: a message another producer
   * wrote with a blank type or non-string headers is described as well as it can be, so its
   * failure can still be reported and recorded.
   */
  constructor(message: TaskMessage) {
    const type =
      typeof message.type === "string" && message.type.trim() !== "" ? message.type : "(blank)";
    const payload = message.payload instanceof Uint8Array ? message.payload : new Uint8Array(0);
    const headers =
      typeof message.headers === "object" && message.headers !== null
        ? stringHeaders(message.headers)
        : {};
    super(type, payload, { headers });
    this.id = message.id;
    this.queue = message.queue;
  }
}
