import type {
  AggregationCheckParams,
  AggregationSetParams,
  QueueAtTimeParams,
  TaskMessage,
} from "@asynq-ts/core";
import { copyMessage } from "./copy.js";
import { ScoredSet } from "./scored-set.js";
import type { AggregationSet, MemoryStore, QueueData } from "./store.js";

/** Names of the queue's groups with tasks waiting, sorted. */
export function groupNames(store: MemoryStore, queue: string): string[] {
  return [...(store.peek(queue)?.groups.keys() ?? [])].sort();
}

// How many of the group's oldest tasks to move now, 0 when no condition holds.
function membersToMove(params: AggregationCheckParams, group: ScoredSet): number {
  const { maxSize, maxDelay, gracePeriod, now } = params;
  const oldest = group.first();
  const newest = group.last();
  if (oldest === undefined || newest === undefined) return 0;
  if (maxSize !== 0 && group.size >= maxSize) return maxSize;
  const upToMax = maxSize === 0 ? group.size : Math.min(maxSize, group.size);
  if (maxDelay !== 0 && oldest.score <= now - maxDelay) return upToMax;
  if (newest.score <= now - gracePeriod) return upToMax;
  return 0;
}

/**
 * Moves the oldest tasks of a group into a new aggregation set when size, delay or grace
 * period says so; returns whether the set was created.
 */
export function checkAggregation(store: MemoryStore, params: AggregationCheckParams): boolean {
  const queue = store.peek(params.queue);
  const group = queue?.groups.get(params.group);
  if (queue === undefined || group === undefined || queue.aggregationSets.has(params.setId)) {
    return false;
  }
  const count = membersToMove(params, group);
  if (count === 0) return false;
  const members = new ScoredSet();
  for (const entry of group.takeFirst(count)) {
    members.insert(entry);
    const task = queue.tasks.get(entry.id);
    if (task !== undefined) task.setId = params.setId;
  }
  if (group.size === 0) queue.groups.delete(params.group);
  queue.aggregationSets.set(params.setId, {
    group: params.group,
    members,
    deadline: params.setDeadline,
  });
  return true;
}

function findSet(store: MemoryStore, params: AggregationSetParams): AggregationSet | undefined {
  const set = store.peek(params.queue)?.aggregationSets.get(params.setId);
  return set?.group === params.group ? set : undefined;
}

/** The set's member messages in join order and its deadline; empty with deadline 0 if unknown. */
export function readSet(
  store: MemoryStore,
  params: AggregationSetParams,
): { messages: TaskMessage[]; deadline: number } {
  const queue = store.peek(params.queue);
  const set = findSet(store, params);
  if (queue === undefined || set === undefined) return { messages: [], deadline: 0 };
  const messages: TaskMessage[] = [];
  for (const entry of set.members.entries()) {
    const task = queue.tasks.get(entry.id);
    if (task !== undefined) messages.push(copyMessage(task.message));
  }
  return { messages, deadline: set.deadline };
}

/** Deletes a set and its member tasks, freeing the unique locks they own. */
export function deleteSet(store: MemoryStore, params: AggregationSetParams): void {
  const queue = store.peek(params.queue);
  const set = findSet(store, params);
  if (queue === undefined || set === undefined) return;
  for (const entry of set.members.entries()) {
    const task = queue.tasks.get(entry.id);
    if (task !== undefined) queue.remove(task, true);
  }
  queue.aggregationSets.delete(params.setId);
}

function reclaim(queue: QueueData, setId: string, set: AggregationSet): void {
  for (const entry of set.members.entries()) {
    const task = queue.tasks.get(entry.id);
    if (task === undefined) continue;
    set.members.delete(entry.id);
    // Back into the group with the original join time and order; joining re-registers it.
    queue.joinGroup(task, entry);
  }
  queue.aggregationSets.delete(setId);
}

/** Returns the members of every set past its deadline to their group; returns how many sets. */
export function reclaimStaleSets(store: MemoryStore, params: QueueAtTimeParams): number {
  const queue = store.peek(params.queue);
  if (queue === undefined) return 0;
  let reclaimed = 0;
  for (const [setId, set] of [...queue.aggregationSets]) {
    if (set.deadline > params.now) continue;
    reclaim(queue, setId, set);
    reclaimed += 1;
  }
  return reclaimed;
}
