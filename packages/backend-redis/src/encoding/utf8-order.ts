const encoder = new TextEncoder();

/**
 * Orders strings by their UTF-8 bytes, as Go's deterministic map encoding does (JavaScript's
 * default order compares UTF-16 code units, which differs for characters beyond U+FFFF).
 */
export function compareUtf8(left: string, right: string): number {
  if (left === right) return 0;
  const a = encoder.encode(left);
  const b = encoder.encode(right);
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const difference = a[index]! - b[index]!;
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
