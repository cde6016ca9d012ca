import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeDequeueLeaseConformance(options: ConformanceOptions): void {
  options.test.describe("dequeue-lease", () => {
    withContext(options, (_ctx) => {});
  });
}
