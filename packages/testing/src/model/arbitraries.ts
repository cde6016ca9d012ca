import fc from "fast-check";
import {
  type ContainerSpec,
  DEFAULT_UNIVERSE,
  type GroupSpec,
  type Operation,
  type PlacementSpec,
  type TargetSpec,
  type TaskSpec,
  type Universe,
} from "./operations.js";

// Durations are whole seconds drawn from short lists: small values make tasks fall due,
// leases expire and groups age within a 25-step run; duplicates make equal scores common.
const DELAYS = [1, 2, 5, 30, 120] as const;
const ADVANCES = [1, 2, 5, 30, 61, 3600] as const;

/** Arbitrary operations over `universe`, weighted towards the common edges. */
export function operationArbitrary(universe: Universe = DEFAULT_UNIVERSE): fc.Arbitrary<Operation> {
  const queue = fc.constantFrom(...universe.queues);
  const id = fc.constantFrom(...universe.ids);
  const group = fc.constantFrom(...universe.groups);
  const delay = fc.constantFrom(...DELAYS);
  // Mostly picked among the tasks an edge applies to, sometimes any named task (refusals).
  const target: fc.Arbitrary<TargetSpec> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ pick: fc.nat({ max: 11 }) }) },
    { weight: 1, arbitrary: fc.record({ queue, id }) },
  );
  const groupSpec: fc.Arbitrary<GroupSpec> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ pick: fc.nat({ max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ queue, group }) },
  );
  const queueOrder = fc
    .shuffledSubarray([...universe.queues], { minLength: 1 })
    .map((queues) => queues as readonly string[]);

  const placement: fc.Arbitrary<PlacementSpec> = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ state: "pending" as const }) },
    {
      weight: 2,
      arbitrary: fc.record({ state: fc.constant("scheduled" as const), inSeconds: delay }),
    },
    { weight: 3, arbitrary: fc.record({ state: fc.constant("aggregating" as const), group }) },
    {
      weight: 2,
      arbitrary: fc.record({
        state: fc.constant("scheduledGroup" as const),
        inSeconds: delay,
        group,
      }),
    },
  );
  const task: fc.Arbitrary<TaskSpec> = fc.record({
    queue,
    id,
    type: fc.constantFrom(...universe.types),
    payload: fc.constantFrom(...universe.payloads),
    placement,
    unique: fc.boolean(),
    maxRetry: fc.constantFrom(0, 1, 3),
  });
  const container = <S extends "pending" | "scheduled" | "retry" | "archived" | "completed">(
    ...states: S[]
  ): fc.Arbitrary<ContainerSpec<S | "aggregating">> =>
    fc.oneof(
      fc.record({ state: fc.constantFrom(...states) }),
      fc.record({ state: fc.constant("aggregating" as const), group }),
    ) as fc.Arbitrary<ContainerSpec<S | "aggregating">>;
  const trimMaxSize = fc.constantFrom(1, 2, 10_000);
  const trimMaxAgeSeconds = fc.constantFrom(10, 90 * 86_400);

  const op = <T extends Operation["op"]>(name: T) => fc.constant(name);
  return fc.oneof(
    { weight: 10, arbitrary: task.map((t): Operation => ({ op: "enqueue", ...t })) },
    {
      weight: 2,
      arbitrary: fc
        .array(task, { minLength: 1, maxLength: 3 })
        .map((tasks): Operation => ({ op: "enqueueBulk", tasks })),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        op: op("dequeue"),
        queues: queueOrder,
        leaseSeconds: fc.constantFrom(5, 30),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: op("dequeueBatch"),
        queues: queueOrder,
        leaseSeconds: fc.constantFrom(5, 30),
        max: fc.integer({ min: 1, max: 4 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ op: op("done"), target }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: op("markComplete"),
        target,
        retentionSeconds: fc.constantFrom(1, 60),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: op("requeue"), target }) },
    {
      weight: 3,
      arbitrary: fc.record({
        op: op("retry"),
        target,
        delaySeconds: delay,
        isFailure: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: op("archive"), target, trimMaxSize, trimMaxAgeSeconds }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: op("writeResult"), target, result: fc.constantFrom("r0", "") }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: op("extendLease"),
        queue,
        ids: fc.subarray([...universe.ids], { minLength: 1, maxLength: 3 }),
        leaseSeconds: fc.constantFrom(5, 30),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        op: op("forwardDue"),
        queue,
        from: fc.constantFrom("scheduled" as const, "scheduled" as const, "retry" as const),
        limit: fc.constantFrom(1, 2, 100),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({ op: op("advance"), seconds: fc.constantFrom(...ADVANCES) }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ op: op("maintain"), seconds: fc.constantFrom(...ADVANCES) }),
    },
    { weight: 1, arbitrary: fc.record({ op: op("pause"), queue }) },
    { weight: 2, arbitrary: fc.record({ op: op("unpause"), queue }) },
    { weight: 2, arbitrary: fc.record({ op: op("runTask"), target }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: op("archiveTask"), target, trimMaxSize, trimMaxAgeSeconds }),
    },
    { weight: 1, arbitrary: fc.record({ op: op("deleteTask"), target }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: op("updatePayload"),
        target,
        payload: fc.constantFrom(...universe.payloads),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: op("runAll"),
        queue,
        container: container("scheduled", "retry", "archived"),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: op("archiveAll"),
        queue,
        container: container("pending", "scheduled", "retry"),
        trimMaxSize,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: op("deleteAll"),
        queue,
        container: container("pending", "scheduled", "retry", "archived", "completed"),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: op("aggregationCheck"),
        group: groupSpec,
        maxSize: fc.constantFrom(0, 1, 2, 3),
        maxDelaySeconds: fc.constantFrom(0, 10),
        graceSeconds: fc.constantFrom(1, 5, 60),
        setTtlSeconds: fc.constantFrom(1, 120),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: op("readAggregationSet"), pick: fc.nat({ max: 7 }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: op("deleteAggregationSet"), pick: fc.nat({ max: 7 }) }),
    },
    { weight: 1, arbitrary: fc.record({ op: op("reclaimStaleSets"), queue }) },
    { weight: 2, arbitrary: fc.record({ op: op("recoverExpired"), queues: queueOrder }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: op("deleteExpiredCompleted"),
        queue,
        limit: fc.constantFrom(1, 100),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: op("deleteQueue"), queue, force: fc.boolean() }) },
  );
}

/** Sequences of `1..maxSteps` operations. */
export function sequenceArbitrary(
  maxSteps: number,
  universe: Universe = DEFAULT_UNIVERSE,
): fc.Arbitrary<Operation[]> {
  return fc.array(operationArbitrary(universe), { minLength: 1, maxLength: maxSteps, size: "max" });
}
