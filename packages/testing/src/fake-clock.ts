import type { Clock, TimerHandle, Timers } from "@asynq-ts/core";

interface FakeTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/** How many event-loop turns `flush` gives pending promise chains. */
const FLUSH_TURNS = 20;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A clock that only moves when told to, and the timers that go with it: a callback scheduled
 * with `setTimeout` runs when the clock is moved to or past its due time, in time order (ties
 * in scheduling order). Starts at a whole second so second-precision backends agree.
 *
 * Pass it as both `clock` and `timers` to a server, then step it with `tick`, which lets the
 * promises each timer starts settle before the next one fires.
 */
export class FakeClock implements Clock, Timers {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, FakeTimer>();

  constructor(start: Date | number = Date.UTC(2030, 0, 1)) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by `ms` (never backwards), running due timers synchronously on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError("a clock only moves forward");
    this.#runUntil(this.#now + ms);
  }

  /** Jumps to an instant at or after the current one, running due timers on the way. */
  set(instant: Date | number): void {
    const ms = typeof instant === "number" ? instant : instant.getTime();
    if (ms < this.#now) throw new RangeError("a clock only moves forward");
    this.#runUntil(ms);
  }

  /**
   * Moves time forward by `ms`, firing due timers one at a time in time order and letting
   * pending promise callbacks run after each (and at the start and end), so that work a timer
   * starts, and timers that work schedules, happen before time moves on.
   */
  async tick(ms = 0): Promise<void> {
    if (!(ms >= 0)) throw new RangeError("a clock only moves forward");
    const target = this.#now + ms;
    await this.flush();
    for (let timer = this.#nextDue(target); timer !== undefined; timer = this.#nextDue(target)) {
      this.#fire(timer);
      await this.flush();
    }
    this.#now = target;
    await this.flush();
  }

  /** Lets pending promise callbacks run (a few event-loop turns) without moving time. */
  async flush(): Promise<void> {
    for (let i = 0; i < FLUSH_TURNS; i++) await nextTurn();
  }

  /** Schedules `callback` at now + `ms` (at the current instant for 0 or less). */
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#nextId++;
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.#timers.set(id, { id, due: this.#now + delay, callback });
    return id;
  }

  /** Cancels a timer that has not fired; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === "number") this.#timers.delete(handle);
  }

  /** How many timers are scheduled and not yet fired. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** When the earliest scheduled timer is due, or undefined when none is scheduled. */
  nextTimerAt(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers.values()) {
      if (next === undefined || timer.due < next) next = timer.due;
    }
    return next;
  }

  #runUntil(target: number): void {
    for (let timer = this.#nextDue(target); timer !== undefined; timer = this.#nextDue(target)) {
      this.#fire(timer);
    }
    this.#now = target;
  }

  #nextDue(target: number): FakeTimer | undefined {
    let next: FakeTimer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.due > target) continue;
      if (
        next === undefined ||
        timer.due < next.due ||
        (timer.due === next.due && timer.id < next.id)
      ) {
        next = timer;
      }
    }
    return next;
  }

  #fire(timer: FakeTimer): void {
    this.#timers.delete(timer.id);
    // Timers due in the past (scheduled with 0 ms) run at the current instant.
    if (timer.due > this.#now) this.#now = timer.due;
    timer.callback();
  }
}
