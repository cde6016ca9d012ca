/** RFC 3339 in UTC with second precision (as Go's time.RFC3339), "" for null. */
export function rfc3339(date: Date | null): string {
  if (date === null || Number.isNaN(date.getTime())) return "";
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function trimFraction(seconds: number): string {
  return seconds.toFixed(3).replace(/\.?0+$/, "");
}

/**
 * A duration in Go's `time.Duration.String()` form after rounding to 10 ms, as asynqmon shows
 * latency: "0s", "150ms", "1.23s", "3m4.5s", "2h0m5s".
 */
export function displayDuration(ms: number): string {
  const rounded = Math.round(Math.max(0, ms) / 10) * 10;
  if (rounded === 0) return "0s";
  if (rounded < 1000) return `${rounded}ms`;
  const hours = Math.floor(rounded / 3_600_000);
  const minutes = Math.floor((rounded % 3_600_000) / 60_000);
  const seconds = (rounded % 60_000) / 1000;
  const h = hours > 0 ? `${hours}h` : "";
  const m = hours > 0 || minutes > 0 ? `${minutes}m` : "";
  return `${h}${m}${trimFraction(seconds)}s`;
}
