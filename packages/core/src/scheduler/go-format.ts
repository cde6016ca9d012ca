// Go's text formats that asynq's tools show for scheduler entries: `time.Duration` strings,
// `time.UnixDate`, `%q` quoting and the `String()` of every enqueue option.
import { InvalidArgumentError } from "../errors.js";
import type { TaskOptions } from "../options/task-options.js";

const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1_000_000_000n;

// Digits of `value` below 10^precision, as Go's fmtFrac writes them: trailing zeros dropped,
// no point at all when the fraction is zero.
function fraction(value: bigint, precision: number): { text: string; rest: bigint } {
  const scale = 10n ** BigInt(precision);
  const digits = (value % scale).toString().padStart(precision, "0").replace(/0+$/, "");
  return { text: digits === "" ? "" : `.${digits}`, rest: value / scale };
}

/**
 * Formats a duration given in milliseconds as Go's `time.Duration.String()` does: `1h0m0s`,
 * `1m30s`, `1.5s`, `500ms`, `0s`. Sub-nanosecond parts are rounded away.
 */
export function formatGoDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new InvalidArgumentError("duration", "must be finite");
  let ns = BigInt(Math.round(ms * 1e6));
  const sign = ns < 0n ? "-" : "";
  if (ns < 0n) ns = -ns;
  if (ns === 0n) return "0s";
  if (ns < NS_PER_SECOND) {
    const [precision, unit] = ns < 1_000n ? [0, "ns"] : ns < NS_PER_MS ? [3, "µs"] : [6, "ms"];
    const { text, rest } = fraction(ns, precision);
    return `${sign}${rest}${text}${unit}`;
  }
  const { text, rest: seconds } = fraction(ns, 9);
  const minutes = seconds / 60n;
  const hours = minutes / 60n;
  let out = `${seconds % 60n}${text}s`;
  if (minutes > 0n) out = `${minutes % 60n}m${out}`;
  if (hours > 0n) out = `${hours}h${out}`;
  return `${sign}${out}`;
}

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const TERM = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;

/**
 * Parses Go's duration syntax (`time.ParseDuration`): an optional sign, then one or more
 * decimal numbers each followed by a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`), as in
 * `30s`, `1m30s`, `1.5h`; a bare `0` is zero. Returns milliseconds. Throws
 * `InvalidArgumentError` for anything else.
 */
export function parseGoDuration(text: string): number {
  const invalid = () =>
    new InvalidArgumentError("duration", `invalid Go duration ${goQuote(text)}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw invalid();
  let ns = 0;
  while (rest !== "") {
    const term = TERM.exec(rest);
    const whole = term?.[1] ?? "";
    const frac = term?.[2] ?? "";
    const unit = term?.[3];
    if (term === null || unit === undefined || (whole === "" && frac === "")) throw invalid();
    const value = Number(`${whole === "" ? "0" : whole}.${frac === "" ? "0" : frac}`);
    ns += value * (UNIT_NS[unit] ?? Number.NaN);
    rest = rest.slice(term[0].length);
  }
  if (!Number.isFinite(ns)) throw invalid();
  const ms = ns / 1e6;
  return negative ? -ms : ms;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

const two = (n: number) => String(n).padStart(2, "0");

/**
 * Formats an instant as Go's `time.UnixDate` layout (`Mon Jan _2 15:04:05 MST 2006`) in UTC,
 * e.g. `Tue Jan  1 00:00:00 UTC 2030`.
 */
export function formatGoUnixDate(epochMs: number): string {
  const d = new Date(epochMs);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError("instant", "must be a valid time");
  const day = String(d.getUTCDate()).padStart(2, " ");
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const year = String(d.getUTCFullYear()).padStart(4, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${time} UTC ${year}`;
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Quotes a string as Go's `%q` (`strconv.Quote`) does. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const short = SHORT_ESCAPES[char];
    const code = char.codePointAt(0) ?? 0;
    if (short !== undefined) out += short;
    else if (PRINTABLE.test(char)) out += char;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code >= 0xd800 && code <= 0xdfff)
      out += "\\ufffd"; // lone surrogate: invalid UTF-8
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** A JSON string as Go's `encoding/json` writes it (HTML-safe escapes for <, >, &). */
function goJsonString(text: string): string {
  return JSON.stringify(text)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

function instant(value: Date | number): number {
  return value instanceof Date ? value.getTime() : value;
}

/**
 * The enqueue options as the `String()` of Go asynq's options, in the order given: what a Go
 * scheduler publishes in `SchedulerEntry.enqueue_options`, so the asynq CLI and asynqmon show
 * them (`MaxRetry(5)`, `Queue("critical")`, `Timeout(1m30s)`, `Header(["k","v"])`…).
 * Expects validated options.
 */
export function goOptionStrings(options: TaskOptions): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    switch (key as keyof TaskOptions) {
      case "maxRetry":
        out.push(`MaxRetry(${Math.max(0, value as number)})`);
        break;
      case "queue":
        out.push(`Queue(${goQuote(value as string)})`);
        break;
      case "taskId":
        out.push(`TaskID(${goQuote(value as string)})`);
        break;
      case "timeout":
        out.push(`Timeout(${formatGoDuration(value as number)})`);
        break;
      case "deadline":
        out.push(`Deadline(${formatGoUnixDate(instant(value as Date | number))})`);
        break;
      case "unique":
        out.push(`Unique(${formatGoDuration(value as number)})`);
        break;
      case "processAt":
        out.push(`ProcessAt(${formatGoUnixDate(instant(value as Date | number))})`);
        break;
      case "processIn":
        out.push(`ProcessIn(${formatGoDuration(value as number)})`);
        break;
      case "retention":
        out.push(`Retention(${formatGoDuration(value as number)})`);
        break;
      case "group":
        out.push(`Group(${goQuote(value as string)})`);
        break;
      case "headers":
        for (const [name, text] of Object.entries(value as Record<string, string>)) {
          out.push(`Header([${goJsonString(name)},${goJsonString(text)}])`);
        }
        break;
    }
  }
  return out;
}
