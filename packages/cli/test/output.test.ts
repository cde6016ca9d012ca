import pc from "picocolors";
import { describe, expect, it } from "vitest";
import {
  errorRate,
  formatBytes,
  formatDuration,
  formatPayload,
  formatRelative,
  plural,
} from "../src/output/format.js";
import { bytesJson } from "../src/output/json.js";
import { forEachWithProgress } from "../src/output/progress.js";
import { renderFields, renderTable } from "../src/output/table.js";
import { normalizeArgv } from "../src/parse.js";

const plain = pc.createColors(false);

describe("tables", () => {
  it("aligns columns under a dashed rule, without trailing blanks", () => {
    expect(
      renderTable(
        ["Queue", "Size"],
        [
          ["default", 3],
          ["critical-queue", 12],
        ],
        plain,
      ),
    ).toBe("Queue           Size\n-----           ----\ndefault         3\ncritical-queue  12");
    expect(
      renderFields(
        [
          ["Name", "x"],
          ["Paused", "no"],
        ],
        plain,
      ),
    ).toBe("Name:    x\nPaused:  no");
  });
});

describe("formatting", () => {
  it("renders durations, instants, rates, sizes and counts for people", () => {
    expect(
      [120, 4_500, 60_000, 200_000, 3_600_000, 5_400_000, 90_000_000].map(formatDuration),
    ).toEqual(["120ms", "4.5s", "1m", "3m 20s", "1h", "1h 30m", "1d 1h"]);
    expect(formatRelative(new Date(10_000), 4_000)).toBe("in 6s");
    expect(formatRelative(new Date(4_000), 10_000)).toBe("6s ago");
    expect(formatRelative(null, 0)).toBe("-");
    expect([errorRate(0, 0), errorRate(3, 1)]).toEqual(["0.00%", "33.33%"]);
    expect([
      formatBytes(null),
      formatBytes(512),
      formatBytes(1536),
      formatBytes(5 * 1024 * 1024),
    ]).toEqual(["-", "512 B", "1.5 KB", "5.0 MB"]);
    expect([plural(1, "task"), plural(2, "task")]).toEqual(["1 task", "2 tasks"]);
  });

  it("shows payloads as text when printable, and says so when they are not", () => {
    expect(formatPayload(new TextEncoder().encode('{"a":\n1}'))).toBe('{"a": 1}');
    expect(formatPayload(new TextEncoder().encode("x".repeat(50)), 10)).toBe("xxxxxxxxx…");
    expect(formatPayload(new Uint8Array([0, 255, 1]))).toBe("<3 bytes, not printable>");
    expect(bytesJson("payload", new Uint8Array([0, 255, 1]))).toEqual({
      payload: "AP8B",
      payloadEncoding: "base64",
    });
    expect(bytesJson("result", null)).toEqual({ result: null, resultEncoding: null });
  });
});

describe("normalizeArgv", () => {
  it("turns Go's --snake_case flags into --kebab-case, up to --", () => {
    expect(
      normalizeArgv(["--type_name", "t", "--process_in=5m", "-q", "a_b", "--", "--keep_me"]),
    ).toEqual(["--type-name", "t", "--process-in=5m", "-q", "a_b", "--", "--keep_me"]);
  });
});

describe("forEachWithProgress", () => {
  it("runs every item even when some fail, drawing a bar only on a terminal", async () => {
    const written: string[] = [];
    const terminal = { isTTY: true, write: (s: string) => written.push(s) };
    const outcomes = await forEachWithProgress(
      terminal,
      "working",
      ["a", "b", "c"],
      async (item) => {
        if (item === "b") throw new Error("no b");
        return item.toUpperCase();
      },
    );
    expect(outcomes.map((o) => (o.ok ? o.value : (o.error as Error).message))).toEqual([
      "A",
      "no b",
      "C",
    ]);
    expect(written.join("")).toMatch(/working \[[^\]]+\] 3\/3/);
    const silent: string[] = [];
    await forEachWithProgress(
      { write: (s: string) => silent.push(s) },
      "working",
      ["a", "b"],
      async () => {},
    );
    expect(silent).toEqual([]);
  });
});
