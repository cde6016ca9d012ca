import Table from "cli-table3";
import type { Colours } from "./colour.js";

// No borders: columns separated by two spaces, as Go asynq's CLI prints them.
const CHARS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/** A table cell: text or a number. */
export type Cell = string | number;

/** Renders aligned columns: a bold header, a dashed rule, then the rows. */
export function renderTable(
  headers: readonly string[],
  rows: readonly Cell[][],
  c: Colours,
): string {
  const table = new Table({
    head: headers.map((h) => c.bold(h)),
    chars: CHARS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
  });
  table.push(headers.map((h) => c.dim("-".repeat(h.length))));
  for (const row of rows) table.push(row.map(String));
  return trimLineEnds(table.toString());
}

/** Renders `label: value` lines with the values aligned. */
export function renderFields(fields: readonly (readonly [string, Cell])[], c: Colours): string {
  const table = new Table({
    chars: CHARS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
  });
  for (const [label, value] of fields) table.push([c.bold(`${label}:`), String(value)]);
  return trimLineEnds(table.toString());
}

function trimLineEnds(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}
