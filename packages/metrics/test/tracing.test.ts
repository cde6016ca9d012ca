// OpenTelemetry spans from enqueue to handler, on the memory broker with a fake clock.
import { createMemoryBroker } from "@asynq-ts/backend-memory";
import {
  Client,
  type EnqueueInterceptor,
  ServeMux,
  Server,
  SkipRetryError,
  Task,
} from "@asynq-ts/core";
import { AsynqTracing, ATTR } from "@asynq-ts/metrics";
import { FakeClock } from "@asynq-ts/testing";
import {
  context,
  propagation,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { until } from "./support/wait.js";

let exporter: InMemorySpanExporter;
let provider: BasicTracerProvider;
let clock: FakeClock;
let server: Server | undefined;

beforeEach(() => {
  exporter = new InMemorySpanExporter();
  provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  clock = new FakeClock();
});

afterEach(async () => {
  await server?.shutdown();
  server = undefined;
  trace.disable();
  context.disable();
  propagation.disable();
  await provider.shutdown();
});

/** Client and server over one memory broker; the handlers see what `mux` routes. */
function start(mux: ServeMux, interceptors: readonly EnqueueInterceptor[]) {
  const broker = createMemoryBroker();
  const client = new Client(broker, { clock, interceptors });
  server = new Server(broker, {
    clock,
    timers: clock,
    concurrency: 1,
    retryDelay: () => 0,
    logLevel: "error",
  });
  server.start(mux);
  return client;
}

const finished = () => exporter.getFinishedSpans();
const ofKind = (kind: SpanKind) => finished().filter((s) => s.kind === kind);

/** Waits until `n` consumer spans have ended, moving the fake clock so retries come due. */
async function consumerSpans(n: number): Promise<ReadableSpan[]> {
  await until(() => ofKind(SpanKind.CONSUMER).length >= n, `${n} consumer span(s)`, {
    step: () => clock.tick(1_000),
    attempts: 200,
  });
  return ofKind(SpanKind.CONSUMER);
}

const idsOf = (c: SpanContext | undefined) => ({ traceId: c?.traceId, spanId: c?.spanId });

describe("AsynqTracing", () => {
  it("puts the enqueue and every attempt of a retried task in one trace", async () => {
    const tracing = new AsynqTracing();
    const seen: { traceparent: string | undefined; active: SpanContext | undefined }[] = [];
    const mux = new ServeMux().use(tracing.middleware()).handle("flaky", async (task, ctx) => {
      seen.push({
        traceparent: task.headers.traceparent,
        active: trace.getActiveSpan()?.spanContext(),
      });
      if (ctx.retryCount === 0) throw new Error("first attempt fails");
    });
    const client = start(mux, [tracing.interceptor()]);
    const tracer = trace.getTracer("test");
    const info = await tracer.startActiveSpan("request", async (root) => {
      try {
        return await client.enqueue(new Task("flaky", "{}"));
      } finally {
        root.end();
      }
    });

    const [first, second] = await consumerSpans(2);
    const root = finished().find((s) => s.name === "request")!;
    const producer = ofKind(SpanKind.PRODUCER)[0]!;
    const traceId = root.spanContext().traceId;

    expect(producer.name).toBe("send default");
    expect(idsOf(producer.parentSpanContext)).toStrictEqual(idsOf(root.spanContext()));
    expect(producer.attributes).toMatchObject({
      [ATTR.system]: "asynq",
      [ATTR.destination]: "default",
      [ATTR.operationType]: "send",
      [ATTR.messageId]: info.id,
      [ATTR.taskType]: "flaky",
    });
    const producerIds = idsOf(producer.spanContext());
    for (const [attempt, span] of [first!, second!].entries()) {
      expect(span.name).toBe("process default");
      expect(span.spanContext().traceId).toBe(traceId);
      expect(idsOf(span.parentSpanContext)).toStrictEqual(producerIds);
      expect(span.links.map((l) => idsOf(l.context))).toStrictEqual([producerIds]);
      expect(span.attributes).toMatchObject({
        [ATTR.system]: "asynq",
        [ATTR.destination]: "default",
        [ATTR.operationType]: "process",
        [ATTR.operationName]: "process",
        [ATTR.messageId]: info.id,
        [ATTR.taskType]: "flaky",
        [ATTR.retryCount]: attempt,
      });
      // The handler ran inside its attempt's span, and the header is plain W3C trace context.
      expect(idsOf(seen[attempt]?.active)).toStrictEqual(idsOf(span.spanContext()));
      expect(seen[attempt]?.traceparent).toBe(`00-${traceId}-${producerIds.spanId}-01`);
    }
    expect(first!.attributes[ATTR.outcome]).toBe("retried");
    expect(first!.status).toStrictEqual({
      code: SpanStatusCode.ERROR,
      message: "first attempt fails",
    });
    expect(first!.events.map((e) => e.name)).toStrictEqual(["exception"]);
    expect(first!.events[0]?.attributes?.["exception.message"]).toBe("first attempt fails");
    expect(second!.attributes[ATTR.outcome]).toBe("succeeded");
    expect(second!.status.code).toBe(SpanStatusCode.UNSET);
    expect(second!.events).toStrictEqual([]);
  });

  it("records an archiving failure with its error code", async () => {
    const tracing = new AsynqTracing();
    const mux = new ServeMux().use(tracing.middleware()).handle("bad", async () => {
      throw new SkipRetryError("malformed");
    });
    const client = start(mux, [tracing.interceptor()]);
    await client.enqueue(new Task("bad"));

    const [span] = await consumerSpans(1);
    expect(span!.attributes[ATTR.outcome]).toBe("archived");
    expect(span!.attributes[ATTR.errorType]).toBe("SKIP_RETRY");
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("ends the producer span with the enqueue's error", async () => {
    const tracing = new AsynqTracing();
    const client = start(new ServeMux(), [tracing.interceptor()]);
    await client.enqueue(new Task("t"), { taskId: "same", processIn: 60_000 });
    await expect(
      client.enqueue(new Task("t"), { taskId: "same", processIn: 60_000 }),
    ).rejects.toThrow();

    const [ok, refused] = ofKind(SpanKind.PRODUCER);
    expect(ok!.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused!.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused!.attributes[ATTR.errorType]).toBe("TASK_ID_CONFLICT");
  });

  it("only links to the producer when told not to parent", async () => {
    const tracing = new AsynqTracing({ parentToProducer: false });
    const mux = new ServeMux().use(tracing.middleware()).handle("t", async () => {});
    const client = start(mux, [tracing.interceptor()]);
    await client.enqueue(new Task("t"));

    const [span] = await consumerSpans(1);
    const producer = ofKind(SpanKind.PRODUCER)[0]!;
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.spanContext().traceId).not.toBe(producer.spanContext().traceId);
    expect(span!.links.map((l) => idsOf(l.context))).toStrictEqual([idsOf(producer.spanContext())]);
  });

  it("starts a new trace for a task without trace headers (e.g. from a Go producer)", async () => {
    const tracing = new AsynqTracing();
    const mux = new ServeMux().use(tracing.middleware()).handle("t", async () => {});
    const client = start(mux, []);
    await client.enqueue(new Task("t"));

    const [span] = await consumerSpans(1);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.links).toStrictEqual([]);
    expect(span!.attributes[ATTR.outcome]).toBe("succeeded");
    expect(ofKind(SpanKind.PRODUCER)).toStrictEqual([]);
  });

  it("uses a given tracer provider and propagator instead of the globals", async () => {
    trace.disable();
    propagation.disable();
    const tracing = new AsynqTracing({
      tracerProvider: provider,
      propagator: new W3CTraceContextPropagator(),
    });
    const mux = new ServeMux().use(tracing.middleware()).handle("t", async () => {});
    const client = start(mux, [tracing.interceptor()]);
    await client.enqueue(new Task("t"));

    const [span] = await consumerSpans(1);
    const producer = ofKind(SpanKind.PRODUCER)[0]!;
    expect(idsOf(span!.parentSpanContext)).toStrictEqual(idsOf(producer.spanContext()));
  });
});
