import {
  createQueueSelector,
  InvalidArgumentError,
  type QueuePriorities,
  type QueueSelector,
  StrictQueueSelector,
  seededRandom,
  WeightedQueueSelector,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { invalidArgument } from "./support/fixtures.js";

const DRAWS = 60_000;

function orders(selector: QueueSelector, count: number): (readonly string[])[] {
  return Array.from({ length: count }, () => selector.order());
}

function share(list: readonly (readonly string[])[], predicate: (o: readonly string[]) => boolean) {
  return list.filter(predicate).length / list.length;
}

describe("WeightedQueueSelector", () => {
  const priorities = { critical: 6, default: 3, low: 1 };
  const draws = orders(new WeightedQueueSelector(priorities, seededRandom(2026)), DRAWS);

  it.each([
    ["critical", 0.6],
    ["default", 0.3],
    ["low", 0.1],
  ])("puts %s first in its share of draws (±2 points)", (queue, expected) => {
    expect(Math.abs(share(draws, (o) => o[0] === queue) - expected)).toBeLessThan(0.02);
  });

  it("orders the rest by weight too: after critical, default comes next 3 times in 4", () => {
    const afterCritical = draws.filter((o) => o[0] === "critical");
    expect(Math.abs(share(afterCritical, (o) => o[1] === "default") - 0.75)).toBeLessThan(0.02);
  });

  it("puts every queue exactly once in every order", () => {
    const malformed = draws.filter((o) => [...o].sort().join() !== "critical,default,low");
    expect(malformed).toStrictEqual([]);
  });

  it("gives the same orders for priorities with a common divisor", () => {
    const scaled = orders(new WeightedQueueSelector({ a: 2, b: 4 }, seededRandom(5)), 2_000);
    const reduced = orders(new WeightedQueueSelector({ a: 1, b: 2 }, seededRandom(5)), 2_000);
    expect(scaled).toStrictEqual(reduced);
    const three = orders(new WeightedQueueSelector({ a: 3, b: 6, c: 9 }, seededRandom(8)), 2_000);
    const one = orders(new WeightedQueueSelector({ a: 1, b: 2, c: 3 }, seededRandom(8)), 2_000);
    expect(three).toStrictEqual(one);
  });

  it("returns the single queue without drawing", () => {
    const selector = new WeightedQueueSelector({ only: 5 }, () => {
      throw new Error("random must not be called for one queue");
    });
    expect(selector.order()).toStrictEqual(["only"]);
    expect(selector.order()).toStrictEqual(["only"]);
  });

  it("is reproducible for the same seed", () => {
    const first = orders(new WeightedQueueSelector(priorities, seededRandom(1)), 100);
    const second = orders(new WeightedQueueSelector(priorities, seededRandom(1)), 100);
    expect(first).toStrictEqual(second);
  });
});

describe("StrictQueueSelector", () => {
  it("orders by priority, highest first", () => {
    const selector = new StrictQueueSelector({ low: 1, critical: 6, default: 3 });
    expect(selector.order()).toStrictEqual(["critical", "default", "low"]);
    expect(selector.order()).toStrictEqual(["critical", "default", "low"]);
  });

  it("breaks ties by name whatever the insertion order", () => {
    expect(new StrictQueueSelector({ b: 2, c: 1, a: 2 }).order()).toStrictEqual(["a", "b", "c"]);
    expect(new StrictQueueSelector({ a: 2, b: 2, c: 1 }).order()).toStrictEqual(["a", "b", "c"]);
  });

  it("compares tied names by code unit, independent of the locale", () => {
    expect(new StrictQueueSelector({ b: 1, a: 1, B: 1, Ä: 1 }).order()).toStrictEqual([
      "B",
      "a",
      "b",
      "Ä",
    ]);
  });
});

describe("createQueueSelector", () => {
  it("builds a strict selector when asked", () => {
    expect(createQueueSelector({ a: 1, b: 2 }, true)).toBeInstanceOf(StrictQueueSelector);
  });

  it("builds a weighted selector using the given random source", () => {
    const selector = createQueueSelector({ a: 1, b: 1 }, false, () => 0);
    expect(selector).toBeInstanceOf(WeightedQueueSelector);
    expect(selector.order()).toStrictEqual(["a", "b"]);
  });
});

describe("queue priority validation", () => {
  const invalid: [string, unknown, string][] = [
    ["no queues", {}, "queues"],
    ["a zero priority", { a: 0 }, "queues.a"],
    ["a negative priority", { a: -1 }, "queues.a"],
    ["a fractional priority", { a: 1.5 }, "queues.a"],
    ["a NaN priority", { a: Number.NaN }, "queues.a"],
    ["a string priority", { a: "3" }, "queues.a"],
    ["a blank name", { "": 1 }, "queues"],
    ["a whitespace name", { "  ": 1 }, "queues"],
  ];

  it.each(invalid)("refuses %s in both selectors", (_name, queues, field) => {
    for (const build of [
      () => new WeightedQueueSelector(queues as QueuePriorities),
      () => new StrictQueueSelector(queues as QueuePriorities),
    ]) {
      const error = invalidArgument(build);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(error.field).toBe(field);
    }
  });
});
