#!/usr/bin/env node
// The `asynq` executable: runs the CLI on this process's arguments and terminal.
import { homedir } from "node:os";
import { run } from "./run.js";

// `asynq … | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  homeDir: homedir(),
});
// Let stdout drain before exiting; open handles (none expected) must not keep the CLI alive.
process.exitCode = exitCode;
process.stdout.write("", () => process.exit(exitCode));
