// Public API of @asynq-ts/cli: the `asynq` command line as a function, for embedding and tests.
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./errors.js";
export type { CliIo, OutputStream } from "./io.js";
export { run } from "./run.js";
