import type { TaskMessage } from "@asynq-ts/core";

// The memory broker shares no mutable object with its callers: bytes and records are copied on
// the way in and on the way out, as a real backend's serialisation would.

/** A fresh copy of the bytes (a plain `Uint8Array` even when given a `Buffer`). */
export function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}

/** A copy of a message that shares no mutable state with the original. */
export function copyMessage(message: TaskMessage): TaskMessage {
  return { ...message, payload: copyBytes(message.payload), headers: { ...message.headers } };
}
