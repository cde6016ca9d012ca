import type { LogFields, Logger } from "@asynq-ts/core";

/** One call a `recordingLogger` kept. */
export interface LogEntry {
  readonly level: "debug" | "info" | "warn" | "error";
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/**
 * A `Logger` for a `Server`, `Scheduler` or `Client` under test that keeps every call in
 * `entries` instead of writing it, so a test can assert what was logged.
 */
export function recordingLogger(): Logger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry["level"]) =>
    (message: string, fields?: LogFields): void => {
      entries.push({ level, message, fields });
    };
  return { entries, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
