import type { DailyStatJson, QueueJson } from "../../../src/api/wire-types.js";
import { ProcessedChart } from "./processed-chart.js";
import { QueueSizeChart } from "./queue-size-chart.js";

/** Props of {@link OverviewCharts}. */
export interface OverviewChartsProps {
  readonly queues: readonly QueueJson[];
  readonly stats: Readonly<Record<string, readonly DailyStatJson[]>> | undefined;
}

/**
 * The overview's two charts. The page loads this module lazily, so Recharts (most of the
 * bundle) is fetched only where it is drawn.
 */
export default function OverviewCharts({ queues, stats }: OverviewChartsProps) {
  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="size-title">
        <h2 id="size-title">Queue size</h2>
        <QueueSizeChart queues={queues} />
      </section>
      <section className="card" aria-labelledby="processed-title">
        <h2 id="processed-title">Tasks processed</h2>
        <ProcessedChart queues={queues} stats={stats} />
      </section>
    </div>
  );
}
