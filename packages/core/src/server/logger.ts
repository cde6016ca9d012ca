/** Structured context attached to a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where a server writes its logs. `console` fits, and so does pino (its fields then go to the
 * message arguments; wrap it to map them to pino's merging object if you want them indexed).
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Least severe level that is written; "silent" writes nothing. */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Every log level, least severe first. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

type Method = Exclude<LogLevel, "silent">;
const METHODS: readonly Method[] = ["debug", "info", "warn", "error"];

function write(logger: Logger, method: Method, message: string, fields?: LogFields): void {
  // Only pass fields when there are some: loggers with printf-style arguments print extras.
  if (fields === undefined) logger[method](message);
  else logger[method](message, fields);
}

/** Writes to the console, prefixed like Go asynq's logger (`asynq: pid=<pid>`). */
export function consoleLogger(): Logger {
  const pid = globalThis.process?.pid;
  const prefix = pid === undefined ? "asynq:" : `asynq: pid=${pid}`;
  const to =
    (method: Method) =>
    (message: string, fields?: LogFields): void => {
      const line = `${prefix} ${new Date().toISOString()} ${method.toUpperCase()}: ${message}`;
      if (fields === undefined) console[method](line);
      else console[method](line, fields);
    };
  return { debug: to("debug"), info: to("info"), warn: to("warn"), error: to("error") };
}

/** Passes on the calls at or above `level` and drops the rest. Never throws from a log call. */
export function leveledLogger(logger: Logger, level: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const to =
    (method: Method) =>
    (message: string, fields?: LogFields): void => {
      if (METHODS.indexOf(method) < threshold) return;
      try {
        write(logger, method, message, fields);
      } catch {
        // A failing logger must not take the server down with it.
      }
    };
  return { debug: to("debug"), info: to("info"), warn: to("warn"), error: to("error") };
}
