import type { CSSProperties, ReactNode } from "react";
import type { TaskState } from "../api/task-states.js";

/** Series colours, chosen to read on both the light and the dark background. */
export const STATE_COLORS: Readonly<Record<TaskState, string>> = {
  active: "#3b82f6",
  pending: "#8b5cf6",
  aggregating: "#06b6d4",
  scheduled: "#eab308",
  retry: "#f97316",
  archived: "#ef4444",
  completed: "#22c55e",
};

/** Colours of the processed chart. */
export const OUTCOME_COLORS = { succeeded: "#22c55e", failed: "#ef4444" } as const;

/** The tooltip box follows the theme (Recharts styles it inline). */
export const TOOLTIP_STYLE: CSSProperties = {
  background: "var(--surface)",
  border: "1px solid var(--border)",
  borderRadius: 6,
  color: "var(--text)",
};

/** Legend labels in the text colour rather than the series colour. */
export function legendText(value: ReactNode): ReactNode {
  return <span className="legend-text">{value}</span>;
}
