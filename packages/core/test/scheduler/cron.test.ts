import { InvalidArgumentError, parseCronSpec } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The first `count` fire times strictly after `from`. */
function fires(spec: string, from: string, count: number, location?: string): string[] {
  const schedule = parseCronSpec(spec, location);
  const out: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < count; i++) {
    const next = schedule.nextAfter(at);
    if (next === null) break;
    out.push(iso(next) ?? "");
    at = next;
  }
  return out;
}

/** Every fire time in [from, to). */
function firesBetween(spec: string, from: string, to: string, location: string): number[] {
  const schedule = parseCronSpec(spec, location);
  const out: number[] = [];
  for (let at = schedule.nextAfter(Date.parse(from) - 1); at !== null && at < Date.parse(to); ) {
    out.push(at);
    at = schedule.nextAfter(at);
  }
  return out;
}

describe("five-field specs", () => {
  it("fires strictly after the given instant, in UTC by default", () => {
    expect(fires("*/15 * * * *", "2030-01-01T00:00:00Z", 3)).toStrictEqual([
      "2030-01-01T00:15:00.000Z",
      "2030-01-01T00:30:00.000Z",
      "2030-01-01T00:45:00.000Z",
    ]);
    expect(fires("0 9 * * MON-FRI", "2030-01-04T10:00:00Z", 2)).toStrictEqual([
      "2030-01-07T09:00:00.000Z",
      "2030-01-08T09:00:00.000Z",
    ]);
  });

  it("reads the fields in the location", () => {
    expect(fires("0 9 * * *", "2030-01-01T00:00:00Z", 1, "Asia/Tokyo")).toStrictEqual([
      "2030-01-02T00:00:00.000Z",
    ]);
  });

  it("lets a CRON_TZ= (or TZ=) prefix override the location", () => {
    expect(
      fires("CRON_TZ=America/New_York 0 9 * * *", "2030-01-01T00:00:00Z", 1, "Asia/Tokyo"),
    ).toStrictEqual(["2030-01-01T14:00:00.000Z"]);
    expect(fires("TZ=America/New_York 0 9 * * *", "2030-07-01T00:00:00Z", 1)).toStrictEqual([
      "2030-07-01T13:00:00.000Z",
    ]);
    expect(parseCronSpec("CRON_TZ=Asia/Tokyo * * * * *").timeZone).toBe("Asia/Tokyo");
  });

  it("knows the last fire at or before an instant", () => {
    const hourly = parseCronSpec("0 * * * *");
    expect(iso(hourly.lastAtOrBefore(Date.parse("2030-01-01T05:00:00Z")))).toBe(
      "2030-01-01T05:00:00.000Z",
    );
    expect(iso(hourly.lastAtOrBefore(Date.parse("2030-01-01T04:59:59.999Z")))).toBe(
      "2030-01-01T04:00:00.000Z",
    );
  });
});

describe("descriptors", () => {
  it.each([
    ["@hourly", "2030-01-01T01:00:00.000Z"],
    ["@daily", "2030-01-02T00:00:00.000Z"],
    ["@midnight", "2030-01-02T00:00:00.000Z"],
    ["@weekly", "2030-01-06T00:00:00.000Z"],
    ["@monthly", "2030-02-01T00:00:00.000Z"],
    ["@yearly", "2031-01-01T00:00:00.000Z"],
    ["@annually", "2031-01-01T00:00:00.000Z"],
  ])("%s fires next at %s", (spec, next) => {
    expect(fires(spec, "2030-01-01T00:00:00Z", 1)).toStrictEqual([next]);
  });

  it("@daily is local midnight in the location", () => {
    expect(fires("@daily", "2030-01-01T00:00:00Z", 1, "Europe/Berlin")).toStrictEqual([
      "2030-01-01T23:00:00.000Z",
    ]);
  });
});

