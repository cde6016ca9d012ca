import { Task, uniqueDigest } from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

const utf8 = (text: string) => new TextEncoder().encode(text);

describe("uniqueDigest", () => {
  it.each([
    ["hello", "5d41402abc4b2a76b9719d911017c592"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"],
  ])("is the md5 hex of %j", (payload, digest) => {
    expect(uniqueDigest(utf8(payload))).toBe(digest);
  });

  it("hashes raw bytes, not text", () => {
    expect(uniqueDigest(new Uint8Array([0]))).toBe("93b885adfe0da089cdf634904fd59f71");
  });

  it("is empty for an empty payload, as Go asynq writes for a nil payload", () => {
    expect(uniqueDigest(new Uint8Array(0))).toBe("");
    expect(uniqueDigest(new Task("t").payload)).toBe("");
  });

  it("depends only on the bytes, however the payload was given", () => {
    expect(uniqueDigest(new Task("t", "hello").payload)).toBe(uniqueDigest(utf8("hello")));
    expect(uniqueDigest(utf8("hello"))).not.toBe(uniqueDigest(utf8("hello ")));
  });
});
