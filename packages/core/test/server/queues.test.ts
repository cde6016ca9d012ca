import { seededRandom, Task } from "@asynq-ts/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { until, World } from "./support.js";

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

async function fill(queue: string, count: number): Promise<void> {
  const items = Array.from({ length: count }, () => ({
    task: new Task("job"),
    options: { queue },
  }));
  const results = await world.client.enqueueBulk(items);
  expect(results.every((r) => r.ok)).toBe(true);
}

describe("queue priorities", () => {
  it("serves weighted queues in proportion to their priorities", async () => {
    const order: string[] = [];
    for (const queue of ["critical", "default", "low"]) await fill(queue, 1_000);
    const sample = 1_000;
    const server = await world.start(
      async (_task, ctx) => {
        order.push(ctx.queue);
        if (order.length === sample) void server.stop();
      },
      { queues: { critical: 6, default: 3, low: 1 }, random: seededRandom(42) },
    );
    await until(() => order.length >= sample, "a thousand tasks");
    const share = (queue: string) =>
      order.slice(0, sample).filter((q) => q === queue).length / sample;
    // Every queue stays non-empty, so each dequeue takes the queue drawn first.
    expect(share("critical")).toBeGreaterThan(0.55);
    expect(share("critical")).toBeLessThan(0.65);
    expect(share("default")).toBeGreaterThan(0.25);
    expect(share("default")).toBeLessThan(0.35);
    expect(share("low")).toBeGreaterThan(0.06);
    expect(share("low")).toBeLessThan(0.14);
  });

  it("starves lower queues under strict priority while higher ones have work", async () => {
    const order: string[] = [];
    await fill("low", 5);
    await fill("critical", 5);
    await world.start(
      async (_task, ctx) => {
        order.push(ctx.queue);
      },
      { queues: { critical: 2, low: 1 }, strictPriority: true },
    );
    await until(() => order.length === 10, "every task");
    expect(order).toStrictEqual([...Array(5).fill("critical"), ...Array(5).fill("low")]);
  });

  it("falls back to a lower queue when the one drawn is empty", async () => {
    const order: string[] = [];
    await fill("low", 3);
    await world.start(
      async (_task, ctx) => {
        order.push(ctx.queue);
      },
      { queues: { critical: 100, low: 1 } },
    );
    await until(() => order.length === 3, "every task");
    expect(order).toStrictEqual(["low", "low", "low"]);
  });

  it("ignores queues it does not serve", async () => {
    let handled = 0;
    await fill("other", 2);
    await fill("default", 1);
    await world.start(async () => {
      handled++;
    });
    await until(() => handled === 1, "the default task");
    await world.clock.tick(5_000);
    expect(handled).toBe(1);
  });
});
