import { createMemoryBroker } from "@asynq-ts/backend-memory";
import { type Operation, runLockstep } from "@asynq-ts/testing/model";
import { describe, expect, it } from "vitest";
import { TARGETS, useRedisTargets } from "./support/redis-targets.js";

// Shrunk sequences on which the memory broker and Redis once disagreed, kept as regression
// tests. Each runs in lockstep exactly as the differential test runs it; the comment says what
// diverged and which side was fixed.

const REGRESSIONS: readonly { readonly name: string; readonly operations: readonly Operation[] }[] =
  [
    {
      // Memory ordered equal scores by insertion, Redis by member: memory now orders ties by ID.
      name: "scheduled tasks due at the same second list in ID order",
      operations: [
        {
          op: "enqueue",
          queue: "qa",
          id: "t2",
          type: "tb",
          payload: "p0",
          placement: { state: "scheduled", inSeconds: 5 },
          unique: false,
          maxRetry: 0,
        },
        {
          op: "enqueue",
          queue: "qa",
          id: "t1",
          type: "ta",
          payload: "p1",
          placement: { state: "scheduled", inSeconds: 5 },
          unique: true,
          maxRetry: 1,
        },
        { op: "advance", seconds: 5 },
        { op: "forwardDue", queue: "qa", from: "scheduled", limit: 1 },
      ],
    },
    {
      // Memory counted members of aggregation sets as aggregating; Redis (and Go asynq) count
      // only tasks waiting in groups: memory fixed.
      name: "members of an aggregation set are not counted as aggregating",
      operations: [
        {
          op: "enqueueBulk",
          tasks: [
            {
              queue: "qb",
              id: "t0",
              type: "ta",
              payload: "p0",
              placement: { state: "aggregating", group: "g2" },
              unique: false,
              maxRetry: 0,
            },
          ],
        },
        { op: "advance", seconds: 1 },
        {
          op: "aggregationCheck",
          group: { queue: "qb", group: "g2" },
          maxSize: 0,
          maxDelaySeconds: 0,
          graceSeconds: 1,
          setTtlSeconds: 1,
        },
      ],
    },
    {
      // Memory trimmed the archive on archiveAll even when nothing moved; Redis trims only on
      // an archive write: memory fixed.
      name: "archiving an empty container does not trim the archive",
      operations: [
        {
          op: "enqueueBulk",
          tasks: [
            {
              queue: "qb",
              id: "t3",
              type: "ta",
              payload: "p0",
              placement: { state: "pending" },
              unique: false,
              maxRetry: 0,
            },
            {
              queue: "qa",
              id: "t0",
              type: "ta",
              payload: "p0",
              placement: { state: "scheduled", inSeconds: 1 },
              unique: false,
              maxRetry: 0,
            },
          ],
        },
        { op: "dequeue", queues: ["qb"], leaseSeconds: 5 },
        {
          op: "enqueueBulk",
          tasks: [
            {
              queue: "qb",
              id: "t5",
              type: "ta",
              payload: "p0",
              placement: { state: "scheduled", inSeconds: 1 },
              unique: false,
              maxRetry: 0,
            },
            {
              queue: "qa",
              id: "t0",
              type: "ta",
              payload: "p0",
              placement: { state: "pending" },
              unique: false,
              maxRetry: 0,
            },
          ],
        },
        { op: "archive", target: { queue: "qb", id: "t3" }, trimMaxSize: 1, trimMaxAgeSeconds: 10 },
        {
          op: "archiveTask",
          target: { queue: "qb", id: "t5" },
          trimMaxSize: 2,
          trimMaxAgeSeconds: 10,
        },
        {
          op: "archiveAll",
          queue: "qb",
          container: { state: "aggregating", group: "g1" },
          trimMaxSize: 1,
        },
      ],
    },
    {
      // Memory ran a task out of an aggregation set; Redis cannot name the set from the task
      // and answers not-found (Go asynq errors): memory now leaves set members to the aggregator.
      name: "inspector edges on a member of an aggregation set answer not-found",
      operations: [
        {
          op: "enqueueBulk",
          tasks: [
            {
              queue: "qb",
              id: "t3",
              type: "ta",
              payload: "p0",
              placement: { state: "aggregating", group: "g1" },
              unique: false,
              maxRetry: 0,
            },
          ],
        },
        {
          op: "aggregationCheck",
          group: { queue: "qb", group: "g1" },
          maxSize: 1,
          maxDelaySeconds: 0,
          graceSeconds: 1,
          setTtlSeconds: 1,
        },
        { op: "runTask", target: { queue: "qb", id: "t3" } },
        {
          op: "archiveTask",
          target: { queue: "qb", id: "t3" },
          trimMaxSize: 2,
          trimMaxAgeSeconds: 10,
        },
        { op: "deleteTask", target: { queue: "qb", id: "t3" } },
        { op: "readAggregationSet", pick: 0 },
      ],
    },
    {
      // Redis's pending enqueues began to be group-committed after the other requests of a bulk,
      // so a later scheduled request with the same ID won and the earlier pending one was refused;
      // memory applies a bulk in order. A bulk must apply its requests in order.
      name: "a bulk applies its requests in order (the first of two equal IDs wins)",
      operations: [
        {
          op: "enqueueBulk",
          tasks: [
            {
              queue: "qb",
              id: "t0",
              type: "ta",
              payload: "p0",
              placement: { state: "pending" },
              unique: false,
              maxRetry: 0,
            },
            {
              queue: "qb",
              id: "t0",
              type: "ta",
              payload: "p0",
              placement: { state: "scheduledGroup", inSeconds: 1, group: "g1" },
              unique: false,
              maxRetry: 0,
            },
          ],
        },
        {
          op: "enqueueBulk",
          tasks: [
            {
              queue: "qa",
              id: "t1",
              type: "ta",
              payload: "p1",
              placement: { state: "pending" },
              unique: true,
              maxRetry: 0,
            },
            {
              queue: "qa",
              id: "t2",
              type: "ta",
              payload: "p1",
              placement: { state: "aggregating", group: "g2" },
              unique: true,
              maxRetry: 0,
            },
          ],
        },
      ],
    },
  ];

const redisBroker = useRedisTargets();

describe.each(TARGETS)("regressions: memory and Redis %s agree", (target) => {
  it.each(REGRESSIONS)("$name", async ({ operations }) => {
    const memory = createMemoryBroker();
    const redis = redisBroker(target);
    try {
      const report = await runLockstep(operations, [
        { name: "memory", broker: memory },
        { name: `redis ${target}`, broker: redis },
      ]);
      expect(report.steps).toBe(operations.length);
    } finally {
      await Promise.allSettled([memory.close(), redis.close()]);
    }
  });
});
