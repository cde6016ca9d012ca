import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeUniquenessConformance(options: ConformanceOptions): void {
  options.test.describe("uniqueness", () => {
    withContext(options, (_ctx) => {});
  });
}
