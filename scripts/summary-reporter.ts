// Vitest reporter that prints the plain closing line CI reads: "N passed, N failed, N skipped".
// With SUMMARY_FILE set it also writes the line there, so .ci/run can print it last of all.
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of modules) {
      const tests = [...module.children.allTests()];
      // A file that fails to load has no tests, yet must not pass silently.
      if (tests.length === 0 && module.state() === "failed") failed++;
      for (const test of tests) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
    }
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.SUMMARY_FILE) writeFileSync(process.env.SUMMARY_FILE, `${line}\n`);
  }
}
