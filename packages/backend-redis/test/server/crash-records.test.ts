// The crash test's checker must be able to fail: it flags lost tasks, overlapping attempts and
// attempts that never ended, and accepts a retry after a kill.
import { describe, expect, it } from "vitest";
import { type AttemptRecord, analyseAttempts, pairAttempts } from "../support/crash-records.js";

type StartRecord = Extract<AttemptRecord, { kind: "start" }>;

const start = (taskId: string, pid: number, seq: number, at: number): StartRecord => ({
  kind: "start",
  taskId,
  pid,
  seq,
  retried: 0,
  at: String(at),
  wallAt: 1_000_000,
  leaseUntilSec: 1_030,
});
const end = (taskId: string, pid: number, seq: number, at: number): AttemptRecord => ({
  kind: "end",
  taskId,
  pid,
  seq,
  at: String(at),
});

describe("crash record analysis", () => {
  it("accepts a task run again after its worker was killed and its lease expired", () => {
    const records = [start("a", 1, 1, 100), start("a", 2, 1, 300), end("a", 2, 1, 400)];
    const kills = [{ pid: 1, killedAt: 200n, leasesExpiredAt: 250n }];
    const report = analyseAttempts(["a"], pairAttempts(records, kills));
    expect(report).toMatchObject({ attempts: 2, killedAttempts: 1, lost: [], overlaps: [] });
    expect(report.unfinished).toStrictEqual([]);
  });

  it("flags two attempts running at once while the first held its lease", () => {
    const records = [
      start("a", 1, 1, 100),
      start("a", 2, 1, 150),
      end("a", 1, 1, 200),
      end("a", 2, 1, 250),
    ];
    const report = analyseAttempts(["a"], pairAttempts(records, []));
    expect(report.overlaps).toHaveLength(1);
    expect(report.duplicates).toStrictEqual(["a"]);
  });

  it("flags a retry that started before the killed attempt's lease was expired", () => {
    const records = [start("a", 1, 1, 100), start("a", 2, 1, 300), end("a", 2, 1, 400)];
    const kills = [{ pid: 1, killedAt: 350n, leasesExpiredAt: 360n }];
    expect(analyseAttempts(["a"], pairAttempts(records, kills)).overlaps).toHaveLength(1);
  });

  it("flags a task that never finished and an attempt of a live worker without an end", () => {
    const records = [start("a", 1, 1, 100), start("b", 1, 2, 100), end("b", 1, 2, 150)];
    const report = analyseAttempts(["a", "b", "c"], pairAttempts(records, []));
    expect(report.lost).toStrictEqual(["a", "c"]);
    expect(report.unfinished.map((a) => a.taskId)).toStrictEqual(["a"]);
  });

  it("flags an attempt that started on a lease already expired in Redis", () => {
    const late: AttemptRecord = { ...start("a", 1, 1, 100), leaseUntilSec: 990 };
    const report = analyseAttempts(["a"], pairAttempts([late, end("a", 1, 1, 200)], []));
    expect(report.withoutLease).toHaveLength(1);
  });
});
