import type { Measurement } from "./measure.js";
import type { SystemName } from "./protocol.js";
import { type Spread, spread } from "./stats.js";
import type { Workload, WorkloadKind } from "./workloads.js";

/** One kept run (the least disturbed of its attempts). */
export interface RunRecord {
  readonly workload: string;
  readonly system: SystemName;
  readonly run: number;
  readonly attempts: number;
  /** True when even the kept attempt exceeded the other-process CPU limit. */
  readonly disturbed: boolean;
  readonly measurement: Measurement;
  /** Other-process CPU (cores) of the attempts that were redone. */
  readonly redoneOtherCores: readonly number[];
}

interface Metric {
  readonly label: (kind: WorkloadKind) => string;
  readonly kinds: readonly WorkloadKind[];
  readonly better: "higher" | "lower" | "none";
  readonly digits: number;
  readonly get: (m: Measurement) => number | null;
}

const ENQUEUE: readonly WorkloadKind[] = ["enqueue-single", "enqueue-bulk"];
const ALL: readonly WorkloadKind[] = ["enqueue-single", "enqueue-bulk", "process", "latency"];
const clientLabel = (kind: WorkloadKind) => (ENQUEUE.includes(kind) ? "producer" : "worker");

const METRICS: readonly Metric[] = [
  {
    label: () => "tasks/s",
    kinds: ["enqueue-single", "enqueue-bulk", "process"],
    better: "higher",
    digits: 0,
    get: (m) => m.tasksPerSecond,
  },
  ...(["p50", "p95", "p99", "max"] as const).map(
    (p): Metric => ({
      label: () => `latency ${p} (ms)`,
      kinds: ["latency"],
      better: "lower",
      digits: 2,
      get: (m) => m.latency?.[p] ?? null,
    }),
  ),
  {
    label: (kind) => `${clientLabel(kind)} CPU µs/task`,
    kinds: ALL,
    better: "lower",
    digits: 1,
    get: (m) => m.clientCpuMicrosPerTask,
  },
  {
    label: (kind) => `${clientLabel(kind)} peak RSS (MB)`,
    kinds: ALL,
    better: "lower",
    digits: 1,
    get: (m) => m.peakRssBytes / 1e6,
  },
  {
    label: () => "Redis CPU µs/task",
    kinds: ALL,
    better: "lower",
    digits: 1,
    get: (m) => m.redisCpuMicrosPerTask,
  },
  {
    label: () => "Redis commands/task (incl. in scripts)",
    kinds: ALL,
    better: "lower",
    digits: 2,
    get: (m) => m.redisCommandsPerTask,
  },
  {
    label: () => "Redis script calls/task",
    kinds: ALL,
    // bee-queue runs MULTI blocks, not scripts: a ratio would mislead.
    better: "none",
    digits: 2,
    get: (m) => m.redisScriptCallsPerTask,
  },
  {
    label: () => "Redis used_memory bytes/queued task",
    kinds: ENQUEUE,
    better: "lower",
    digits: 0,
    get: (m) => m.redisBytesPerTask,
  },
  {
    label: () => "other-process CPU (cores)",
    kinds: ALL,
    better: "none",
    digits: 2,
    get: (m) => m.otherCores,
  },
];

/** Median (min–max) of one metric of one workload and system; null when not measured. */
export function metricSpread(
  records: readonly RunRecord[],
  workload: string,
  system: SystemName,
  get: (m: Measurement) => number | null,
): Spread | null {
  const values = records
    .filter((r) => r.workload === workload && r.system === system)
    .map((r) => get(r.measurement))
    .filter((v): v is number => v !== null && Number.isFinite(v));
  return values.length === 0 ? null : spread(values);
}

function format(value: number, digits: number): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function cell(s: Spread | null, digits: number): string {
  if (s === null) return "–";
  return `${format(s.median, digits)} (${format(s.min, digits)}–${format(s.max, digits)})`;
}

/** One markdown table per workload: medians (min–max) and the ratio of asynq-ts to each peer. */
export function markdownTables(
  workloads: readonly Workload[],
  systems: readonly SystemName[],
  records: readonly RunRecord[],
): string {
  const peers = systems.filter((s) => s !== "asynq-ts");
  const ratioColumns = systems.includes("asynq-ts") ? peers : [];
  const out: string[] = [];
  for (const workload of workloads) {
    const runs = records.filter((r) => r.workload === workload.name);
    if (runs.length === 0) continue;
    const perSystem = Math.max(...systems.map((s) => runs.filter((r) => r.system === s).length));
    const disturbed = runs.filter((r) => r.disturbed).length;
    out.push(
      `### ${workload.name} — ${workload.description} (N = ${workload.count.toLocaleString("en-US")}, ${perSystem} runs)`,
      "",
    );
    const header = ["metric", ...systems, ...ratioColumns.map((p) => `asynq-ts / ${p}`)];
    out.push(
      `| ${header.join(" | ")} |`,
      `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`,
    );
    for (const metric of METRICS) {
      if (!metric.kinds.includes(workload.kind)) continue;
      const spreads = systems.map((s) => metricSpread(records, workload.name, s, metric.get));
      if (spreads.every((s) => s === null)) continue;
      const own = spreads[systems.indexOf("asynq-ts")] ?? null;
      const ratios = ratioColumns.map((peer) => {
        const other = spreads[systems.indexOf(peer)] ?? null;
        if (metric.better === "none" || own === null || other === null || other.median === 0) {
          return "";
        }
        return `${format(own.median / other.median, 2)}×`;
      });
      out.push(
        `| ${[metric.label(workload.kind), ...spreads.map((s) => cell(s, metric.digits)), ...ratios].join(" | ")} |`,
      );
    }
    if (disturbed > 0)
      out.push(
        "",
        `${disturbed} run(s) stayed above the other-process CPU limit after every redo.`,
      );
    out.push("");
  }
  return out.join("\n");
}

