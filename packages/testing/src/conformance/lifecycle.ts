import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeLifecycleConformance(options: ConformanceOptions): void {
  options.test.describe("lifecycle", () => {
    withContext(options, (_ctx) => {});
  });
}
