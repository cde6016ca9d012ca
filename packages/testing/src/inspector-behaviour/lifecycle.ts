import { BrokerClosedError, type Inspector, Task } from "@asynq-ts/core";
import { type InspectorBehaviourOptions, rejection, withInspector } from "./harness.js";

/** One call of every Inspector method, with valid arguments. */
export function everyInspectorCall(inspector: Inspector): Record<string, () => Promise<unknown>> {
  const q = "default";
  return {
    queues: () => inspector.queues(),
    queueInfo: () => inspector.queueInfo(q),
    history: () => inspector.history(q, 1),
    groups: () => inspector.groups(q),
    pauseQueue: () => inspector.pauseQueue(q),
    unpauseQueue: () => inspector.unpauseQueue(q),
    deleteQueue: () => inspector.deleteQueue(q, { force: true }),
    taskInfo: () => inspector.taskInfo(q, "t"),
    listTasks: () => inspector.listTasks(q, "pending"),
    listPendingTasks: () => inspector.listPendingTasks(q),
    listActiveTasks: () => inspector.listActiveTasks(q),
    listScheduledTasks: () => inspector.listScheduledTasks(q),
    listRetryTasks: () => inspector.listRetryTasks(q),
    listArchivedTasks: () => inspector.listArchivedTasks(q),
    listCompletedTasks: () => inspector.listCompletedTasks(q),
    listAggregatingTasks: () => inspector.listAggregatingTasks(q, "g"),
    searchTasks: () => inspector.searchTasks(q, "pending", { type: "x" }),
    deleteTask: () => inspector.deleteTask(q, "t"),
    runTask: () => inspector.runTask(q, "t"),
    archiveTask: () => inspector.archiveTask(q, "t"),
    updateTaskPayload: () => inspector.updateTaskPayload(q, "t", "x"),
    cancelProcessing: () => inspector.cancelProcessing("t"),
    deleteAll: () => inspector.deleteAll(q, "pending"),
    runAll: () => inspector.runAll(q, "scheduled"),
    archiveAll: () => inspector.archiveAll(q, "pending"),
    deleteAllPendingTasks: () => inspector.deleteAllPendingTasks(q),
    deleteAllScheduledTasks: () => inspector.deleteAllScheduledTasks(q),
    deleteAllRetryTasks: () => inspector.deleteAllRetryTasks(q),
    deleteAllArchivedTasks: () => inspector.deleteAllArchivedTasks(q),
    deleteAllCompletedTasks: () => inspector.deleteAllCompletedTasks(q),
    deleteAllAggregatingTasks: () => inspector.deleteAllAggregatingTasks(q, "g"),
    runAllScheduledTasks: () => inspector.runAllScheduledTasks(q),
    runAllRetryTasks: () => inspector.runAllRetryTasks(q),
    runAllArchivedTasks: () => inspector.runAllArchivedTasks(q),
    runAllAggregatingTasks: () => inspector.runAllAggregatingTasks(q, "g"),
    archiveAllPendingTasks: () => inspector.archiveAllPendingTasks(q),
    archiveAllScheduledTasks: () => inspector.archiveAllScheduledTasks(q),
    archiveAllRetryTasks: () => inspector.archiveAllRetryTasks(q),
    archiveAllAggregatingTasks: () => inspector.archiveAllAggregatingTasks(q, "g"),
    servers: () => inspector.servers(),
    schedulerEntries: () => inspector.schedulerEntries(),
    schedulerEnqueueEvents: () => inspector.schedulerEnqueueEvents("entry"),
    clusterKeySlot: () => inspector.clusterKeySlot(q),
    clusterNodes: () => inspector.clusterNodes(q),
  };
}

/** Closing the inspector, which leaves the broker open. */
export function describeInspectorLifecycle(options: InspectorBehaviourOptions): void {
  const { it } = options.test;
  options.test.describe("lifecycle", () => {
    withInspector(options, (ctx) => {
      it("after close every method throws BrokerClosedError; the broker stays open", async () => {
        const { inspector, expect, place, client, broker } = ctx();
        await place("pending", { id: "t" });
        await inspector.close();
        await inspector.close();
        for (const [name, call] of Object.entries(everyInspectorCall(inspector))) {
          const error = await rejection(call);
          expect(error, name).toBeInstanceOf(BrokerClosedError);
          expect(error, name).toMatchObject({ code: "BROKER_CLOSED" });
        }
        expect((await client.enqueue(new Task("x"))).state).toBe("pending");
        expect(await broker.listQueues()).toEqual(["default"]);
      });

      it("Symbol.asyncDispose closes it", async () => {
        const { inspector, expect } = ctx();
        await inspector[Symbol.asyncDispose]();
        await expect(inspector.queues()).rejects.toBeInstanceOf(BrokerClosedError);
      });
    });
  });
}
