import type { RedisInfoResponse } from "../../../src/api/wire-types.js";
import { useConfig, useRedisInfo } from "../api/queries.js";
import { QueryStatus } from "../components/query-status.js";
import { formatSeconds, formatTime, NONE } from "../format.js";

function figures(info: Readonly<Record<string, string>>): ReadonlyArray<readonly [string, string]> {
  const get = (key: string) => info[key] ?? NONE;
  const uptime = Number(info.uptime_in_seconds);
  const lastSave = Number(info.rdb_last_save_time);
  return [
    ["Version", get("redis_version")],
    ["Uptime", Number.isFinite(uptime) ? formatSeconds(uptime) : NONE],
    ["Connected clients", get("connected_clients")],
    ["Memory used", get("used_memory_human")],
    ["Peak memory used", get("used_memory_peak_human")],
    ["Fragmentation ratio", get("mem_fragmentation_ratio")],
    [
      "Last saved to disk",
      lastSave > 0 ? formatTime(new Date(lastSave * 1000).toISOString()) : NONE,
    ],
    ["Changes since last save", get("rdb_changes_since_last_save")],
    ["Connected replicas", get("connected_slaves")],
  ];
}

function Cluster({ data }: { readonly data: RedisInfoResponse }) {
  return (
    <>
      <section className="card">
        <h2>Queue locations</h2>
        <table className="table compact" data-testid="queue-locations">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" className="num">
                Key slot
              </th>
              <th scope="col">Nodes</th>
            </tr>
          </thead>
          <tbody>
            {(data.queue_locations ?? []).map((l) => (
              <tr key={l.queue}>
                <th scope="row">{l.queue}</th>
                <td className="num">{l.keyslot}</td>
                <td className="mono">{l.nodes.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>CLUSTER NODES</h2>
        <pre className="code" data-testid="cluster-nodes">
          {data.raw_cluster_nodes}
        </pre>
      </section>
    </>
  );
}

/** `/redis`: key figures of the Redis server, raw INFO, and the cluster layout in cluster mode. */
export function RedisPage() {
  const config = useConfig();
  const available = config.data?.redis_info === true;
  const redis = useRedisInfo(available);
  const data = redis.data;
  return (
    <>
      <h1>Redis</h1>
      {config.data && !available ? (
        <p className="empty" data-testid="redis-unavailable">
          This dashboard was set up without a Redis info source.
        </p>
      ) : null}
      {available ? (
        <QueryStatus isPending={redis.isPending} error={redis.error} what="Redis info" />
      ) : null}
      {data ? (
        <div className="stack">
          <section className="card" aria-label="Redis summary">
            <p className="muted">
              <span className="mono">{data.address}</span>
              {data.cluster ? " · cluster" : ""}
            </p>
            <dl className="figures" data-testid="redis-figures">
              {figures(data.info).map(([label, value]) => (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
          {data.cluster ? <Cluster data={data} /> : null}
          <section className="card">
            <h2>INFO</h2>
            <pre className="code tall" data-testid="raw-info">
              {data.raw_info}
            </pre>
          </section>
        </div>
      ) : null}
    </>
  );
}