describe("@every", () => {
  it("fires on multiples of the period counted from the Unix epoch, whenever it starts", () => {
    const every = parseCronSpec("@every 1m30s");
    const startedAt = Date.parse("2030-01-01T00:00:10Z");
    expect(iso(every.nextAfter(startedAt))).toBe("2030-01-01T00:01:30.000Z");
    expect(iso(every.nextAfter(Date.parse("2030-01-01T00:01:30Z")))).toBe(
      "2030-01-01T00:03:00.000Z",
    );
    expect(iso(every.lastAtOrBefore(Date.parse("2030-01-01T00:02:59Z")))).toBe(
      "2030-01-01T00:01:30.000Z",
    );
  });

  it("accepts Go durations and ignores the location", () => {
    expect(fires("@every 1h", "2030-01-01T00:30:00Z", 2, "Asia/Kolkata")).toStrictEqual([
      "2030-01-01T01:00:00.000Z",
      "2030-01-01T02:00:00.000Z",
    ]);
    expect(fires("@every 30s", "2030-01-01T00:00:00Z", 1)).toStrictEqual([
      "2030-01-01T00:00:30.000Z",
    ]);
  });
});

describe("daylight-saving changes in Europe/Berlin", () => {
  const berlin = "Europe/Berlin";

  it("spring forward: a fixed time in the skipped hour fires once, right after the gap", () => {
    // 2030-03-31: 02:00 CET jumps to 03:00 CEST (01:00Z).
    expect(fires("30 2 * * *", "2030-03-30T00:00:00Z", 3, berlin)).toStrictEqual([
      "2030-03-30T01:30:00.000Z",
      "2030-03-31T01:00:00.000Z",
      "2030-04-01T00:30:00.000Z",
    ]);
    expect(fires("30 2,3 * * *", "2030-03-30T22:00:00Z", 2, berlin)).toStrictEqual([
      "2030-03-31T01:00:00.000Z",
      "2030-03-31T01:30:00.000Z",
    ]);
  });

  it("fall back: a fixed time in the repeated hour fires once", () => {
    // 2030-10-27: 03:00 CEST falls back to 02:00 CET (01:00Z).
    expect(fires("30 2 * * *", "2030-10-26T00:00:00Z", 3, berlin)).toStrictEqual([
      "2030-10-26T00:30:00.000Z",
      "2030-10-27T00:30:00.000Z",
      "2030-10-28T01:30:00.000Z",
    ]);
    expect(fires("30 1-3 * * *", "2030-10-26T22:00:00Z", 4, berlin)).toStrictEqual([
      "2030-10-26T23:30:00.000Z",
      "2030-10-27T00:30:00.000Z",
      "2030-10-27T02:30:00.000Z",
      "2030-10-28T00:30:00.000Z",
    ]);
  });

  it.each([
    ["spring forward", "2030-03-30T12:00:00Z", "2030-03-31T12:00:00Z"],
    ["fall back", "2030-10-26T12:00:00Z", "2030-10-27T12:00:00Z"],
  ])("%s: interval specs keep real-time spacing, with no double or skipped run", (_, from, to) => {
    for (const [spec, step] of [
      ["0 * * * *", 3_600_000],
      ["*/30 * * * *", 1_800_000],
      ["@hourly", 3_600_000],
    ] as const) {
      const times = firesBetween(spec, from, to, berlin);
      expect(new Set(times).size).toBe(times.length);
      expect(times.slice(1).map((t, i) => t - (times[i] ?? 0))).toStrictEqual(
        Array(times.length - 1).fill(step),
      );
    }
  });

  it("a daily midnight fires once per local day across both changes", () => {
    const days = firesBetween("0 0 * * *", "2030-03-29T00:00:00Z", "2030-04-02T00:00:00Z", berlin);
    expect(days.map(iso)).toStrictEqual([
      "2030-03-29T23:00:00.000Z",
      "2030-03-30T23:00:00.000Z",
      "2030-03-31T22:00:00.000Z",
      "2030-04-01T22:00:00.000Z",
    ]);
  });
});

describe("invalid specs", () => {
  it.each([
    "",
    "   ",
    "* * * *",
    "* * * * * *",
    "61 * * * *",
    "* 24 * * *",
    "* * 32 * *",
    "* * * 13 *",
    "nonsense",
    "@fortnightly",
    "@every",
    "@every x",
    "@every 500ms",
    "@every 1.5s",
    "@every -1m",
    "CRON_TZ=Nowhere/Atlantis * * * * *",
    "0 0 30 2 *",
  ])("%j throws InvalidArgumentError", (spec) => {
    expect(() => parseCronSpec(spec)).toThrow(InvalidArgumentError);
  });

  it("rejects an unknown location", () => {
    expect(() => parseCronSpec("* * * * *", "Mars/Olympus")).toThrow(InvalidArgumentError);
  });
});
