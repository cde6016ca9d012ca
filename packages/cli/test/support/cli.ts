import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { run } from "../../src/index.js";

/** What a CLI run printed and how it ended. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of a run. */
export interface RunOptions {
  /** ASYNQ_* and other variables (nothing is inherited from the test process). */
  readonly env?: Record<string, string>;
  /** Home directory (for ~/.asynq.yaml); an empty temp directory by default. */
  readonly home?: string;
  /** Pretend stderr is a terminal (progress bars). */
  readonly stderrTTY?: boolean;
}

const homes: string[] = [];
// Registered while the importing test file is collected: runs after that file's tests.
afterAll(() => {
  for (const dir of homes.splice(0)) rmSync(dir, { recursive: true, force: true });
  sharedHome = undefined;
});

/** A fresh home directory with no config file (removed after the test file). */
export function emptyHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "asynq-cli-home-"));
  homes.push(dir);
  return dir;
}

let sharedHome: string | undefined;
/** The home of runs that name none: empty, shared by them (nothing writes to it). */
const defaultHome = (): string => {
  sharedHome ??= emptyHome();
  return sharedHome;
};

class Capture {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join("");
  }
}

/** Runs the CLI in this process through `run()` (fast: no process start). */
export async function runInProcess(
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  const stdout = new Capture(false);
  const stderr = new Capture(options.stderrTTY === true);
  const code = await run(args, {
    stdout,
    stderr,
    env: options.env ?? {},
    homeDir: options.home ?? defaultHome(),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The real executable, bin/asynq.js. */
export const BIN = fileURLToPath(new URL("../../bin/asynq.js", import.meta.url));

/** Runs bin/asynq.js in a child process (from source, so it tests the code in this tree). */
export function runBinary(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: options.home ?? defaultHome(),
        ASYNQ_CLI_FROM_SOURCE: "1",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Lines of output without trailing blanks. */
export const lines = (text: string): string[] => text.trimEnd().split("\n");
