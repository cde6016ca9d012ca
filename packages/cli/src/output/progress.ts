import { Presets, SingleBar } from "cli-progress";
import type { OutputStream } from "../io.js";

/** A progress display; a no-op when nobody is watching. */
export interface Progress {
  increment(by?: number): void;
  /** Sets the figures at once (a bulk operation reports its count only when it ends). */
  update(value: number, total?: number): void;
  stop(): void;
}

const SILENT: Progress = { increment() {}, update() {}, stop() {} };

/**
 * A progress bar on `stream` (stderr) when it is a terminal, so piped or scripted runs get
 * clean output; otherwise nothing is drawn.
 */
export function startProgress(stream: OutputStream, label: string, total: number): Progress {
  if (stream.isTTY !== true) return SILENT;
  const bar = new SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `${label} [{bar}] {value}/{total} | {duration_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    update: (value, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}

/** The outcome of one item of a multi-item command. */
export type ItemOutcome<T> =
  | { ok: true; item: string; value: T }
  | { ok: false; item: string; error: unknown };

/**
 * Runs `work` on each item in order, with a progress bar when there are several, and collects
 * every outcome: one failing item does not stop the others.
 */
export async function forEachWithProgress<T>(
  stream: OutputStream,
  label: string,
  items: readonly string[],
  work: (item: string) => Promise<T>,
): Promise<ItemOutcome<T>[]> {
  const progress = items.length > 1 ? startProgress(stream, label, items.length) : SILENT;
  const outcomes: ItemOutcome<T>[] = [];
  try {
    for (const item of items) {
      try {
        outcomes.push({ ok: true, item, value: await work(item) });
      } catch (error) {
        outcomes.push({ ok: false, item, error });
      }
      progress.increment();
    }
  } finally {
    progress.stop();
  }
  return outcomes;
}
