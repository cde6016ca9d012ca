// Public API of @asynq-ts/metrics: Prometheus metrics and OpenTelemetry tracing for asynq-ts.

export {
  type AttemptClassification,
  classifyAttempt,
  type FailureReason,
  type Settled,
  settle,
  type TaskOutcome,
} from "./attempt-outcome.js";
export {
  DUE_AT_HEADER,
  ENQUEUED_AT_HEADER,
  enqueueTimeInterceptor,
  readyAt,
} from "./enqueue-time.js";
export { type MetricsHandlerOptions, metricsHandler } from "./metrics-handler.js";
export {
  DEFAULT_QUEUE_METRICS_CACHE_TTL,
  QueueMetricsCollector,
  type QueueMetricsCollectorOptions,
} from "./queue-metrics-collector.js";
export {
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_QUEUE_WAIT_BUCKETS,
  ServerMetrics,
  type ServerMetricsOptions,
} from "./server-metrics.js";
export { AsynqTracing, type AsynqTracingOptions, ATTR, TRACER_NAME } from "./tracing.js";
