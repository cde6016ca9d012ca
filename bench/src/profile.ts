// `npx tsx --conditions=@asynq-ts/source bench/src/profile.ts --system asynq-ts --workload process-c100`:
// one run with a CPU profile of every child (through tsx, so frames point at the sources),
// printing the hottest functions and Redis's per-command cost.

import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { childEntry, sourceChildEntry } from "./bundle.js";
import { measureOnce } from "./measure.js";
import { SYSTEMS, type SystemName } from "./protocol.js";
import { WORKLOADS } from "./workloads.js";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const repoDir = join(benchDir, "..");

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

/** Self-time share per function and per source area (package or node_modules dependency). */
function summarise(file: string, top: number): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const path = url.startsWith("file://") ? relative(repoDir, fileURLToPath(url)) : url;
    const name = `${functionName || "(anonymous)"} ${path}:${lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    const area =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ??
      /^(packages\/[^/]+|bench)/.exec(path)?.[1] ??
      (path === "" ? functionName : path.startsWith("node:") ? "node internals" : path);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
  }
  const table = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => `  ${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`)
      .join("\n");
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  return `${file} (${seconds.toFixed(1)} s, ${total} samples)\nby area:\n${table(byArea, 15)}\nby function (self):\n${table(byFunction, top)}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      system: { type: "string", default: "asynq-ts" },
      workload: { type: "string", default: "process-c100" },
      n: { type: "string" },
      top: { type: "string", default: "40" },
      bundled: { type: "boolean", default: false },
    },
  });
  const system = values.system as SystemName;
  if (!SYSTEMS.includes(system)) throw new Error(`unknown system ${values.system}`);
  const base = WORKLOADS.find((w) => w.name === values.workload);
  if (base === undefined) throw new Error(`unknown workload ${values.workload}`);
  const workload = values.n === undefined ? base : { ...base, count: Number(values.n) };
  const profileDir = join(
    repoDir,
    "node_modules",
    ".cache",
    "asynq-ts-bench-profiles",
    `${Date.now()}`,
  );
  mkdirSync(profileDir, { recursive: true });
  const entry = values.bundled
    ? await childEntry(benchDir, (line) => process.stderr.write(`${line}\n`))
    : sourceChildEntry(benchDir);
  const server = await startRedisServer();
  const admin = new Redis(server.url);
  try {
    const m = await measureOnce(
      { ...entry, profileDir },
      { url: server.url, pid: server.pid, admin },
      workload,
      system,
    );
    const { commandsPerTask, ...rest } = m;
    process.stdout.write(`${JSON.stringify(rest, null, 2)}\n\nRedis commands per task:\n`);
    for (const [name, stat] of Object.entries(commandsPerTask).sort(
      (a, b) => b[1].micros - a[1].micros,
    )) {
      process.stdout.write(
        `  ${name.padEnd(14)} ${stat.calls.toFixed(3).padStart(8)} calls  ${stat.micros.toFixed(2).padStart(7)} µs\n`,
      );
    }
    for (const child of readdirSync(profileDir)) {
      // One profile per thread; the main thread's is the one with the most samples.
      const files = readdirSync(join(profileDir, child)).map((f) => join(profileDir, child, f));
      const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (main !== undefined)
        process.stdout.write(`\n${child}: ${summarise(main, Number(values.top))}`);
    }
  } finally {
    admin.disconnect();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
