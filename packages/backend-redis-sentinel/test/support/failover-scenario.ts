import type { RedisBroker } from "@asynq-ts/backend-redis";
import {
  type Broker,
  Client,
  type HandlerContext,
  type Logger,
  ServeMux,
  Server,
  Task,
} from "@asynq-ts/core";
import { type RedisSentinelGroupHandle, startRedisSentinelGroup } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { createSentinel } from "redis";
import {
  createSentinelBroker,
  ioredisSentinelOptions,
  type NodeRedisSentinel,
  nodeRedisSentinelOptions,
  type SentinelLibrary,
} from "../../src/index.js";
import { type ProducerLog, produce } from "./producer.js";

const DURABLE_QUEUE = "durable";
const PLAIN_QUEUE = "plain";
const QUEUES = [DURABLE_QUEUE, PLAIN_QUEUE] as const;
const PRODUCER_PAUSE_MS = 4;
/** Upper bound of every wait below, so the scenario always ends. */
const WAIT_LIMIT_MS = 20_000;
const DURABILITY = { replicas: 1, timeoutMs: 500 } as const;

/** What happened to the tasks one producer believed enqueued. */
export interface ProducerOutcome {
  readonly acknowledged: number;
  readonly failures: Readonly<Record<string, number>>;
  /** Acknowledged IDs with no record on the final master: the queue forgot them. */
  readonly lost: readonly string[];
  /**
   * How many of `lost` no handler ever ran. The others were taken from the demoted master
   * after the promotion and handled there, so their work happened though their record is gone.
   */
  readonly lostUnhandled: number;
  /** Acknowledged IDs by final state ("missing" when no record). */
  readonly states: Readonly<Record<string, number>>;
  /** Acknowledged IDs whose handler ran more than once (at-least-once redelivery). */
  readonly handledTwice: number;
  /** Enqueues acknowledged by the second master in the second before it was killed. */
  readonly acknowledgedBeforeKill: number;
  /** How many of those are lost. */
  readonly lostOfAcknowledgedBeforeKill: number;
}

/** The figures of one run: two failovers with a durable and a plain producer side by side. */
export interface FailoverReport {
  readonly library: SentinelLibrary;
  /** From `SENTINEL FAILOVER` to the first task handled from the new master, ms. */
  readonly resumeAfterFailoverMs: number | undefined;
  /** From SIGKILL of the master to the first task handled from its successor, ms. */
  readonly resumeAfterKillMs: number | undefined;
  readonly durable: ProducerOutcome;
  readonly plain: ProducerOutcome;
  /** A cancellation published after both failovers reached the running handler. */
  readonly cancellationDelivered: boolean;
  /** Lines the server logged, by level. */
  readonly serverLogLines: Readonly<Record<string, number>>;
  /** The first few distinct warnings and errors it logged. */
  readonly serverProblems: readonly string[];
}

interface ServerSide {
  readonly broker: RedisBroker;
  /** Port of the master the server's connection talks to right now. */
  servedBy(): number | undefined;
  close(): Promise<void>;
}

/**
 * Real processes end to end: a sentinel group, a `Server` on one broker, and two producers —
 * one with durable enqueue, one without — enqueueing continuously. The run forces
 * `SENTINEL FAILOVER`, waits until the demoted master replicates from the new one, then
 * SIGKILLs the new master, so the original node takes over again. Every wait is bounded.
 */
