import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeInspectorMutationsConformance(options: ConformanceOptions): void {
  options.test.describe("inspector-mutations", () => {
    withContext(options, (_ctx) => {});
  });
}
