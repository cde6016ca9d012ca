import { failureOf, ReportedFailure } from "../errors.js";
import type { Output } from "../output/output.js";
import type { ItemOutcome } from "../output/progress.js";

/**
 * Reports a multi-item command (several queues or task IDs): a line per item (errors on
 * stderr), or with --json one array of `{ <key>: item, ok, error? }`. Throws
 * `ReportedFailure` (exit status 1) when any item failed, after reporting all of them.
 */
export function reportOutcomes<T>(
  out: Output,
  key: string,
  outcomes: readonly ItemOutcome<T>[],
  describe: (item: string, value: T) => string,
): void {
  if (out.json) {
    out.emit(
      outcomes.map((o) => {
        if (o.ok) return { [key]: o.item, ok: true };
        const { code, message } = failureOf(o.error);
        return { [key]: o.item, ok: false, error: { code, message } };
      }),
    );
  } else {
    for (const o of outcomes) {
      if (o.ok) out.line(describe(o.item, o.value));
      else out.error(failureOf(o.error).message);
    }
  }
  const exitCodes = outcomes.flatMap((o) => (o.ok ? [] : [failureOf(o.error).exitCode]));
  if (exitCodes.length > 0) throw new ReportedFailure(Math.max(...exitCodes));
}
