import type { Clock } from "@asynq-ts/core";

/** A clock that only moves when told to. Starts at a whole second so second-precision backends agree. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by `ms` (never backwards). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError("a clock only moves forward");
    this.#now += ms;
  }

  /** Jumps to an instant at or after the current one. */
  set(instant: Date | number): void {
    const ms = typeof instant === "number" ? instant : instant.getTime();
    if (ms < this.#now) throw new RangeError("a clock only moves forward");
    this.#now = ms;
  }
}
