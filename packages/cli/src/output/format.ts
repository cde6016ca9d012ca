// Human renderings of the values tables show: payloads, durations, instants, rates, sizes.

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Bytes as UTF-8 text when they are printable, else null. */
export function printableText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return null;
  }
  return hasControlCharacters(text) ? null : text;
}

// Control characters other than tab and line breaks make a payload unreadable in a table.
function hasControlCharacters(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/** A payload for a table cell: its text cut to `max` characters, or a note for binary data. */
export function formatPayload(bytes: Uint8Array, max = 40): string {
  const text = printableText(bytes);
  if (text === null) return `<${bytes.length} bytes, not printable>`;
  return truncate(text.replace(/\s+/g, " "), max);
}

/** Cuts text to `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A duration in ms as `1h 2m`, `3m 20s`, `4.5s`, `120ms`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(ms)}ms`;
  if (abs < 60_000) return `${(Math.round(ms / 100) / 10).toString()}s`;
  const totalSeconds = Math.round(abs / 1_000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  const sign = ms < 0 ? "-" : "";
  const parts =
    days > 0
      ? [`${days}d`, hours > 0 ? `${hours}h` : ""]
      : hours > 0
        ? [`${hours}h`, minutes > 0 ? `${minutes}m` : ""]
        : [`${minutes}m`, seconds > 0 ? `${seconds}s` : ""];
  return `${sign}${parts.filter((p) => p !== "").join(" ")}`;
}

/** `1 task`, `3 tasks`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** An instant relative to `now`: `in 5m 0s` or `3.2s ago`. */
export function formatRelative(date: Date | null, now: number): string {
  if (date === null) return "-";
  const delta = date.getTime() - now;
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** An instant as `2026-11-25 18:04:05 UTC`. */
export function formatTime(date: Date | null): string {
  if (date === null) return "-";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** Failed over processed as a percentage, `0.00%` when nothing was processed. */
export function errorRate(processed: number, failed: number): string {
  return `${(processed === 0 ? 0 : (failed / processed) * 100).toFixed(2)}%`;
}

/** A byte count as `512 B`, `1.5 KB`, `3.2 MB`. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "-";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
