import { DAY, type DailyStats, DEFAULTS } from "@asynq-ts/core";

interface DayCounter {
  processed: number;
  failed: number;
  /** Like asynq's daily keys, a day's counters expire `statsTtl` after their first increment. */
  readonly expiresAt: number;
}

/** `YYYY-MM-DD` of the UTC day containing `instant`. */
export function utcDay(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** A queue's processed/failed counters: per UTC day and all-time. */
export class QueueCounters {
  processedTotal = 0;
  failedTotal = 0;
  readonly #days = new Map<string, DayCounter>();

  /** Counts one processed task (and one failure when `failed`) on the UTC day of `now`. */
  count(now: number, failed: boolean): void {
    this.#prune(now);
    const date = utcDay(now);
    let day = this.#days.get(date);
    if (day === undefined) {
      day = { processed: 0, failed: 0, expiresAt: now + DEFAULTS.statsTtl };
      this.#days.set(date, day);
    }
    day.processed += 1;
    this.processedTotal += 1;
    if (failed) {
      day.failed += 1;
      this.failedTotal += 1;
    }
  }

  /** Counters of the UTC day containing `instant`, as seen at `now`. */
  day(instant: number, now: number): { processed: number; failed: number } {
    const day = this.#days.get(utcDay(instant));
    if (day === undefined || day.expiresAt <= now) return { processed: 0, failed: 0 };
    return { processed: day.processed, failed: day.failed };
  }

  /** The last `days` UTC days, today first, zeros where nothing was counted. */
  history(queue: string, now: number, days: number): DailyStats[] {
    const result: DailyStats[] = [];
    for (let i = 0; i < days; i += 1) {
      const instant = now - i * DAY;
      result.push({ queue, date: utcDay(instant), ...this.day(instant, now) });
    }
    return result;
  }

  #prune(now: number): void {
    for (const [date, day] of this.#days) if (day.expiresAt <= now) this.#days.delete(date);
  }
}
