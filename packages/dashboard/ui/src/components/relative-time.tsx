import { formatTime, NONE, parseTime, relativeTime } from "../format.js";

/** A time shown relative to now ("in 5m", "3m ago"), with the exact local time as tooltip. */
export function RelativeTime({ value }: { readonly value: string | undefined }) {
  if (parseTime(value) === undefined) return <span className="muted">{NONE}</span>;
  return (
    <time dateTime={value} title={formatTime(value)}>
      {relativeTime(value)}
    </time>
  );
}
