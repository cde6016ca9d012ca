import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeAggregationGroupsConformance(options: ConformanceOptions): void {
  options.test.describe("aggregation-groups", () => {
    withContext(options, (_ctx) => {});
  });
}
