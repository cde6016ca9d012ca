import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeInspectorReadsConformance(options: ConformanceOptions): void {
  options.test.describe("inspector-reads", () => {
    withContext(options, (_ctx) => {});
  });
}
