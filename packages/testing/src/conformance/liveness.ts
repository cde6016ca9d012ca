import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeLivenessConformance(options: ConformanceOptions): void {
  options.test.describe("liveness", () => {
    withContext(options, (_ctx) => {});
  });
}