/** A target of the issue, checked on medians of the same session. */
interface Target {
  readonly label: string;
  readonly workload: string;
  readonly peer: SystemName;
  readonly get: (m: Measurement) => number | null;
  /** asynq-ts / peer must be ≥ (higher is better) or ≤ (lower is better) this. */
  readonly ratio: number;
  readonly better: "higher" | "lower";
}

const TARGETS: readonly Target[] = [
  {
    label: "process c=100 tasks/s ≥ 2× BullMQ",
    workload: "process-c100",
    peer: "bullmq",
    get: (m) => m.tasksPerSecond,
    ratio: 2,
    better: "higher",
  },
  {
    label: "process c=100 tasks/s ≥ 1.5× bee-queue",
    workload: "process-c100",
    peer: "bee-queue",
    get: (m) => m.tasksPerSecond,
    ratio: 1.5,
    better: "higher",
  },
  {
    label: "process c=10 tasks/s ≥ 1.5× BullMQ",
    workload: "process-c10",
    peer: "bullmq",
    get: (m) => m.tasksPerSecond,
    ratio: 1.5,
    better: "higher",
  },
  {
    label: "enqueue-single tasks/s ≥ 2× BullMQ",
    workload: "enqueue-single",
    peer: "bullmq",
    get: (m) => m.tasksPerSecond,
    ratio: 2,
    better: "higher",
  },
  {
    label: "enqueue-bulk tasks/s ≥ 3× BullMQ",
    workload: "enqueue-bulk",
    peer: "bullmq",
    get: (m) => m.tasksPerSecond,
    ratio: 3,
    better: "higher",
  },
  {
    label: "latency p50 ≤ bee-queue",
    workload: "latency",
    peer: "bee-queue",
    get: (m) => m.latency?.p50 ?? null,
    ratio: 1,
    better: "lower",
  },
  {
    label: "latency p99 ≤ bee-queue",
    workload: "latency",
    peer: "bee-queue",
    get: (m) => m.latency?.p99 ?? null,
    ratio: 1,
    better: "lower",
  },
  {
    label: "worker CPU/task (c=100) ≤ 0.5× BullMQ",
    workload: "process-c100",
    peer: "bullmq",
    get: (m) => m.clientCpuMicrosPerTask,
    ratio: 0.5,
    better: "lower",
  },
  {
    label: "worker CPU/task (c=10) ≤ 0.5× BullMQ",
    workload: "process-c10",
    peer: "bullmq",
    get: (m) => m.clientCpuMicrosPerTask,
    ratio: 0.5,
    better: "lower",
  },
  {
    label: "Redis CPU/task (c=100) ≤ 0.5× BullMQ",
    workload: "process-c100",
    peer: "bullmq",
    get: (m) => m.redisCpuMicrosPerTask,
    ratio: 0.5,
    better: "lower",
  },
  {
    label: "Redis CPU/task (c=10) ≤ 0.5× BullMQ",
    workload: "process-c10",
    peer: "bullmq",
    get: (m) => m.redisCpuMicrosPerTask,
    ratio: 0.5,
    better: "lower",
  },
  {
    label: "worker peak RSS (c=100) ≤ BullMQ",
    workload: "process-c100",
    peer: "bullmq",
    get: (m) => m.peakRssBytes,
    ratio: 1,
    better: "lower",
  },
  {
    label: "Redis bytes/queued task ≤ BullMQ",
    workload: "enqueue-bulk",
    peer: "bullmq",
    get: (m) => m.redisBytesPerTask,
    ratio: 1,
    better: "lower",
  },
];

/** The targets as a markdown table (only those whose workloads and systems ran). */
export function markdownTargets(records: readonly RunRecord[]): string {
  const rows: string[] = [];
  for (const t of TARGETS) {
    const own = metricSpread(records, t.workload, "asynq-ts", t.get);
    const peer = metricSpread(records, t.workload, t.peer, t.get);
    if (own === null || peer === null || peer.median === 0) continue;
    const ratio = own.median / peer.median;
    const met = t.better === "higher" ? ratio >= t.ratio : ratio <= t.ratio;
    rows.push(`| ${t.label} | ${format(ratio, 2)}× | ${met ? "met" : "**not met**"} |`);
  }
  if (rows.length === 0) return "";
  return ["| target | asynq-ts / peer (medians) | |", "| --- | ---: | --- |", ...rows, ""].join(
    "\n",
  );
}
