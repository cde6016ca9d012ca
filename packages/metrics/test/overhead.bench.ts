// Overhead of the metrics and tracing middlewares on processing, on real Redis. Not part of
// `npm test`. Run: npx tsx --conditions=@asynq-ts/source packages/metrics/test/overhead.bench.ts
// Options (env): TASKS (default 20000), RUNS (3), CONCURRENCY (10), VARIANTS=all.
import { performance } from "node:perf_hooks";
import { createRedisBroker } from "@asynq-ts/backend-redis";
import {
  Client,
  type EnqueueInterceptor,
  Inspector,
  type Middleware,
  ServeMux,
  Server,
  Task,
} from "@asynq-ts/core";
import { AsynqTracing, enqueueTimeInterceptor, ServerMetrics } from "@asynq-ts/metrics";
import { startRedisServer } from "@asynq-ts/testing/servers";
import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ExportResultCode, W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";
import { Redis } from "ioredis";
import { Registry } from "prom-client";

const TASKS = Number(process.env.TASKS ?? 20_000);
const RUNS = Number(process.env.RUNS ?? 3);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);

/** An exporter that drops every span: the SDK still records and batches them. */
const discard: SpanExporter = {
  export: (_spans, done) => done({ code: ExportResultCode.SUCCESS }),
  shutdown: async () => {},
};

interface Variant {
  readonly name: string;
  readonly interceptors: () => EnqueueInterceptor[];
  readonly middlewares: () => Middleware[];
}

const tracing = new AsynqTracing();
const variants: Variant[] = [
  { name: "bare", interceptors: () => [], middlewares: () => [] },
  {
    name: "metrics+tracing",
    interceptors: () => [enqueueTimeInterceptor(), tracing.interceptor()],
    middlewares: () => [
      new ServerMetrics({ registry: new Registry(), concurrency: CONCURRENCY }).middleware(),
      tracing.middleware(),
    ],
  },
];
// VARIANTS=all also times each middleware alone, to see where the cost goes.
if (process.env.VARIANTS === "all") {
  variants.push(
    {
      name: "metrics",
      interceptors: () => [enqueueTimeInterceptor()],
      middlewares: () => [new ServerMetrics({ registry: new Registry() }).middleware()],
    },
    {
      name: "tracing",
      interceptors: () => [tracing.interceptor()],
      middlewares: () => [tracing.middleware()],
    },
  );
}

const redis = await startRedisServer();
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(discard)] });
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

/** Enqueues TASKS no-op tasks, then times how long one server takes to process them all. */
async function run(variant: Variant): Promise<number> {
  const connection = new Redis(redis.url);
  await connection.flushall();
  const broker = createRedisBroker({ client: connection });
  const client = new Client(broker, { interceptors: variant.interceptors() });
  for (let i = 0; i < TASKS; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, TASKS - i) }, () => new Task("noop"));
    await client.enqueueBulk(batch);
  }
  const inspector = new Inspector(broker);
  const server = new Server(broker, { concurrency: CONCURRENCY, logLevel: "error" });
  const mux = new ServeMux().use(...variant.middlewares()).handle("noop", async () => {});
  const started = performance.now();
  server.start(mux);
  while ((await inspector.queueInfo("default")).processedTotal < TASKS) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const elapsed = performance.now() - started;
  await server.shutdown();
  await broker.close();
  await connection.quit();
  return elapsed;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

try {
  const times = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  await run(variants[0]!); // warm-up: JIT, script loading
  for (let r = 0; r < RUNS; r++) {
    for (const variant of variants) {
      const ms = await run(variant);
      times.get(variant.name)!.push(ms);
      console.log(
        `run ${r + 1} ${variant.name.padEnd(16)} ${ms.toFixed(0)} ms (${((TASKS / ms) * 1000).toFixed(0)} tasks/s)`,
      );
    }
  }
  for (const [name, ms] of times) console.log(`median ${name}: ${median(ms).toFixed(0)} ms`);
  const bare = median(times.get("bare")!);
  const instrumented = median(times.get("metrics+tracing")!);
  console.log(
    `median: bare ${bare.toFixed(0)} ms, metrics+tracing ${instrumented.toFixed(0)} ms, ` +
      `ratio ${(instrumented / bare).toFixed(3)} (${TASKS} tasks, concurrency ${CONCURRENCY})`,
  );
} finally {
  await provider.shutdown();
  await redis.stop();
}
