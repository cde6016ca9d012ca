import { describe, expect, it } from "vitest";
import { ALL_SCRIPTS } from "../src/scripts/index.js";

// Static checks of every Lua script; the declared-keys integration test checks what they
// actually touch on a real server.

describe.each(ALL_SCRIPTS.map((s) => [s.name, s] as const))("script %s", (name, script) => {
  it("starts with a header naming it and listing KEYS, ARGV and return values", () => {
    const header = script.lua.split("\n").filter((line) => line.startsWith("--"));
    expect(script.lua.startsWith(`-- ${name}`)).toBe(true);
    expect(header.some((line) => line.includes("KEYS[1]"))).toBe(true);
    expect(header.some((line) => line.includes("ARGV["))).toBe(true);
    expect(header.some((line) => line.includes("Returns"))).toBe(true);
  });

  it("declares as many keys as its code reads (fixed-key scripts)", () => {
    if (script.numberOfKeys === "variable") {
      // Extra keys are indexed by loop variables bounded by the KEYS or ARGV count.
      expect(script.lua).toMatch(/#KEYS|#ARGV/);
      expect(script.lua).toMatch(/KEYS\[[^\]]*[a-z][^\]]*\]/);
      return;
    }
    const code = script.lua
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n");
    const indexes = [...code.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1]));
    const used = code.includes("#KEYS") ? script.numberOfKeys : Math.max(...indexes);
    expect(used).toBe(script.numberOfKeys);
  });

  it("uses no feature ioredis-mock or a strict proxy cannot run", () => {
    for (const banned of [
      "cjson",
      "cmsgpack",
      "struct.",
      "bit.",
      "redis.status_reply",
      "redis.error_reply",
      "redis.pcall",
      "redis.sha1hex",
      "redis.log",
      "error(",
      "KEYS = ",
    ]) {
      expect(script.lua).not.toContain(banned);
    }
  });

  it("never builds a key by concatenation", () => {
    expect(script.lua).not.toMatch(/KEYS\[[^\]]+\]\s*\.\./);
    expect(script.lua).not.toMatch(/\.\.\s*ARGV/);
  });
});

describe("ALL_SCRIPTS", () => {
  it("has unique names", () => {
    const names = ALL_SCRIPTS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
