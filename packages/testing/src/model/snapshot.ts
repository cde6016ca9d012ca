import type { Broker, ListTasksParams, TaskState } from "@asynq-ts/core";
import { recordView, statsView } from "./normalize.js";
import type { Universe } from "./operations.js";

const LISTED_STATES = ["pending", "active", "scheduled", "retry", "archived", "completed"] as const;
const PAGE = 1_000;

/**
 * Everything observable about the universe's queues through the port, in comparable form:
 * registered queues; per queue its stats (without memory usage), groups with sizes, every
 * container's listing (each group's too) and every pool ID looked up by `getTask`.
 */
export async function observe(broker: Broker, universe: Universe, now: number) {
  const queues = await Promise.all(
    universe.queues.map(async (queue) => {
      const list = (params: { state: TaskState; group?: string }) =>
        broker
          .listTasks({ queue, now, offset: 0, limit: PAGE, ...params } as ListTasksParams)
          .then((r) => (r.ok ? r.tasks.map(recordView) : r.reason));
      const [stats, groups, groupSizes, lists, aggregating, tasks] = await Promise.all([
        broker.queueStats({ queue, now }).then((r) => (r.ok ? statsView(r.stats) : r.reason)),
        broker.listGroups({ queue }),
        broker.groupStats({ queue }).then((r) => (r.ok ? r.groups : r.reason)),
        Promise.all(LISTED_STATES.map((state) => list({ state }))),
        Promise.all(universe.groups.map((group) => list({ state: "aggregating", group }))),
        Promise.all(
          universe.ids.map((taskId) =>
            broker
              .getTask({ queue, taskId, now })
              .then((r) => (r.ok ? recordView(r.task) : r.reason)),
          ),
        ),
      ]);
      return {
        queue,
        stats,
        groups: [...groups],
        groupSizes,
        lists: Object.fromEntries(LISTED_STATES.map((state, i) => [state, lists[i]])),
        aggregating: Object.fromEntries(universe.groups.map((group, i) => [group, aggregating[i]])),
        tasks: Object.fromEntries(universe.ids.map((id, i) => [id, tasks[i]])),
      };
    }),
  );
  return { queues: [...(await broker.listQueues())], perQueue: queues };
}

/** What `observe` returns. */
export type Observation = Awaited<ReturnType<typeof observe>>;
