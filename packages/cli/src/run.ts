import { CommanderError } from "commander";
import { EXIT_OK, EXIT_USAGE, failureOf, firstLine, ReportedFailure } from "./errors.js";
import type { CliIo } from "./io.js";
import { coloursFor } from "./output/colour.js";
import { normalizeArgv } from "./parse.js";
import { buildProgram } from "./program.js";

// Commander codes that end a run successfully: --help and --version.
const SUCCESS_CODES = new Set(["commander.helpDisplayed", "commander.version"]);

/**
 * Runs the CLI on `argv` (the arguments after the program name) and resolves to its exit
 * status: 0 ok, 1 failed, 2 usage. Errors are reported on stderr as one line (`--json`: one
 * JSON object); `--debug` adds the stack trace. Never calls `process.exit`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = normalizeArgv(argv);
  const program = buildProgram(io);
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (SUCCESS_CODES.has(error.code)) return EXIT_OK;
      // Commander printed its message (or the help, for a bare `asynq`) already.
      return EXIT_USAGE;
    }
    if (error instanceof ReportedFailure) return error.exitCode;
    const flags = program.opts<{ json?: boolean; debug?: boolean; color?: boolean }>();
    const debug = flags.debug === true || args.includes("--debug");
    const failure = failureOf(error);
    if (args.includes("--json") || flags.json === true) {
      const report = { error: { code: failure.code, message: firstLine(failure.message) } };
      io.stderr.write(`${JSON.stringify(report)}\n`);
    } else {
      const red = coloursFor(io.stderr, io, flags.color !== false).red;
      io.stderr.write(`${red("error:")} ${firstLine(failure.message)}\n`);
    }
    if (debug && error instanceof Error && error.stack !== undefined) {
      io.stderr.write(`${error.stack}\n`);
    }
    return failure.exitCode;
  }
}
