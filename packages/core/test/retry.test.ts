import { defaultRetryDelay, seededRandom } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

const RETRIES = Array.from({ length: 26 }, (_, n) => n);
const lowest = (n: number) => (n ** 4 + 15) * 1_000;
const highest = (n: number) => (n ** 4 + 15 + 29 * (n + 1)) * 1_000;

describe("defaultRetryDelay", () => {
  it.each(RETRIES)("is n⁴ + 15 s for n = %i when the draw is 0", (n) => {
    expect(defaultRetryDelay(n, () => 0)).toBe(lowest(n));
  });

  it.each(RETRIES)("is n⁴ + 15 + 29·(n+1) s for n = %i when the draw approaches 1", (n) => {
    expect(defaultRetryDelay(n, () => 0.999999)).toBe(highest(n));
  });

  it("stays within the bounds and on whole seconds for every draw", () => {
    const random = seededRandom(7);
    const outOfBounds: [number, number][] = [];
    for (const n of RETRIES) {
      for (let i = 0; i < 200; i++) {
        const delay = defaultRetryDelay(n, random);
        const jitter = delay - lowest(n);
        // The jitter is a whole number of seconds times (n + 1), at most 29·(n + 1) s.
        if (jitter < 0 || delay > highest(n) || jitter % ((n + 1) * 1_000) !== 0) {
          outOfBounds.push([n, delay]);
        }
      }
    }
    expect(outOfBounds).toStrictEqual([]);
  });

  it("matches asynq's documented ranges", () => {
    expect([defaultRetryDelay(0, () => 0), defaultRetryDelay(0, () => 0.999999)]).toStrictEqual([
      15_000, 44_000,
    ]);
    expect([defaultRetryDelay(1, () => 0), defaultRetryDelay(1, () => 0.999999)]).toStrictEqual([
      16_000, 74_000,
    ]);
  });

  it("treats a negative retry count as 0", () => {
    expect(defaultRetryDelay(-3, () => 0)).toBe(15_000);
  });

  it("uses Math.random when no source is given", () => {
    const delay = defaultRetryDelay(2);
    expect(delay).toBeGreaterThanOrEqual(lowest(2));
    expect(delay).toBeLessThanOrEqual(highest(2));
  });
});

describe("seededRandom", () => {
  const draws = (seed: number, count: number) => {
    const random = seededRandom(seed);
    return Array.from({ length: count }, () => random());
  };

  it("repeats its sequence for the same seed", () => {
    expect(draws(123, 1_000)).toStrictEqual(draws(123, 1_000));
  });

  it("gives different sequences for different seeds", () => {
    expect(draws(1, 10)).not.toStrictEqual(draws(2, 10));
  });

  it("reduces the seed to 32 bits", () => {
    expect(draws(2 ** 32 + 5, 10)).toStrictEqual(draws(5, 10));
  });

  it("stays in [0, 1) and reaches every tenth of it", () => {
    const values = draws(99, 10_000);
    expect(values.filter((v) => !(v >= 0 && v < 1))).toStrictEqual([]);
    expect(new Set(values.map((v) => Math.floor(v * 10))).size).toBe(10);
  });
});
