import type { QueueStats, TaskMessage, TaskRecord } from "@asynq-ts/core";

// Brokers may differ in what the port leaves to them: the opaque unique key each assigns, and
// memory usage. Everything else a broker reports must match exactly, so these forms keep it.

const decoder = new TextDecoder("utf-8", { fatal: false });

/** Bytes as text when they are printable UTF-8, else as hex; keeps failure reports readable. */
export function bytesView(bytes: Uint8Array | null): string | null {
  if (bytes === null) return null;
  const text = decoder.decode(bytes);
  return /^[\x20-\x7e]*$/.test(text)
    ? text
    : `hex:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** A message with the broker-assigned unique key reduced to whether there is one. */
export interface MessageView {
  readonly id: string;
  readonly type: string;
  readonly payload: string | null;
  readonly headers: Readonly<Record<string, string>>;
  readonly queue: string;
  readonly maxRetry: number;
  readonly retried: number;
  readonly lastError: string;
  readonly lastFailedAt: number;
  readonly timeout: number;
  readonly deadline: number;
  readonly retention: number;
  readonly completedAt: number;
  readonly group: string;
  readonly unique: boolean;
}

/** The comparable form of a message. */
export function messageView(message: TaskMessage): MessageView {
  return {
    id: message.id,
    type: message.type,
    payload: bytesView(message.payload),
    headers: { ...message.headers },
    queue: message.queue,
    maxRetry: message.maxRetry,
    retried: message.retried,
    lastError: message.lastError,
    lastFailedAt: message.lastFailedAt,
    timeout: message.timeout,
    deadline: message.deadline,
    retention: message.retention,
    completedAt: message.completedAt,
    group: message.group,
    unique: message.uniqueKey !== "",
  };
}

/** The comparable form of a task record. */
export function recordView(record: TaskRecord) {
  return {
    message: messageView(record.message),
    state: record.state,
    nextProcessAt: record.nextProcessAt,
    leaseExpiresAt: record.leaseExpiresAt,
    result: bytesView(record.result),
  };
}

/** Queue stats without `memoryUsageBytes`, which only some brokers can measure. */
export function statsView(stats: QueueStats): Omit<QueueStats, "memoryUsageBytes"> {
  const { memoryUsageBytes: _ignored, ...rest } = stats;
  return rest;
}

/**
 * The first paths at which two JSON-like values differ (at most `limit`), as
 * `path: left ≠ right` lines.
 */
export function differences(left: unknown, right: unknown, limit = 8): string[] {
  const found: string[] = [];
  walk(left, right, "$", found, limit);
  return found;
}

function walk(a: unknown, b: unknown, path: string, found: string[], limit: number): void {
  if (found.length >= limit || Object.is(a, b)) return;
  const bothObjects = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    found.push(`${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    found.push(
      `${path}: length ${a.length} ≠ ${b.length}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`,
    );
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    walk(Reflect.get(a, key), Reflect.get(b, key), `${path}.${key}`, found, limit);
  }
}
