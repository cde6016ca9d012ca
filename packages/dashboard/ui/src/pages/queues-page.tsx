import { lazy, Suspense } from "react";
import { useConfig, useQueueStats, useQueues } from "../api/queries.js";
import { QueryStatus } from "../components/query-status.js";
import { QueuesTable } from "../components/queues-table.js";

const OverviewCharts = lazy(() => import("../components/overview-charts.js"));

/** `/`: charts of every queue's size and throughput, and the queue table. */
export function QueuesPage() {
  const config = useConfig();
  const queues = useQueues();
  const stats = useQueueStats();
  const list = queues.data?.queues ?? [];
  return (
    <>
      <h1>Queues</h1>
      <QueryStatus isPending={queues.isPending} error={queues.error} what="queues" />
      {queues.data ? (
        <>
          <Suspense fallback={<div className="grid-2 charts-placeholder" />}>
            <OverviewCharts queues={list} stats={stats.data?.stats} />
          </Suspense>
          <section className="card" aria-labelledby="queues-title">
            <h2 id="queues-title">All queues</h2>
            <QueuesTable queues={list} readOnly={config.data?.read_only ?? true} />
          </section>
        </>
      ) : null}
    </>
  );
}
