/** What asynqmon shows for bytes that are not printable text. */
export const NON_PRINTABLE = "non-printable bytes";

const decoder = new TextDecoder("utf-8", { fatal: true });
// Letters, marks, digits, punctuation, symbols and spaces; tabs and newlines too (unlike Go's
// unicode.IsPrint) so pretty-printed JSON is shown as text.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\t\n\r]*$/u;

/**
 * The default payload and result formatter: the bytes as UTF-8 text when they decode and are
 * printable, else "non-printable bytes". Empty bytes are "". Whitespace-only text counts as
 * non-printable, as in asynqmon.
 */
export function defaultBytesFormatter(bytes: Uint8Array): string {
  if (bytes.length === 0) return "";
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return NON_PRINTABLE;
  }
  if (!PRINTABLE.test(text) || text.trim() === "") return NON_PRINTABLE;
  return text;
}

/** A text cut to `max` characters (code points, so no half surrogate pair is left). */
export function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const chars = Array.from(text);
  if (chars.length <= max) return { text, truncated: false };
  return { text: chars.slice(0, max).join(""), truncated: true };
}
