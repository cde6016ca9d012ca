import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { SYSTEMS, type SystemName } from "./protocol.js";
import { WORKLOADS, type Workload } from "./workloads.js";

/** What `npm run bench` was asked to do. */
export interface BenchOptions {
  readonly systems: readonly SystemName[];
  readonly workloads: readonly Workload[];
  readonly runs: number;
  /** Redo a run when other processes used more than this many cores during it. */
  readonly maxOtherCores: number;
  /** Longest wait for a calm machine before each attempt, ms. */
  readonly calmWaitMs: number;
  /** Redos allowed per run before the least disturbed attempt is kept (and flagged). */
  readonly maxRedos: number;
  /** Directory for the JSON results, or null to write none. */
  readonly resultsDir: string | null;
  /** Where to also write the markdown report, or null. */
  readonly markdownFile: string | null;
  /** Re-render the report of this results file instead of running anything. */
  readonly reportFile: string | null;
  /** A repository tree to take asynq-ts's packages from instead of this one, or null. */
  readonly asynqSource: string | null;
}

export const USAGE = `npm run bench -- [options]

  --systems LIST      comma-separated: ${SYSTEMS.join(",")} (default: all)
  --workloads LIST    comma-separated: ${WORKLOADS.map((w) => w.name).join(",")}
                      (default: all)
  --runs N            runs per workload and system (default 3)
  --n COUNT           tasks per run for every workload (default: each workload's own)
  --scale FACTOR      multiplies each workload's task count (default 1)
  --max-other-cpu C   redo a run when other processes used more than C cores (default 0.25)
  --calm-wait S       before each attempt, wait up to S seconds for the other-process CPU to
                      drop below the limit (default 30)
  --max-redos N       redos per run before keeping the least disturbed attempt (default 3)
  --results DIR       where to write <timestamp>.json (default bench/results)
  --no-save           write no JSON
  --markdown FILE     also write the markdown report to FILE
  --report FILE       print the report of a results JSON again, running nothing
  --asynq-src DIR     take asynq-ts from another tree (e.g. git archive of an older commit)
  --help`;

function list<T extends string>(text: string | undefined, known: readonly T[], what: string): T[] {
  if (text === undefined) return [...known];
  const names = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const name of names) {
    if (!known.includes(name as T)) throw new Error(`unknown ${what} ${JSON.stringify(name)}`);
  }
  return names as T[];
}

function positive(text: string | undefined, fallback: number, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${what} must be a positive number`);
  return value;
}

/**
 * A path given on the command line, relative to where `npm run bench` was started (npm runs
 * the workspace script in bench/ and passes the caller's directory as INIT_CWD).
 */
function fromCaller(path: string | undefined): string | null {
  return path === undefined ? null : resolve(process.env.INIT_CWD ?? process.cwd(), path);
}

/** Parses the command line; returns null when help was asked for. */
export function parseOptions(
  args: readonly string[],
  defaultResultsDir: string,
): BenchOptions | null {
  const { values } = parseArgs({
    args: [...args],
    options: {
      systems: { type: "string" },
      workloads: { type: "string" },
      runs: { type: "string" },
      n: { type: "string" },
      scale: { type: "string" },
      "max-other-cpu": { type: "string" },
      "max-redos": { type: "string" },
      "calm-wait": { type: "string" },
      results: { type: "string" },
      "no-save": { type: "boolean" },
      markdown: { type: "string" },
      report: { type: "string" },
      "asynq-src": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help === true) return null;
  const names = list(
    values.workloads,
    WORKLOADS.map((w) => w.name),
    "workload",
  );
  const n = values.n === undefined ? undefined : Math.round(positive(values.n, 1, "--n"));
  const scale = positive(values.scale, 1, "--scale");
  const workloads = names.map((name) => {
    const workload = WORKLOADS.find((w) => w.name === name)!;
    return { ...workload, count: n ?? Math.max(1, Math.round(workload.count * scale)) };
  });
  const maxRedos = values["max-redos"] === undefined ? 3 : Number(values["max-redos"]);
  if (!Number.isInteger(maxRedos) || maxRedos < 0) throw new Error("--max-redos must be ≥ 0");
  return {
    systems: list(values.systems, SYSTEMS, "system"),
    workloads,
    runs: Math.round(positive(values.runs, 3, "--runs")),
    maxOtherCores: positive(values["max-other-cpu"], 0.25, "--max-other-cpu"),
    maxRedos,
    calmWaitMs:
      values["calm-wait"] === undefined
        ? 30_000
        : positive(values["calm-wait"], 30, "--calm-wait") * 1000,
    resultsDir:
      values["no-save"] === true ? null : (fromCaller(values.results) ?? defaultResultsDir),
    markdownFile: fromCaller(values.markdown),
    reportFile: fromCaller(values.report),
    asynqSource: fromCaller(values["asynq-src"]),
  };
}
