import type { RedisInfoSource } from "../options.js";

/** The parts of an ioredis `Redis` client this module uses (no ioredis import needed). */
export interface IoredisClientLike {
  readonly isCluster?: boolean;
  readonly options?: {
    readonly host?: string | undefined;
    readonly port?: number | undefined;
    readonly path?: string | undefined;
  };
  info(): Promise<string>;
}

/** The parts of an ioredis `Cluster` this module uses. */
export interface IoredisClusterLike {
  readonly isCluster: boolean;
  nodes(role?: "all" | "master" | "slave"): readonly IoredisClientLike[];
  info(): Promise<string>;
  cluster(subcommand: "NODES"): Promise<unknown>;
}

function addressOf(client: IoredisClientLike): string {
  const options = client.options ?? {};
  if (options.path !== undefined) return options.path;
  return `${options.host ?? "localhost"}:${options.port ?? 6379}`;
}

function clusterAddress(cluster: IoredisClusterLike): string {
  // Known once the cluster client has connected; the Redis page is read after that.
  return cluster.nodes("master").map(addressOf).sort().join(",");
}

function isClusterLike(
  client: IoredisClientLike | IoredisClusterLike,
): client is IoredisClusterLike {
  return (
    client.isCluster === true && typeof (client as Partial<IoredisClusterLike>).nodes === "function"
  );
}

/**
 * A Redis info source over an ioredis client the caller owns (and closes). For a `Cluster`
 * (`isCluster` true) it reports the INFO of one node and `CLUSTER NODES`. The address is
 * host:port only, built from the connection options, so it never carries credentials.
 */
export function redisInfoSourceFromIoredis(
  client: IoredisClientLike | IoredisClusterLike,
): RedisInfoSource {
  if (isClusterLike(client)) {
    const cluster = client;
    return {
      get address() {
        return clusterAddress(cluster);
      },
      info: () => cluster.info(),
      clusterNodes: async () => String(await cluster.cluster("NODES")),
    };
  }
  return {
    address: addressOf(client),
    info: () => client.info(),
  };
}
