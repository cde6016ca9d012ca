import { sleep, systemTimers } from "@asynq-ts/core";
import { FakeClock } from "@asynq-ts/testing";
import { describe, expect, it } from "vitest";

describe("FakeClock as timers", () => {
  it("fires due timers in time order, each at its own instant", () => {
    const clock = new FakeClock(1_000);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(["b", clock.now()]), 200);
    clock.setTimeout(() => fired.push(["a", clock.now()]), 100);
    clock.setTimeout(() => fired.push(["c", clock.now()]), 200);
    clock.setTimeout(() => fired.push(["late", clock.now()]), 500);
    clock.advance(300);
    expect(fired).toStrictEqual([
      ["a", 1_100],
      ["b", 1_200],
      ["c", 1_200],
    ]);
    expect(clock.now()).toBe(1_300);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextTimerAt()).toBe(1_500);
  });

  it("fires timers scheduled by timers when they fall due within the same move", () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    const every100 = () => {
      fired.push(clock.now());
      clock.setTimeout(every100, 100);
    };
    clock.setTimeout(every100, 100);
    clock.set(350);
    expect(fired).toStrictEqual([100, 200, 300]);
  });

  it("does not fire cleared timers", () => {
    const clock = new FakeClock(0);
    let fired = false;
    const handle = clock.setTimeout(() => {
      fired = true;
    }, 10);
    clock.clearTimeout(handle);
    clock.advance(100);
    expect(fired).toBe(false);
  });

  it("lets promises started by a timer settle before the next timer fires when ticking", async () => {
    const clock = new FakeClock(0);
    const log: string[] = [];
    clock.setTimeout(() => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => log.push(`work of first at ${clock.now()}`));
    }, 10);
    clock.setTimeout(() => log.push(`second at ${clock.now()}`), 20);
    await clock.tick(30);
    expect(log).toStrictEqual(["work of first at 10", "second at 20"]);
    expect(clock.now()).toBe(30);
  });

  it("refuses to move backwards", async () => {
    const clock = new FakeClock(100);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set(99)).toThrow(RangeError);
    await expect(clock.tick(-1)).rejects.toThrow(RangeError);
  });

  it("drives sleep, which also ends early on abort", async () => {
    const clock = new FakeClock(0);
    const slept = sleep(clock, 1_000);
    await clock.tick(1_000);
    await expect(slept).resolves.toBe(true);
    const controller = new AbortController();
    const cut = sleep(clock, 1_000, controller.signal);
    controller.abort();
    await expect(cut).resolves.toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });
});

describe("systemTimers", () => {
  it("runs and clears callbacks", async () => {
    let cleared = false;
    const handle = systemTimers.setTimeout(() => {
      cleared = true;
    }, 0);
    systemTimers.clearTimeout(handle);
    const ran = await new Promise<boolean>((resolve) => {
      systemTimers.setTimeout(() => resolve(true), 0);
    });
    expect(ran).toBe(true);
    expect(cleared).toBe(false);
  });
});
