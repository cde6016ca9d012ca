import {
  formatGoDuration,
  formatGoUnixDate,
  goOptionStrings,
  goQuote,
  InvalidArgumentError,
  parseGoDuration,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

describe("formatGoDuration", () => {
  it.each([
    [0, "0s"],
    [0.000_001, "1ns"],
    [0.0015, "1.5µs"],
    [1.5, "1.5ms"],
    [500, "500ms"],
    [1_000, "1s"],
    [1_500, "1.5s"],
    [10_000, "10s"],
    [90_000, "1m30s"],
    [3_600_000, "1h0m0s"],
    [86_400_000, "24h0m0s"],
    [3_661_001, "1h1m1.001s"],
    [-90_000, "-1m30s"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});

describe("parseGoDuration", () => {
  it.each([
    ["0", 0],
    ["30s", 30_000],
    ["1m30s", 90_000],
    ["1h", 3_600_000],
    ["1.5h", 5_400_000],
    ["1h0m0s", 3_600_000],
    ["500ms", 500],
    ["1500us", 1.5],
    ["1500µs", 1.5],
    ["1500μs", 1.5],
    ["2000000ns", 2],
    [".5s", 500],
    ["1.s", 1_000],
    ["-1m", -60_000],
    ["+2s", 2_000],
  ])("parses %s as %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each(["", "1", "s", "1d", "1m 30s", "1.5.5s", ".s", "-", "1h-1m"])("rejects %j", (text) => {
    expect(() => parseGoDuration(text)).toThrow(InvalidArgumentError);
  });

  it("reads back what formatGoDuration writes", () => {
    for (const ms of [1, 999, 1_000, 61_000, 3_599_999, 90_061_500]) {
      expect(parseGoDuration(formatGoDuration(ms))).toBeCloseTo(ms, 9);
    }
  });
});

describe("formatGoUnixDate", () => {
  it("writes Go's time.UnixDate layout in UTC, day padded with a space", () => {
    expect(formatGoUnixDate(Date.UTC(2006, 0, 2, 15, 4, 5))).toBe("Mon Jan  2 15:04:05 UTC 2006");
    expect(formatGoUnixDate(Date.UTC(2030, 0, 1))).toBe("Tue Jan  1 00:00:00 UTC 2030");
    expect(formatGoUnixDate(Date.UTC(2031, 11, 24, 23, 59, 59, 999))).toBe(
      "Wed Dec 24 23:59:59 UTC 2031",
    );
  });
});

describe("goQuote", () => {
  it("quotes like Go's %q", () => {
    expect(goQuote("critical")).toBe('"critical"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote("tab\there\nnl")).toBe('"tab\\there\\nnl"');
    expect(goQuote("\u0000\u007f")).toBe('"\\x00\\x7f"');
    expect(goQuote("é 😀")).toBe('"é 😀"');
    expect(goQuote("\u200b")).toBe('"\\u200b"');
  });
});

describe("goOptionStrings", () => {
  it("writes every option as Go asynq's Option.String(), in the order given", () => {
    expect(
      goOptionStrings({
        maxRetry: 5,
        queue: "critical",
        taskId: "x",
        timeout: 90_000,
        deadline: new Date(Date.UTC(2030, 0, 1)),
        unique: 3_600_000,
        processAt: Date.UTC(2030, 0, 2, 3, 4, 5),
        processIn: 10_000,
        retention: 86_400_000,
        group: "g",
        headers: { k: "v", html: "<a&b>" },
      }),
    ).toStrictEqual([
      "MaxRetry(5)",
      'Queue("critical")',
      'TaskID("x")',
      "Timeout(1m30s)",
      "Deadline(Tue Jan  1 00:00:00 UTC 2030)",
      "Unique(1h0m0s)",
      "ProcessAt(Wed Jan  2 03:04:05 UTC 2030)",
      "ProcessIn(10s)",
      "Retention(24h0m0s)",
      'Group("g")',
      'Header(["k","v"])',
      'Header(["html","\\u003ca\\u0026b\\u003e"])',
    ]);
  });

  it("writes a negative retry count as 0, as Go's MaxRetry does, and skips undefined", () => {
    expect(goOptionStrings({ maxRetry: -3, queue: undefined } as never)).toStrictEqual([
      "MaxRetry(0)",
    ]);
  });
});