export async function runFailoverScenario(library: SentinelLibrary): Promise<FailoverReport> {
  const group = await startRedisSentinelGroup();
  const closers: (() => Promise<unknown>)[] = [() => group.stop()];
  try {
    return await scenario(group, library, closers);
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

async function scenario(
  group: RedisSentinelGroupHandle,
  library: SentinelLibrary,
  closers: (() => Promise<unknown>)[],
): Promise<FailoverReport> {
  const prefix = `asynq-failover-${library}`;
  const side = await serverSide(group, library, prefix);
  closers.push(() => side.close());
  const discovery = { sentinels: group.sentinels, name: group.masterName, library, prefix };
  const durableBroker = await createSentinelBroker({ ...discovery, durability: DURABILITY });
  closers.push(() => durableBroker.close());
  const plainBroker = await createSentinelBroker(discovery);
  closers.push(() => plainBroker.close());

  const handled = new Map<string, number>();
  const handledFrom: { at: number; port: number | undefined }[] = [];
  let canceled: unknown;
  const mux = new ServeMux();
  mux.handle("work", async (_task: Task, ctx: HandlerContext) => {
    handledFrom.push({ at: Date.now(), port: side.servedBy() });
    handled.set(ctx.taskId, (handled.get(ctx.taskId) ?? 0) + 1);
  });
  mux.handle("block", async (_task: Task, ctx: HandlerContext) => {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, WAIT_LIMIT_MS);
      ctx.signal.addEventListener("abort", () => {
        canceled = ctx.signal.reason;
        clearTimeout(timer);
        resolve();
      });
    });
  });
  const log = countingLogger();
  const server = new Server(side.broker, {
    concurrency: 8,
    queues: { [DURABLE_QUEUE]: 1, [PLAIN_QUEUE]: 1 },
    logger: log.logger,
    logLevel: "debug",
    shutdownTimeout: 1_000,
  });
  server.start(mux);
  closers.push(() => server.stop());

  const stopProducing = new AbortController();
  closers.push(async () => stopProducing.abort());
  const producers = Promise.all([
    produce(
      new Client(durableBroker),
      DURABLE_QUEUE,
      "d-",
      PRODUCER_PAUSE_MS,
      stopProducing.signal,
    ),
    produce(new Client(plainBroker), PLAIN_QUEUE, "p-", PRODUCER_PAUSE_MS, stopProducing.signal),
  ]);

  const [firstMaster, secondMaster] = group.nodePorts;
  await until(() => handled.size >= 200);

  const failoverAt = Date.now();
  await group.failover();
  const resumedOnSecond = await until(() =>
    handledFrom.some((h) => h.at > failoverAt && h.port === secondMaster),
  );
  const resumeAfterFailoverMs = resumedOnSecond
    ? handledFrom.find((h) => h.at > failoverAt && h.port === secondMaster)!.at - failoverAt
    : undefined;

  // The demoted master rejoins as a replica only when a sentinel reconfigures it (~10 s); from
  // then on durable enqueues are confirmed again. Give them a second before the crash.
  await group.settled();
  const settledAt = Date.now();
  await sleep(1_000);
  const killAt = Date.now();
  const killed = await group.killMaster("SIGKILL");
  if (killed !== secondMaster)
    throw new Error(`expected to kill ${secondMaster}, killed ${killed}`);
  const resumedOnFirst = await until(() =>
    handledFrom.some((h) => h.at > killAt && h.port === firstMaster),
  );
  const resumeAfterKillMs = resumedOnFirst
    ? handledFrom.find((h) => h.at > killAt && h.port === firstMaster)!.at - killAt
    : undefined;

  await sleep(300);
  stopProducing.abort();
  const [durableLog, plainLog] = await producers;

  // The server's subscription must have followed both failovers.
  const blockId = "block-after-failovers";
  await new Client(plainBroker).enqueue(new Task("block", "x"), {
    queue: PLAIN_QUEUE,
    taskId: blockId,
  });
  const cancellationDelivered = await until(async () => {
    await plainBroker.publishCancellation({ taskId: blockId });
    return canceled !== undefined;
  }, 100);

  // Let the server work through what is pending (tasks left active by an acknowledgement the
  // killed master took with it wait for their lease), then stop it: it requeues what runs.
  await until(async () => (await pendingCount(side.broker)) === 0);
  await server.stop();

  return {
    library,
    resumeAfterFailoverMs,
    resumeAfterKillMs,
    durable: await outcomeOf(side.broker, DURABLE_QUEUE, durableLog, handled, [settledAt, killAt]),
    plain: await outcomeOf(side.broker, PLAIN_QUEUE, plainLog, handled, [settledAt, killAt]),
    cancellationDelivered,
    serverLogLines: log.counts,
    serverProblems: [...log.problems],
  };
}

