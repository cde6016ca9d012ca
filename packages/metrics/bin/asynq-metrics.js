#!/usr/bin/env node
// Launcher of the `asynq-metrics` exporter. A built package runs ../dist/exporter-main.js; in the
// repository without a build it runs the TypeScript source through tsx, with workspace packages
// resolved to their sources by the "@asynq-ts/source" condition.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/exporter-main.js", import.meta.url);

if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  let tsx;
  try {
    tsx = import.meta.resolve("tsx");
  } catch {
    process.stderr.write("error: asynq-metrics is not built and tsx is not installed\n");
    process.exit(1);
  }
  const main = fileURLToPath(new URL("../src/exporter-main.ts", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", tsx, "--conditions=@asynq-ts/source", main, ...process.argv.slice(2)],
    { stdio: "inherit" },
  );
  // The terminal sends Ctrl-C to both processes; the child decides what it means.
  process.on("SIGINT", () => {});
  process.on("SIGTERM", () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(signal === null ? (code ?? 1) : 1));
}
