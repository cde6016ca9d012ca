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
import type { QueueJson } from "../../../src/api/wire-types.js";
import { stateLabel, TASK_STATES, type TaskState } from "../api/task-states.js";
import { legendText, STATE_COLORS, TOOLTIP_STYLE } from "./chart-style.js";

/** Stacked bars: each queue's size split by task state. */
export function QueueSizeChart({ queues }: { readonly queues: readonly QueueJson[] }) {
  return (
    <div className="chart" data-testid="queue-size-chart">
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={[...queues]} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="queue" />
          <YAxis allowDecimals={false} width={48} />
          <Tooltip
            cursor={{ fillOpacity: 0.08 }}
            contentStyle={TOOLTIP_STYLE}
            // Top of the stack first, as the bars read.
            itemSorter={(item) => -TASK_STATES.indexOf(item.dataKey as TaskState)}
          />
          <Legend itemSorter={null} formatter={legendText} />
          {TASK_STATES.map((state) => (
            <Bar
              key={state}
              dataKey={state}
              name={stateLabel(state)}
              stackId="size"
              fill={STATE_COLORS[state]}
              maxBarSize={56}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
