import { createRedisBroker, type RedisBroker } from "@asynq-ts/backend-redis";
import { Inspector } from "@asynq-ts/core";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import {
  type DashboardOptions,
  redisInfoSourceFromIoredis,
  serveDashboard,
} from "../../src/index.js";
import { type SeededData, seedEveryState } from "./seed.js";

/** A seeded Redis with a dashboard served over it on a free loopback port. */
export interface DashboardEnv {
  /** The dashboard's URL, base path included, without a trailing slash. */
  readonly url: string;
  readonly broker: RedisBroker;
  readonly inspector: Inspector;
  readonly seeded: SeededData;
  readonly redis: RedisServerHandle;
  readonly redisPort: number;
  /** Stops the dashboard, closes the inspector and broker, stops Redis. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startDashboardEnv}: any dashboard option but the inspector. */
export type DashboardEnvOptions = Partial<Omit<DashboardOptions, "inspector">> & {
  /** Skip seeding (an empty Redis). @default false */
  readonly empty?: boolean;
};

/**
 * Starts a Redis server, a broker and an Inspector over it, seeds every state
 * ({@link seedEveryState}) and serves a dashboard (`serveDashboard`, port 0) with `options`.
 * The Redis page reads the test server through an ioredis client unless `redisInfo` is given.
 */
export async function startDashboardEnv(options: DashboardEnvOptions = {}): Promise<DashboardEnv> {
  const { empty = false, ...dashboardOptions } = options;
  const redis = await startRedisServer();
  const broker = createRedisBroker({ url: redis.url });
  const inspector = new Inspector(broker);
  // A separate client for the Redis page, as an application would pass its own.
  const infoClient = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let served: Awaited<ReturnType<typeof serveDashboard>> | undefined;
  const stopAll = async () => {
    await served?.close();
    await inspector.close();
    await broker.close();
    infoClient.disconnect();
    await redis.stop();
  };
  try {
    const seeded = empty ? emptySeed() : await seedEveryState(broker);
    served = await serveDashboard({
      redisInfo: redisInfoSourceFromIoredis(infoClient),
      ...dashboardOptions,
      inspector,
    });
    let stopping: Promise<void> | undefined;
    return {
      url: served.url,
      broker,
      inspector,
      seeded,
      redis,
      redisPort: redis.port,
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function emptySeed(): SeededData {
  return {
    queues: [],
    default: {
      pending: [],
      xss: "",
      active: "",
      orphaned: "",
      scheduled: [],
      retry: [],
      archived: [],
      completed: [],
    },
    critical: { pending: [], scheduled: [], retry: [], archived: [], aggregating: {} },
    low: { pending: [] },
    retryError: "",
    archivedError: "",
    completedResult: "",
    server: { id: "", host: "", pid: 0, workerTaskId: "" },
    schedulerEntry: { id: "", eventTaskIds: [] },
  };
}
