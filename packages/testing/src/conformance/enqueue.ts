import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeEnqueueConformance(options: ConformanceOptions): void {
  options.test.describe("enqueue", () => {
    withContext(options, (_ctx) => {});
  });
}
