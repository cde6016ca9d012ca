/** Source of the current time, in epoch milliseconds. Core never reads the wall clock directly. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
