/** Text for a missing value in tables. */
export const NONE = "—";

const numberFormat = new Intl.NumberFormat();

/** A count with thousands separators. */
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** Bytes as "512 B", "1.5 KB", "3.2 MB" (1024-based, as Redis reports memory). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** failed / processed as a percentage ("0.00%" when nothing ran). */
export function errorRate(processed: number, failed: number): string {
  if (processed === 0) return "0.00%";
  return `${((failed / processed) * 100).toFixed(2)}%`;
}

/** Whole seconds as "45s", "12m 5s", "3h 2m", "2d 4h". */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.round(total));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m}m` : `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** Parses an RFC 3339 time; undefined for "", "-" and garbage. */
export function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined || value === "" || value === "-") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A local date and time, e.g. "2024-05-01 14:03:12". */
export function formatTime(value: string | undefined): string {
  const date = parseTime(value);
  if (date === undefined) return NONE;
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** "in 5m", "3m ago", "just now"; NONE when absent. */
export function relativeTime(value: string | undefined, now: number = Date.now()): string {
  const date = parseTime(value);
  if (date === undefined) return NONE;
  const seconds = (date.getTime() - now) / 1000;
  if (Math.abs(seconds) < 1) return "just now";
  const span = formatSeconds(Math.abs(seconds));
  return seconds > 0 ? `in ${span}` : `${span} ago`;
}

/** A payload or result prepared for display: pretty JSON when it parses as an object or array. */
export interface DisplayText {
  readonly text: string;
  readonly json: boolean;
}

/** Pretty-prints JSON objects and arrays; any other text is returned unchanged. */
export function prettyText(raw: string): DisplayText {
  const trimmed = raw.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return { text: raw, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { text: raw, json: false };
  }
}
