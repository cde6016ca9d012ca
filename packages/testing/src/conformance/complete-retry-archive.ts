import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeCompleteRetryArchiveConformance(options: ConformanceOptions): void {
  options.test.describe("complete-retry-archive", () => {
    withContext(options, (_ctx) => {});
  });
}
