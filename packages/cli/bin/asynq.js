#!/usr/bin/env node
// Launcher of the `asynq` CLI. A built package runs ../dist/main.js. In the repository without
// a build (or with ASYNQ_CLI_FROM_SOURCE=1) it runs the TypeScript source through tsx, with
// workspace packages resolved to their sources by the "@asynq-ts/source" condition.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/main.js", import.meta.url);
const fromSource = process.env.ASYNQ_CLI_FROM_SOURCE === "1" || !existsSync(fileURLToPath(built));

if (!fromSource) {
  await import(built.href);
} else {
  let tsx;
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    process.stderr.write(
      "error: asynq is not built and tsx is not installed (run `npm run build`)\n",
    );
    process.exit(1);
  }
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  // tsx reads the tsconfig of the working directory; the CLI's own (JSX settings) must apply.
  const tsconfig = fileURLToPath(new URL("../tsconfig.json", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", tsx, "--conditions=@asynq-ts/source", main, ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig } },
  );
  // The terminal sends Ctrl-C to both processes; the child decides what it means.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    // End the way the child ended (e.g. 130 for Ctrl-C), without our own handler in the way.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}
