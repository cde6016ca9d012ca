/** A stream the CLI writes text to; `process.stdout` fits, and so does a test's capture. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when a person is watching: enables colour, progress bars and the dashboard. */
  readonly isTTY?: boolean;
  /** Terminal width, when known. */
  readonly columns?: number;
}

/**
 * Everything the CLI touches outside itself, so `run()` works in-process in tests: the streams,
 * the environment (ASYNQ_* variables, NO_COLOR) and the home directory (default config file).
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** The terminal `dash` reads keys from; absent when there is none. */
  readonly stdin?: NodeJS.ReadStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
}
