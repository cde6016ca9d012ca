import { UsageError } from "../errors.js";

/** The `--group` to use: required for aggregating tasks, meaningless for any other state. */
export function groupFor(state: string, group: string | undefined): string | undefined {
  if (state === "aggregating" && group === undefined) {
    throw new UsageError("--group is required with --state aggregating");
  }
  if (state !== "aggregating" && group !== undefined) {
    throw new UsageError("--group applies only to --state aggregating");
  }
  return group;
}
