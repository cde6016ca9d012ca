import {
  AsynqError,
  type EnqueueInterceptor,
  errorText,
  type HandlerContext,
  type Middleware,
  type Task,
} from "@asynq-ts/core";
import {
  type Attributes,
  type Context,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  type Link,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  type Tracer,
  type TracerProvider,
  trace,
} from "@opentelemetry/api";
import { type AttemptClassification, classifyAttempt, settle } from "./attempt-outcome.js";

/** Options of `AsynqTracing`. */
export interface AsynqTracingOptions {
  /** Where spans go. @default the global tracer provider, looked up at each use */
  readonly tracerProvider?: TracerProvider;
  /**
   * How trace context travels in task headers. @default the global propagator (register
   * `W3CTraceContextPropagator` for `traceparent`/`tracestate`)
   */
  readonly propagator?: TextMapPropagator;
  /**
   * Make each consumer span a child of the producer span, so enqueue and every attempt share
   * one trace. When false, the consumer span starts in the handler's current context and only
   * links to the producer. @default true
   */
  readonly parentToProducer?: boolean;
}

/** The instrumentation scope spans are created under. */
export const TRACER_NAME = "@asynq-ts/metrics";
const TRACER_VERSION = "0.1.0";

/** Messaging semantic-convention attribute keys (plus asynq-specific ones under `messaging.asynq`). */
export const ATTR = Object.freeze({
  system: "messaging.system",
  destination: "messaging.destination.name",
  operationType: "messaging.operation.type",
  operationName: "messaging.operation.name",
  messageId: "messaging.message.id",
  bodySize: "messaging.message.body.size",
  errorType: "error.type",
  taskType: "messaging.asynq.task.type",
  retryCount: "messaging.asynq.task.retry_count",
  maxRetry: "messaging.asynq.task.max_retry",
  outcome: "messaging.asynq.task.outcome",
});

/** Outcomes that are not failures of the attempt. */
const NOT_AN_ERROR = new Set(["succeeded", "revoked", "requeued"]);

/**
 * OpenTelemetry for asynq-ts through `@opentelemetry/api` only: a client interceptor that
 * wraps each enqueue in a PRODUCER span ("send <queue>") and injects its context into the
 * task's headers, and a `ServeMux` middleware that runs each handler attempt in a CONSUMER
 * span ("process <queue>") parented to (and linked with) that context. A retried task gets
 * one consumer span per attempt, all in the producer's trace. The headers are plain task
 * headers, so a Go asynq peer carries them unchanged.
 */
export class AsynqTracing {
  readonly #provider: TracerProvider | undefined;
  readonly #propagator: TextMapPropagator | undefined;
  readonly #parentToProducer: boolean;

  constructor(options: AsynqTracingOptions = {}) {
    this.#provider = options.tracerProvider;
    this.#propagator = options.propagator;
    this.#parentToProducer = options.parentToProducer ?? true;
  }

  /** The client interceptor: a PRODUCER span per enqueued task, its context in the headers. */
  interceptor(): EnqueueInterceptor {
    return (outgoing) => {
      const parent = context.active();
      const span = this.#tracer().startSpan(
        `send ${outgoing.queue}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            ...messageAttributes(outgoing.task, outgoing.queue, outgoing.taskId),
            [ATTR.operationType]: "send",
            [ATTR.operationName]: "send",
          },
        },
        parent,
      );
      const carrier: Record<string, string> = {};
      this.#inject(trace.setSpan(parent, span), carrier);
      for (const [name, value] of Object.entries(carrier)) outgoing.setHeader(name, value);
      return (outcome) => {
        if (!outcome.ok) recordError(span, outcome.error);
        span.end();
      };
    };
  }

  /** The `ServeMux` middleware: a CONSUMER span around each handler attempt. */
  middleware(): Middleware {
    return (next) => async (task, ctx) => {
      const producer = this.#extract(task.headers);
      const producerSpan = trace.getSpanContext(producer);
      const linked = producerSpan !== undefined && isSpanContextValid(producerSpan);
      const links: Link[] = linked ? [{ context: producerSpan }] : [];
      const parent = linked && this.#parentToProducer ? producer : context.active();
      const span = this.#tracer().startSpan(
        `process ${ctx.queue}`,
        { kind: SpanKind.CONSUMER, attributes: consumerAttributes(task, ctx), links },
        parent,
      );
      const settled = await settle(() =>
        context.with(trace.setSpan(parent, span), () => next(task, ctx)),
      );
      endAttempt(span, classifyAttempt(ctx, settled));
      if (!settled.ok) throw settled.error;
    };
  }

  #tracer(): Tracer {
    return (this.#provider ?? trace.getTracerProvider()).getTracer(TRACER_NAME, TRACER_VERSION);
  }

  #inject(ctx: Context, carrier: Record<string, string>): void {
    if (this.#propagator === undefined) propagation.inject(ctx, carrier);
    else this.#propagator.inject(ctx, carrier, defaultTextMapSetter);
  }

  #extract(headers: Readonly<Record<string, string>>): Context {
    return this.#propagator === undefined
      ? propagation.extract(ROOT_CONTEXT, headers)
      : this.#propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
  }
}

function messageAttributes(task: Task, queue: string, taskId: string): Attributes {
  return {
    [ATTR.system]: "asynq",
    [ATTR.destination]: queue,
    [ATTR.messageId]: taskId,
    [ATTR.taskType]: task.type,
    [ATTR.bodySize]: task.payload.byteLength,
  };
}

function consumerAttributes(task: Task, ctx: HandlerContext): Attributes {
  return {
    ...messageAttributes(task, ctx.queue, ctx.taskId),
    [ATTR.operationType]: "process",
    [ATTR.operationName]: "process",
    [ATTR.retryCount]: ctx.retryCount,
    [ATTR.maxRetry]: ctx.maxRetry,
  };
}

function endAttempt(span: Span, attempt: AttemptClassification): void {
  span.setAttribute(ATTR.outcome, attempt.outcome);
  if (!NOT_AN_ERROR.has(attempt.outcome)) recordError(span, attempt.error);
  span.end();
}

function recordError(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : errorText(error));
  span.setAttribute(ATTR.errorType, errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorText(error) });
}

function errorType(error: unknown): string {
  if (AsynqError.isInstance(error)) return error.code;
  return error instanceof Error ? error.name : "_OTHER";
}
