// Messages between the orchestrating process and its child processes (one child per role and run).

/** The systems under test. */
export const SYSTEMS = ["asynq-ts", "bullmq", "bee-queue"] as const;
/** One of the systems under test. */
export type SystemName = (typeof SYSTEMS)[number];

/** What a child process is asked to do, passed as JSON in its first argument. */
export type ChildJob =
  | {
      readonly role: "enqueue-single";
      readonly system: SystemName;
      readonly url: string;
      readonly count: number;
      readonly inFlight: number;
      readonly payloadBytes: number;
      readonly retain: boolean;
    }
  | {
      readonly role: "enqueue-bulk";
      readonly system: SystemName;
      readonly url: string;
      readonly count: number;
      readonly batch: number;
      readonly payloadBytes: number;
      readonly retain: boolean;
    }
  | {
      /** Paced single enqueues carrying the enqueue instant (for the latency workloads). */
      readonly role: "enqueue-paced";
      readonly system: SystemName;
      readonly url: string;
      readonly count: number;
      readonly perSecond: number;
      readonly payloadBytes: number;
      readonly retain: boolean;
    }
  | {
      readonly role: "worker";
      readonly system: SystemName;
      readonly url: string;
      /** Completions to wait for. */
      readonly count: number;
      readonly concurrency: number;
      readonly retain: boolean;
      /** Record enqueue → handler-start latency from the payload's `t`. */
      readonly latency: boolean;
    };

/** Child → parent: connected and ready; the parent answers with `go`. */
export interface ReadyMessage {
  readonly type: "ready";
}

/**
 * Parent → child: `go` starts the measured part; `finish` lets the child close and exit (the
 * parent first reads the child's CPU time, which needs the process alive).
 */
export interface ParentMessage {
  readonly type: "go" | "finish";
}

/** Child → parent: the measured part is over. */
export interface ResultMessage {
  readonly type: "result";
  /** Wall time of the measured part, ms. */
  readonly elapsedMs: number;
  /** Tasks handled (enqueued or completed). */
  readonly tasks: number;
  /** CPU time of the child during the measured part, µs (user + system). */
  readonly cpuMicros: number;
  /** Peak resident set size of the child over its life, bytes. */
  readonly peakRssBytes: number;
  /** Enqueue → handler-start latencies, ms (latency workloads only). */
  readonly latenciesMs?: readonly number[];
}

/** Child → parent: the run failed. */
export interface ErrorMessage {
  readonly type: "error";
  readonly message: string;
}

/** Anything a child sends. */
export type ChildMessage = ReadyMessage | ResultMessage | ErrorMessage;

/** The payload every benchmark task carries. */
export interface BenchPayload {
  /** Sequence number. */
  readonly i: number;
  /** Enqueue instant, `performance.timeOrigin + performance.now()` (latency workloads). */
  readonly t?: number;
  /** Padding up to the requested payload size. */
  readonly pad?: string;
}
