import { Cron } from "croner";
import { InvalidArgumentError } from "../errors.js";
import { SECOND } from "../time/durations.js";
import { parseGoDuration } from "./go-format.js";

/** When a registered spec fires. Instants are epoch milliseconds. */
export interface CronSchedule {
  /** The spec as written. */
  readonly spec: string;
  /** The IANA time zone the spec's fields are read in ("UTC" for `@every`). */
  readonly timeZone: string;
  /** The first fire time strictly after `instant`, or null when it never fires again. */
  nextAfter(instant: number): number | null;
  /** The last fire time at or before `instant`, or null when it never fired. */
  lastAtOrBefore(instant: number): number | null;
}

// robfig/cron's descriptors, as the standard 5-field specs they stand for.
const DESCRIPTORS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const TIME_ZONE_PREFIX = /^(?:CRON_TZ|TZ)=(\S+)\s+/;

/** Throws `InvalidArgumentError` unless `zone` is an IANA time zone the runtime knows. */
export function requireTimeZone(field: string, zone: unknown): string {
  if (typeof zone !== "string" || zone.trim() === "") {
    throw new InvalidArgumentError(field, "must be an IANA time zone name");
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new InvalidArgumentError(field, `unknown time zone ${JSON.stringify(zone)}`);
  }
  return zone;
}

/**
 * `@every <duration>`: fire times are the multiples of the period counted from the Unix epoch
 * (UTC), so every scheduler instance, and every restart, agrees on them. (robfig/cron, and so
 * Go asynq, counts from the scheduler's start instead, which no two instances share.)
 */
function everySchedule(spec: string, text: string): CronSchedule {
  let period: number;
  try {
    period = parseGoDuration(text);
  } catch {
    throw new InvalidArgumentError(
      "cronspec",
      `invalid @every duration in ${JSON.stringify(spec)}`,
    );
  }
  if (period < SECOND || period % SECOND !== 0) {
    throw new InvalidArgumentError(
      "cronspec",
      `@every needs a whole number of seconds, at least 1s: ${JSON.stringify(spec)}`,
    );
  }
  return {
    spec,
    timeZone: "UTC",
    nextAfter: (instant) => (Math.floor(instant / period) + 1) * period,
    lastAtOrBefore: (instant) => Math.floor(instant / period) * period,
  };
}

/**
 * Parses a cron spec as Go asynq's scheduler accepts it (robfig/cron's standard parser):
 * five fields (minute hour day-of-month month day-of-week, names allowed), a descriptor
 * (`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`), or
 * `@every <Go duration>`; an optional `CRON_TZ=<zone> ` (or `TZ=`) prefix overrides
 * `location`. Field matching is croner's, a superset of robfig's (it also takes `L`, `W`, `#`).
 *
 * Daylight-saving changes: a spec with fixed minute and hour values (`30 2 * * *`,
 * `0 9,17 * * *`) fires once per matching local day — in a skipped hour it fires at the first
 * instant after the gap, in a repeated hour only the first time. Specs with `*` or a step in
 * the minute or hour field fire at every instant whose local time matches, so they neither
 * double up nor lose real time across a change.
 *
 * Throws `InvalidArgumentError` for bad syntax, an unknown zone, or a spec that never fires.
 */
export function parseCronSpec(spec: string, location = "UTC"): CronSchedule {
  if (typeof spec !== "string" || spec.trim() === "") {
    throw new InvalidArgumentError("cronspec", "must be a non-blank string");
  }
  let body = spec.trim();
  let timeZone = requireTimeZone("location", location);
  const prefix = TIME_ZONE_PREFIX.exec(body);
  if (prefix !== null) {
    timeZone = requireTimeZone("cronspec", prefix[1]);
    body = body.slice(prefix[0].length).trim();
  }
  if (body.startsWith("@every ")) return everySchedule(spec, body.slice("@every ".length).trim());
  const pattern = body.startsWith("@") ? DESCRIPTORS[body] : body;
  if (pattern === undefined) {
    throw new InvalidArgumentError("cronspec", `unknown descriptor in ${JSON.stringify(spec)}`);
  }
  let cron: Cron;
  try {
    cron = new Cron(pattern, { timezone: timeZone, mode: "5-part", fixedTimeRule: "no-wildcard" });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new InvalidArgumentError("cronspec", `${JSON.stringify(spec)}: ${reason}`, { cause });
  }
  const schedule: CronSchedule = {
    spec,
    timeZone,
    nextAfter: (instant) => cron.nextRun(new Date(instant))?.getTime() ?? null,
    // croner's previous runs are strictly before the reference (within the same second, too).
    lastAtOrBefore: (instant) => cron.previousRuns(1, new Date(instant + 1))[0]?.getTime() ?? null,
  };
  if (schedule.nextAfter(0) === null) {
    throw new InvalidArgumentError("cronspec", `${JSON.stringify(spec)} never fires`);
  }
  return schedule;
}
