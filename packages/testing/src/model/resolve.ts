import type { GroupSpec, Operation, TargetSpec, TaskRefSpec } from "./operations.js";
import type { Observation } from "./snapshot.js";

/** Tasks and groups the brokers agreed on after the previous step, in a fixed order. */
export interface Candidates {
  readonly active: readonly TaskRefSpec[];
  readonly stored: readonly TaskRefSpec[];
  readonly groups: readonly { readonly queue: string; readonly group: string }[];
}

/** Nothing exists before the first step. */
export const NO_CANDIDATES: Candidates = { active: [], stored: [], groups: [] };

/** The candidates an observation offers to picking operations. */
export function candidatesOf(observation: Observation): Candidates {
  const active: TaskRefSpec[] = [];
  const stored: TaskRefSpec[] = [];
  const groups: { queue: string; group: string }[] = [];
  for (const { queue, lists, tasks, groups: names } of observation.perQueue) {
    const activeList = lists.active;
    if (Array.isArray(activeList)) {
      for (const record of activeList) active.push({ queue, id: record.message.id });
    }
    for (const [id, record] of Object.entries(tasks)) {
      if (typeof record === "object") stored.push({ queue, id });
    }
    for (const group of names) groups.push({ queue, group });
  }
  return { active, stored, groups };
}

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length === 0 ? undefined : items[index % items.length];
}

function task(target: TargetSpec, among: readonly TaskRefSpec[]): TaskRefSpec | undefined {
  return "pick" in target ? pick(among, target.pick) : target;
}

function group(spec: GroupSpec, candidates: Candidates) {
  return "pick" in spec ? pick(candidates.groups, spec.pick) : spec;
}

/**
 * The operation with every pick replaced by the task or group it selects, or undefined when
 * there is nothing to pick from (the step is then skipped on every broker alike).
 */
export function resolveOperation(
  operation: Operation,
  candidates: Candidates,
): Operation | undefined {
  switch (operation.op) {
    case "done":
    case "markComplete":
    case "requeue":
    case "retry":
    case "archive":
    case "writeResult": {
      const target = task(operation.target, candidates.active);
      return target === undefined ? undefined : { ...operation, target };
    }
    case "runTask":
    case "archiveTask":
    case "deleteTask":
    case "updatePayload": {
      const target = task(operation.target, candidates.stored);
      return target === undefined ? undefined : { ...operation, target };
    }
    case "aggregationCheck": {
      const named = group(operation.group, candidates);
      return named === undefined ? undefined : { ...operation, group: named };
    }
    default:
      return operation;
  }
}

/** The named task of a resolved operation's target. */
export function named(target: TargetSpec): TaskRefSpec {
  if ("pick" in target) throw new Error("operation used before its target was resolved");
  return target;
}

/** The named group of a resolved aggregation check. */
export function namedGroup(spec: GroupSpec): { readonly queue: string; readonly group: string } {
  if ("pick" in spec) throw new Error("operation used before its group was resolved");
  return spec;
}
