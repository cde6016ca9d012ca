import { type ConformanceOptions, withContext } from "./harness.js";

/** Conformance: TODO. */
export function describeMaintenanceConformance(options: ConformanceOptions): void {
  options.test.describe("maintenance", () => {
    withContext(options, (_ctx) => {});
  });
}
