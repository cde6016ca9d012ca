import {
  DEFAULTS,
  defaultArchiveTrim,
  placementOf,
  type ResolvedOptions,
  resolveOptions,
  type TaskOptions,
  uniqueLockExpiry,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";
import { NOW, sequentialIds } from "./support/fixtures.js";

const resolve = (...layers: (TaskOptions | undefined)[]): ResolvedOptions =>
  resolveOptions(layers, NOW, sequentialIds());

describe("resolveOptions defaults", () => {
  it("applies Go asynq's defaults when no option is given", () => {
    expect(resolve()).toStrictEqual({
      queue: "default",
      taskId: "id-1",
      maxRetry: 25,
      timeout: 1_800_000,
      deadline: 0,
      unique: 0,
      processAt: NOW,
      retention: 0,
      group: "",
      headers: {},
    });
  });

  it("exposes the same defaults in DEFAULTS", () => {
    expect(DEFAULTS.queue).toBe("default");
    expect(DEFAULTS.maxRetry).toBe(25);
    expect(DEFAULTS.timeout).toBe(1_800_000);
    expect(DEFAULTS.minimumDuration).toBe(1_000);
  });

  it("uses the 30-minute timeout when the timeout is 0 and there is no deadline", () => {
    expect(resolve({ timeout: 0 }).timeout).toBe(1_800_000);
  });

  it("uses no timeout when only a deadline is given", () => {
    const deadline = NOW + 60_000;
    const resolved = resolve({ deadline });
    expect(resolved.timeout).toBe(0);
    expect(resolved.deadline).toBe(deadline);
  });

  it("accepts a Date deadline and stores epoch ms", () => {
    expect(resolve({ deadline: new Date(NOW + 5_000) }).deadline).toBe(NOW + 5_000);
  });

  it("keeps an explicit timeout, with or without a deadline", () => {
    expect(resolve({ timeout: 5_000 }).timeout).toBe(5_000);
    const both = resolve({ timeout: 5_000, deadline: NOW + 60_000 });
    expect(both.timeout).toBe(5_000);
    expect(both.deadline).toBe(NOW + 60_000);
  });

  it("turns a negative maxRetry into 0 and keeps 0", () => {
    expect(resolve({ maxRetry: -3 }).maxRetry).toBe(0);
    expect(resolve({ maxRetry: 0 }).maxRetry).toBe(0);
    expect(resolve({ maxRetry: 7 }).maxRetry).toBe(7);
  });

  it("keeps retention, unique and group as given", () => {
    const resolved = resolve({ retention: 3_600_000, unique: 60_000, group: "daily" });
    expect(resolved.retention).toBe(3_600_000);
    expect(resolved.unique).toBe(60_000);
    expect(resolved.group).toBe("daily");
  });
});

describe("resolveOptions layering", () => {
  it("lets a later layer override an earlier one and keeps the rest", () => {
    const resolved = resolve({ queue: "low", maxRetry: 3 }, { queue: "critical" });
    expect(resolved.queue).toBe("critical");
    expect(resolved.maxRetry).toBe(3);
  });

  it("skips undefined layers and undefined values", () => {
    // A JavaScript caller can pass an explicit undefined; it must not reset the earlier value.
    const blank = { queue: undefined } as unknown as TaskOptions;
    expect(resolve({ queue: "low" }, undefined, blank).queue).toBe("low");
  });

  it("lets processAt given after processIn win", () => {
    expect(resolve({ processIn: 60_000 }, { processAt: NOW + 5_000 }).processAt).toBe(NOW + 5_000);
  });

  it("lets processIn given after processAt win", () => {
    expect(resolve({ processAt: NOW + 5_000 }, { processIn: 60_000 }).processAt).toBe(NOW + 60_000);
  });

  it("decides processAt vs processIn by key order within one object", () => {
    expect(resolve({ processAt: NOW + 5_000, processIn: 60_000 }).processAt).toBe(NOW + 60_000);
    expect(resolve({ processIn: 60_000, processAt: NOW + 5_000 }).processAt).toBe(NOW + 5_000);
  });

  it("accepts processAt as a Date", () => {
    expect(resolve({ processAt: new Date(NOW + 1_000) }).processAt).toBe(NOW + 1_000);
  });

  it("merges headers across layers, the later value winning per key", () => {
    const resolved = resolve({ headers: { a: "1", b: "1" } }, { headers: { b: "2", c: "2" } });
    expect(resolved.headers).toStrictEqual({ a: "1", b: "2", c: "2" });
  });

  it("copies headers instead of keeping the caller's object", () => {
    const headers = { a: "1" };
    const resolved = resolve({ headers });
    headers.a = "changed";
    expect(resolved.headers).toStrictEqual({ a: "1" });
  });
});

describe("resolveOptions task IDs", () => {
  it("takes a generated ID from the injected generator when none is given", () => {
    const ids = sequentialIds("gen");
    expect(resolveOptions([{}], NOW, ids).taskId).toBe("gen-1");
    expect(resolveOptions([{}], NOW, ids).taskId).toBe("gen-2");
    expect(ids.issued).toBe(2);
  });

  it("uses an explicit taskId without consuming a generated one", () => {
    const ids = sequentialIds();
    expect(resolveOptions([{ taskId: "mine" }], NOW, ids).taskId).toBe("mine");
    expect(ids.issued).toBe(0);
  });

  it("does not consume an ID when validation fails", () => {
    const ids = sequentialIds();
    expect(() => resolveOptions([{ timeout: 500 }], NOW, ids)).toThrow();
    expect(ids.issued).toBe(0);
  });
});

describe("placementOf", () => {
  it("schedules a task due in the future", () => {
    expect(placementOf(resolve({ processIn: 1_000 }), NOW)).toStrictEqual({
      state: "scheduled",
      processAt: NOW + 1_000,
    });
  });

  it("makes a task due now or in the past pending", () => {
    expect(placementOf(resolve(), NOW)).toStrictEqual({ state: "pending" });
    expect(placementOf(resolve({ processAt: NOW - 60_000 }), NOW)).toStrictEqual({
      state: "pending",
    });
  });

  it("puts a grouped task that is due into its group", () => {
    expect(placementOf(resolve({ group: "daily" }), NOW)).toStrictEqual({
      state: "aggregating",
      group: "daily",
    });
  });

  it("schedules a grouped task that is not yet due (it aggregates once forwarded)", () => {
    const resolved = resolve({ group: "daily", processIn: 60_000 });
    expect(placementOf(resolved, NOW)).toStrictEqual({
      state: "scheduled",
      processAt: NOW + 60_000,
    });
    expect(resolved.group).toBe("daily");
  });
});

describe("uniqueLockExpiry", () => {
  it("expires ttl after now for a task due now", () => {
    expect(uniqueLockExpiry(resolve({ unique: 60_000 }), NOW)).toBe(NOW + 60_000);
  });

  it("expires ttl after processAt for a scheduled task", () => {
    expect(uniqueLockExpiry(resolve({ unique: 60_000, processIn: 3_600_000 }), NOW)).toBe(
      NOW + 3_600_000 + 60_000,
    );
  });

  it("expires ttl after now when processAt lies in the past", () => {
    expect(uniqueLockExpiry(resolve({ unique: 60_000, processAt: NOW - 10_000 }), NOW)).toBe(
      NOW + 60_000,
    );
  });
});

describe("defaultArchiveTrim", () => {
  it("keeps at most 10 000 archived tasks and none older than 90 days", () => {
    expect(defaultArchiveTrim(NOW)).toStrictEqual({
      maxSize: 10_000,
      cutoff: NOW - 90 * 24 * 3_600_000,
    });
  });
});