async function serverSide(
  group: RedisSentinelGroupHandle,
  library: SentinelLibrary,
  prefix: string,
): Promise<ServerSide> {
  const discovery = { sentinels: group.sentinels, name: group.masterName };
  if (library === "ioredis") {
    const client = new Redis(ioredisSentinelOptions(discovery));
    client.on("error", () => {});
    const broker = await createSentinelBroker({ client, prefix });
    return {
      broker,
      servedBy: () => client.stream?.remotePort,
      close: async () => {
        await broker.close();
        client.disconnect();
      },
    };
  }
  const sentinel = createSentinel(nodeRedisSentinelOptions(discovery));
  sentinel.on("error", () => {});
  await sentinel.connect();
  const broker = await createSentinelBroker({
    client: sentinel as unknown as NodeRedisSentinel,
    prefix,
  });
  return {
    broker,
    servedBy: () => sentinel.getMasterNode()?.port,
    close: async () => {
      await broker.close();
      await sentinel.destroy();
    },
  };
}

async function outcomeOf(
  broker: Broker,
  queue: string,
  log: ProducerLog,
  handled: ReadonlyMap<string, number>,
  [beforeKillFrom, killAt]: readonly [number, number],
): Promise<ProducerOutcome> {
  const states: Record<string, number> = {};
  const lost: string[] = [];
  let lostUnhandled = 0;
  let handledTwice = 0;
  let acknowledgedBeforeKill = 0;
  let lostOfAcknowledgedBeforeKill = 0;
  const now = Date.now();
  for (const [index, taskId] of log.acknowledged.entries()) {
    const at = log.acknowledgedAt[index]!;
    const beforeKill = at >= beforeKillFrom && at < killAt;
    if (beforeKill) acknowledgedBeforeKill += 1;
    const found = await broker.getTask({ queue, taskId, now });
    const state = found.ok ? found.task.state : "missing";
    states[state] = (states[state] ?? 0) + 1;
    const runs = handled.get(taskId) ?? 0;
    if (runs > 1) handledTwice += 1;
    if (state === "missing") {
      lost.push(taskId);
      if (runs === 0) lostUnhandled += 1;
      if (beforeKill) lostOfAcknowledgedBeforeKill += 1;
    }
  }
  return {
    acknowledged: log.acknowledged.length,
    failures: Object.fromEntries(log.failures),
    lost,
    lostUnhandled,
    states,
    handledTwice,
    acknowledgedBeforeKill,
    lostOfAcknowledgedBeforeKill,
  };
}

async function pendingCount(broker: Broker): Promise<number> {
  let total = 0;
  for (const queue of QUEUES) {
    const stats = await broker.queueStats({ queue, now: Date.now() });
    if (stats.ok) total += stats.stats.pending;
  }
  return total;
}

function countingLogger(): {
  logger: Logger;
  counts: Record<string, number>;
  problems: Set<string>;
} {
  const counts: Record<string, number> = {};
  const problems = new Set<string>();
  const count = (level: string) => (message: string) => {
    counts[level] = (counts[level] ?? 0) + 1;
    if ((level === "warn" || level === "error") && problems.size < 5) {
      problems.add(`${level}: ${message}`);
    }
  };
  return {
    logger: {
      debug: count("debug"),
      info: count("info"),
      warn: count("warn"),
      error: count("error"),
    },
    counts,
    problems,
  };
}

/** Polls `check` until it holds or the wait limit passes; says which. */
async function until(check: () => boolean | Promise<boolean>, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (Date.now() < deadline) {
    try {
      if (await check()) return true;
    } catch {
      // the topology is moving: ask again
    }
    await sleep(everyMs);
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
