import { describe, expect, it } from "vitest";
import type { SentinelLibrary } from "../src/index.js";
import { type FailoverReport, runFailoverScenario } from "./support/failover-scenario.js";

// Both client libraries go through the same two failovers at once, each on a sentinel group of
// its own: the runs are mostly waiting, and running them side by side halves the wall time.
const LIBRARIES: readonly SentinelLibrary[] = ["ioredis", "node-redis"];

describe.concurrent.each(LIBRARIES)("failover with %s", (library) => {
  it("loses no durably enqueued task, resumes on the new master, keeps cancellations", async () => {
    const report = await runFailoverScenario(library);
    console.log(summary(report));

    // Every acknowledged durable enqueue is on the surviving master: completed or still queued.
    expect(report.durable.lost).toEqual([]);
    expect(report.durable.acknowledgedBeforeKill).toBeGreaterThan(0);
    // Processing came back on each new master, and the server's cancellation subscription
    // followed both failovers.
    expect(report.resumeAfterFailoverMs).toBeDefined();
    expect(report.resumeAfterKillMs).toBeDefined();
    expect(report.cancellationDelivered).toBe(true);
    // Plain enqueue gives no such guarantee: its losses are reported above, not asserted.
    expect(report.plain.acknowledged).toBeGreaterThan(0);
  }, 90_000);
});

function summary(report: FailoverReport): string {
  const { durable, plain } = report;
  const seconds = (ms: number | undefined) =>
    ms === undefined ? "never" : `${(ms / 1000).toFixed(2)} s`;
  return [
    `[failover ${report.library}] resumed ${seconds(report.resumeAfterFailoverMs)} after SENTINEL FAILOVER, ` +
      `${seconds(report.resumeAfterKillMs)} after SIGKILL of the new master`,
    `  durable: ${durable.acknowledged} acknowledged, ${durable.lost.length} lost ` +
      `(${durable.acknowledgedBeforeKill} acknowledged in the second before the kill, ` +
      `${durable.lostOfAcknowledgedBeforeKill} of them lost), ` +
      `failures ${JSON.stringify(durable.failures)}, final states ${JSON.stringify(durable.states)}, ` +
      `${durable.handledTwice} handled twice`,
    `  plain:   ${plain.acknowledged} acknowledged, ${plain.lost.length} lost ` +
      `(${plain.lostUnhandled} never handled, the rest handled on the demoted master; ` +
      `${plain.lostOfAcknowledgedBeforeKill} of ${plain.acknowledgedBeforeKill} acknowledged in the second before the kill), ` +
      `failures ${JSON.stringify(plain.failures)}, final states ${JSON.stringify(plain.states)}, ` +
      `${plain.handledTwice} handled twice`,
    `  server log lines: ${JSON.stringify(report.serverLogLines)} ${report.serverProblems.join(" | ")}`,
  ].join("\n");
}
