/** Produces task, server and aggregation-set IDs. Injected so tests can make IDs predictable. */
export interface IdGenerator {
  next(): string;
}

/** Random UUID v4 strings, as Go asynq uses for task IDs. */
export const uuidV4Generator: IdGenerator = { next: () => globalThis.crypto.randomUUID() };
