import { parseGoDuration } from "@asynq-ts/core";
import { InvalidArgumentError, Option } from "commander";

// Option-value parsers for commander: a bad value becomes a usage error (exit status 2).

/** An integer ≥ `min`. */
export function integerAtLeast(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`must be an integer of at least ${min}.`);
    }
    return value;
  };
}

/** A Go duration (`30s`, `1h30m`, `500ms`) in milliseconds. */
export function goDuration(text: string): number {
  try {
    return parseGoDuration(text);
  } catch {
    throw new InvalidArgumentError('must be a duration such as "30s", "5m" or "1h30m".');
  }
}

/** An RFC 3339 instant (`2026-01-02T15:04:05Z`). */
export function rfc3339(text: string): Date {
  const rfc = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
  const date = new Date(text);
  if (!rfc.test(text.trim()) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('must be an RFC 3339 time such as "2026-01-02T15:04:05Z".');
  }
  return date;
}

/** A number of seconds (fractions allowed) ≥ `min`, in milliseconds. */
export function secondsAtLeast(min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < min) {
      throw new InvalidArgumentError(`must be a number of seconds, at least ${min}.`);
    }
    return Math.round(value * 1000);
  };
}

/** A `key=value` header, collected into a record. */
export function header(
  text: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = text.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError('must be "key=value".');
  return { ...previous, [text.slice(0, at)]: text.slice(at + 1) };
}

/** Rewrites Go-style `--snake_case` long flags to `--kebab-case`, up to a `--` terminator. */
export function normalizeArgv(argv: readonly string[]): string[] {
  const end = argv.indexOf("--");
  return argv.map((arg, index) => {
    if (end !== -1 && index >= end) return arg;
    const match = /^--([a-z0-9]+(?:_[a-z0-9]+)+)(=.*)?$/s.exec(arg);
    return match === null ? arg : `--${match[1]!.replaceAll("_", "-")}${match[2] ?? ""}`;
  });
}

/** `--page` and `--size` of listing commands (Go asynq's defaults: page 1 of 30). */
export const pageOptions = {
  page: () => new Option("--page <n>", "page number").default(1).argParser(integerAtLeast(1)),
  size: () => new Option("--size <n>", "page size").default(30).argParser(integerAtLeast(1)),
};
