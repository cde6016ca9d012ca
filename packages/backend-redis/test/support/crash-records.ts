// What the crash worker records about each handler attempt, and the checks the crash test runs
// on those records. Times are `process.hrtime` nanoseconds: CLOCK_MONOTONIC on Linux, shared by
// every process of the machine, so the worker's and the test's instants compare.

/** One line of the attempt log (a Redis list), JSON-encoded. */
export type AttemptRecord =
  | {
      readonly kind: "start";
      readonly taskId: string;
      /** The worker's process ID and its own attempt counter: together they name the attempt. */
      readonly pid: number;
      readonly seq: number;
      readonly retried: number;
      /** Monotonic start, ns (as a decimal string: beyond 2^53). */
      readonly at: string;
      /** Wall-clock start, epoch ms, to compare with the lease. */
      readonly wallAt: number;
      /** The task's lease score in Redis when the handler started (Unix s), or null if absent. */
      readonly leaseUntilSec: number | null;
    }
  | {
      readonly kind: "end";
      readonly taskId: string;
      readonly pid: number;
      readonly seq: number;
      readonly at: string;
    };

/** A worker the test SIGKILLed: its attempts without an end ended at `killedAt`. */
export interface Kill {
  readonly pid: number;
  /** Monotonic instant (ns) by which the process had exited. */
  readonly killedAt: bigint;
  /** Monotonic instant (ns) at which the test moved the dead worker's leases into the past. */
  readonly leasesExpiredAt: bigint;
}

/** One handler attempt, its start and end paired. */
export interface Attempt {
  readonly taskId: string;
  readonly pid: number;
  readonly seq: number;
  readonly start: bigint;
  /** The end record's instant; for a killed worker's unfinished attempt, the kill. */
  readonly end: bigint | undefined;
  /** True when the handler returned (an end record exists). */
  readonly finished: boolean;
  /** True when the worker was killed while this attempt ran. */
  readonly killed: boolean;
  /** When this attempt's lease stopped protecting the task (only known for killed attempts). */
  readonly leaseExpiredAt: bigint | undefined;
  readonly wallStart: number;
  readonly leaseUntilSec: number | null;
}

/** The figures the crash test prints and checks. */
export interface CrashReport {
  readonly tasks: number;
  readonly attempts: number;
  readonly killedAttempts: number;
  /** Tasks without any finished attempt. */
  readonly lost: readonly string[];
  /** Tasks whose handler finished more than once (allowed: at-least-once delivery). */
  readonly duplicates: readonly string[];
  /** Pairs of attempts of one task that ran at the same time while the earlier held its lease. */
  readonly overlaps: readonly { readonly first: Attempt; readonly second: Attempt }[];
  /** Attempts of live workers that never ended (none expected: the last worker drains). */
  readonly unfinished: readonly Attempt[];
  /** Attempts that started while Redis held no valid lease for the task. */
  readonly withoutLease: readonly Attempt[];
}

/** Pairs start and end records into attempts. */
export function pairAttempts(records: readonly AttemptRecord[], kills: readonly Kill[]): Attempt[] {
  const killsByPid = new Map(kills.map((k) => [k.pid, k]));
  const ends = new Map<string, bigint>();
  for (const r of records) if (r.kind === "end") ends.set(`${r.pid}:${r.seq}`, BigInt(r.at));
  const attempts: Attempt[] = [];
  for (const r of records) {
    if (r.kind !== "start") continue;
    const ended = ends.get(`${r.pid}:${r.seq}`);
    const kill = killsByPid.get(r.pid);
    const killed = ended === undefined && kill !== undefined;
    attempts.push({
      taskId: r.taskId,
      pid: r.pid,
      seq: r.seq,
      start: BigInt(r.at),
      end: ended ?? kill?.killedAt,
      finished: ended !== undefined,
      killed,
      leaseExpiredAt: killed ? kill?.leasesExpiredAt : undefined,
      wallStart: r.wallAt,
      leaseUntilSec: r.leaseUntilSec,
    });
  }
  return attempts;
}

/**
 * Checks the attempts of `taskIds`: every task finished at least once, and no two attempts of
 * a task overlapped unless the earlier one's lease had expired before the later one started.
 */
export function analyseAttempts(
  taskIds: readonly string[],
  attempts: readonly Attempt[],
): CrashReport {
  const byTask = new Map<string, Attempt[]>();
  for (const a of attempts) {
    const list = byTask.get(a.taskId) ?? [];
    list.push(a);
    byTask.set(a.taskId, list);
  }
  const lost: string[] = [];
  const duplicates: string[] = [];
  const overlaps: { first: Attempt; second: Attempt }[] = [];
  for (const id of taskIds) {
    const list = (byTask.get(id) ?? []).sort((a, b) => (a.start < b.start ? -1 : 1));
    const finished = list.filter((a) => a.finished).length;
    if (finished === 0) lost.push(id);
    if (finished > 1) duplicates.push(id);
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const first = list[i]!;
        const second = list[j]!;
        const firstEnd = first.end ?? BigInt(Number.MAX_SAFE_INTEGER) ** 2n;
        const leaseCovered =
          first.leaseExpiredAt === undefined || first.leaseExpiredAt > second.start;
        if (second.start < firstEnd && leaseCovered) overlaps.push({ first, second });
      }
    }
  }
  return {
    tasks: taskIds.length,
    attempts: attempts.length,
    killedAttempts: attempts.filter((a) => a.killed).length,
    lost,
    duplicates,
    overlaps,
    unfinished: attempts.filter((a) => a.end === undefined),
    // Redis keeps the lease in whole seconds, rounded down: allow that second.
    withoutLease: attempts.filter(
      (a) => a.leaseUntilSec === null || a.leaseUntilSec * 1000 + 1000 < a.wallStart,
    ),
  };
}
