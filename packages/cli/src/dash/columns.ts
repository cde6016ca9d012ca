import { truncate } from "../output/format.js";

/** A column: its title and the widest it may grow. */
export interface Column {
  readonly title: string;
  readonly max: number;
}

/**
 * Lays out rows of text in aligned columns fitting `width`: each column as wide as its widest
 * cell (up to its `max`), two spaces apart, lines cut at the terminal's edge.
 */
export function layoutColumns(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width: number,
): { header: string; lines: string[] } {
  const widths = columns.map((column, index) =>
    Math.min(
      column.max,
      Math.max(column.title.length, ...rows.map((row) => (row[index] ?? "").length)),
    ),
  );
  const line = (cells: readonly string[]) =>
    truncate(
      cells
        .map((cell, index) => truncate(cell, widths[index] ?? 0).padEnd(widths[index] ?? 0))
        .join("  ")
        .trimEnd(),
      Math.max(1, width),
    );
  return {
    header: line(columns.map((c) => c.title)),
    lines: rows.map((row) => line(row)),
  };
}
