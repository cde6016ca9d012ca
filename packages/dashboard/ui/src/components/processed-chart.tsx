import { useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { DailyStatJson, QueueJson } from "../../../src/api/wire-types.js";
import { legendText, OUTCOME_COLORS, TOOLTIP_STYLE } from "./chart-style.js";

const RANGES = [
  { days: 0, label: "Today" },
  { days: 7, label: "7 days" },
  { days: 30, label: "30 days" },
  { days: 90, label: "90 days" },
] as const;

interface Point {
  readonly label: string;
  readonly succeeded: number;
  readonly failed: number;
}

/** Today: one point per queue. N days: one point per day, summed over queues. */
function points(
  days: number,
  queues: readonly QueueJson[],
  stats: Readonly<Record<string, readonly DailyStatJson[]>> | undefined,
): Point[] {
  if (days === 0) {
    return queues.map((q) => ({ label: q.queue, succeeded: q.succeeded, failed: q.failed }));
  }
  const byDate = new Map<string, { succeeded: number; failed: number }>();
  for (const series of Object.values(stats ?? {})) {
    for (const day of series) {
      const sum = byDate.get(day.date) ?? { succeeded: 0, failed: 0 };
      sum.succeeded += day.succeeded;
      sum.failed += day.failed;
      byDate.set(day.date, sum);
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .slice(-days)
    .map(([date, sum]) => ({ label: date.slice(5), ...sum }));
}

/** Props of {@link ProcessedChart}. */
export interface ProcessedChartProps {
  readonly queues: readonly QueueJson[];
  readonly stats: Readonly<Record<string, readonly DailyStatJson[]>> | undefined;
}

/** Succeeded and failed tasks, today per queue or per day over 7/30/90 days. */
export function ProcessedChart({ queues, stats }: ProcessedChartProps) {
  const [days, setDays] = useState<number>(0);
  return (
    <div className="chart" data-testid="processed-chart">
      <fieldset className="segmented" aria-label="Time range">
        {RANGES.map((range) => (
          <button
            key={range.days}
            type="button"
            aria-pressed={days === range.days}
            onClick={() => setDays(range.days)}
          >
            {range.label}
          </button>
        ))}
      </fieldset>
      <ResponsiveContainer width="100%" height={236}>
        <BarChart
          data={points(days, queues, stats)}
          margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" minTickGap={12} />
          <YAxis allowDecimals={false} width={48} />
          <Tooltip
            cursor={{ fillOpacity: 0.08 }}
            contentStyle={TOOLTIP_STYLE}
            itemSorter={(item) => (item.dataKey === "failed" ? 0 : 1)}
          />
          <Legend itemSorter={null} formatter={legendText} />
          <Bar
            dataKey="succeeded"
            name="Succeeded"
            stackId="p"
            fill={OUTCOME_COLORS.succeeded}
            maxBarSize={56}
            isAnimationActive={false}
          />
          <Bar
            dataKey="failed"
            name="Failed"
            stackId="p"
            fill={OUTCOME_COLORS.failed}
            maxBarSize={56}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
