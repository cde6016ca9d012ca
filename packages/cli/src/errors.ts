import { AsynqError } from "@asynq-ts/core";
import { CommanderError } from "commander";

/** Exit status: success. */
export const EXIT_OK = 0;
/** Exit status: the command ran and failed (Redis down, queue or task not found…). */
export const EXIT_FAILURE = 1;
/** Exit status: the command line (or config) was wrong; nothing was attempted. */
export const EXIT_USAGE = 2;

/** A failure the CLI reports as one line, with the exit status it implies. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** A wrong flag value, URI or config entry: exit status 2. */
export class UsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_USAGE, options);
    this.name = "UsageError";
  }
}

/** How an error ends the run: its exit status, one-line message and stable code. */
export interface Failure {
  readonly exitCode: number;
  readonly message: string;
  readonly code: string;
}

/**
 * Classifies anything a command threw. Library errors keep their code; bad arguments the
 * library refused (sub-second timeout, wrong state for a group…) count as usage errors.
 */
export function failureOf(error: unknown): Failure {
  if (error instanceof CliError) {
    const code = error.exitCode === EXIT_USAGE ? "USAGE" : "FAILED";
    return { exitCode: error.exitCode, message: error.message, code };
  }
  if (error instanceof CommanderError) {
    // Commander ends its messages with "error: "; the caller adds its own prefix.
    const message = error.message.replace(/^error:\s*/, "");
    return { exitCode: EXIT_USAGE, message, code: "USAGE" };
  }
  if (AsynqError.isInstance(error)) {
    const exitCode = error.code === "INVALID_ARGUMENT" ? EXIT_USAGE : EXIT_FAILURE;
    return { exitCode, message: inCliTerms(error.message), code: error.code };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT_FAILURE, message, code: "INTERNAL" };
}

// The library's messages name API calls; on the command line the commands are the remedy.
const CLI_TERMS: readonly [RegExp, string][] = [
  [/use cancelProcessing to stop it/, "stop it with `asynq task cancel <id>`"],
  [/pass force: true/, "pass --force"],
];

function inCliTerms(message: string): string {
  return CLI_TERMS.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    message,
  );
}

/** The first line of a message: an error report stays one line. */
export function firstLine(message: string): string {
  return message.split("\n", 1)[0] ?? "";
}

/** A failure already reported item by item: `run()` only sets the exit status. */
export class ReportedFailure extends CliError {
  constructor(exitCode: number = EXIT_FAILURE) {
    super("some items failed", exitCode);
    this.name = "ReportedFailure";
  }
}
