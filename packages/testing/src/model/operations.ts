import type { Container, TaskState } from "@asynq-ts/core";

// The operations a differential run applies to every broker. Plain JSON data, so a shrunk
// failing sequence can be pasted into a regression test as a literal.

/** Where a new task goes; `scheduledGroup` is a scheduled task that aggregates once due. */
export type PlacementSpec =
  | { readonly state: "pending" }
  | { readonly state: "scheduled"; readonly inSeconds: number }
  | { readonly state: "aggregating"; readonly group: string }
  | { readonly state: "scheduledGroup"; readonly inSeconds: number; readonly group: string };

/** One new task: every field is taken from a small pool so operations collide often. */
export interface TaskSpec {
  readonly queue: string;
  readonly id: string;
  readonly type: string;
  readonly payload: string;
  readonly placement: PlacementSpec;
  /** Take a unique lock (with a TTL far longer than any run, so it never expires mid-run). */
  readonly unique: boolean;
  readonly maxRetry: number;
}

/** A container of a queue that bulk inspector operations act on. */
export type ContainerSpec<S extends TaskState = Exclude<TaskState, "active">> = Container<S>;

/** A task named by queue and ID. */
export interface TaskRefSpec {
  readonly queue: string;
  readonly id: string;
}

/**
 * The task an operation acts on: named, or picked (index modulo their count) among the tasks
 * the brokers agreed on after the previous step — the active ones for worker edges, every
 * stored one for inspector edges — so that edges are mostly tried on tasks they apply to.
 */
export type TargetSpec = TaskRefSpec | { readonly pick: number };

/** A group named by queue and name, or picked among the groups with tasks waiting. */
export type GroupSpec =
  | { readonly queue: string; readonly group: string }
  | { readonly pick: number };

/** One step of a differential run. Durations are whole seconds. */
export type Operation =
  | ({ readonly op: "enqueue" } & TaskSpec)
  | { readonly op: "enqueueBulk"; readonly tasks: readonly TaskSpec[] }
  | { readonly op: "dequeue"; readonly queues: readonly string[]; readonly leaseSeconds: number }
  /** `dequeueBatch` where the broker has it (`capabilities.batchDequeue`). */
  | {
      readonly op: "dequeueBatch";
      readonly queues: readonly string[];
      readonly leaseSeconds: number;
      readonly max: number;
    }
  | { readonly op: "done"; readonly target: TargetSpec }
  | { readonly op: "markComplete"; readonly target: TargetSpec; readonly retentionSeconds: number }
  | { readonly op: "requeue"; readonly target: TargetSpec }
  | {
      readonly op: "retry";
      readonly target: TargetSpec;
      readonly delaySeconds: number;
      readonly isFailure: boolean;
    }
  | {
      readonly op: "archive";
      readonly target: TargetSpec;
      readonly trimMaxSize: number;
      readonly trimMaxAgeSeconds: number;
    }
  | { readonly op: "writeResult"; readonly target: TargetSpec; readonly result: string }
  | {
      readonly op: "extendLease";
      readonly queue: string;
      readonly ids: readonly string[];
      readonly leaseSeconds: number;
    }
  | {
      readonly op: "forwardDue";
      readonly queue: string;
      readonly from: "scheduled" | "retry";
      readonly limit: number;
    }
  | { readonly op: "advance"; readonly seconds: number }
  /**
   * Time passes and a server's periodic work runs on every queue: forwarding due scheduled and
   * retry tasks, deleting expired completed tasks, recovering expired leases (as
   * `recoverExpired`) and reclaiming stale aggregation sets.
   */
  | { readonly op: "maintain"; readonly seconds: number }
  | { readonly op: "pause"; readonly queue: string }
  | { readonly op: "unpause"; readonly queue: string }
  | { readonly op: "runTask"; readonly target: TargetSpec }
  | {
      readonly op: "archiveTask";
      readonly target: TargetSpec;
      readonly trimMaxSize: number;
      readonly trimMaxAgeSeconds: number;
    }
  | { readonly op: "deleteTask"; readonly target: TargetSpec }
  | { readonly op: "updatePayload"; readonly target: TargetSpec; readonly payload: string }
  | {
      readonly op: "runAll";
      readonly queue: string;
      readonly container: ContainerSpec<"scheduled" | "retry" | "archived" | "aggregating">;
    }
  | {
      readonly op: "archiveAll";
      readonly queue: string;
      readonly container: ContainerSpec<"pending" | "scheduled" | "retry" | "aggregating">;
      readonly trimMaxSize: number;
    }
  | {
      readonly op: "deleteAll";
      readonly queue: string;
      readonly container: ContainerSpec<
        "pending" | "scheduled" | "retry" | "archived" | "completed" | "aggregating"
      >;
    }
  | {
      readonly op: "aggregationCheck";
      readonly group: GroupSpec;
      readonly maxSize: number;
      readonly maxDelaySeconds: number;
      readonly graceSeconds: number;
      readonly setTtlSeconds: number;
    }
  /** `pick` selects one of the sets created so far (modulo their count). */
  | { readonly op: "readAggregationSet"; readonly pick: number }
  | { readonly op: "deleteAggregationSet"; readonly pick: number }
  | { readonly op: "reclaimStaleSets"; readonly queue: string }
  /**
   * The recoverer's pass: lists tasks whose lease expired at or before now, then retries each
   * (archives it when its retries are used up), as core does.
   */
  | { readonly op: "recoverExpired"; readonly queues: readonly string[] }
  | { readonly op: "deleteExpiredCompleted"; readonly queue: string; readonly limit: number }
  | { readonly op: "deleteQueue"; readonly queue: string; readonly force: boolean };

/** The pools operations draw names from. */
export interface Universe {
  readonly queues: readonly string[];
  readonly ids: readonly string[];
  readonly groups: readonly string[];
  readonly types: readonly string[];
  readonly payloads: readonly string[];
}

/** A small universe: two queues, six IDs, two groups, so operations hit each other's tasks. */
export const DEFAULT_UNIVERSE: Universe = {
  queues: ["qa", "qb"],
  ids: ["t0", "t1", "t2", "t3", "t4", "t5"],
  groups: ["g1", "g2"],
  types: ["ta", "tb"],
  payloads: ["p0", "p1"],
};

/** A one-line description of an operation for failure reports. */
export function describeOperation(operation: Operation): string {
  return JSON.stringify(operation);
}
