/** Summary of repeated measurements of one metric. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The value at quantile `q` (0..1) of `values`, by linear interpolation between ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * q;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

/** Median, min and max; NaN when there are no values. */
export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  return { median: quantile(values, 0.5), min: Math.min(...values), max: Math.max(...values) };
}
