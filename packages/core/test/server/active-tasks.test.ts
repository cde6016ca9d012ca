import { describe, expect, it } from "vitest";
import { type ActiveTask, ActiveTasks } from "../../src/server/active-tasks.js";
import { Lease } from "../../src/server/lease.js";
import type { TaskMessage } from "../../src/task/task-message.js";
import { systemClock } from "../../src/time/clock.js";

function message(queue: string, id: string): TaskMessage {
  return {
    id,
    type: "t",
    payload: new Uint8Array(),
    headers: {},
    queue,
    maxRetry: 25,
    retried: 0,
    lastError: "",
    lastFailedAt: 0,
    timeout: 1_000,
    deadline: 0,
    retention: 0,
    completedAt: 0,
    group: "",
    uniqueKey: "",
  };
}

function active(queue: string, id: string): ActiveTask {
  return {
    message: message(queue, id),
    startedAt: 0,
    deadline: 1_000,
    lease: new Lease(30_000, systemClock),
    abort: () => {},
  };
}

describe("ActiveTasks", () => {
  it("lists, finds by ID across queues, and counts what was added", () => {
    const tasks = new ActiveTasks();
    const a = active("q1", "x");
    const b = active("q2", "x");
    const c = active("q1", "y");
    for (const task of [a, b, c]) tasks.add(task);
    expect(tasks.size).toBe(3);
    expect(new Set(tasks.list())).toEqual(new Set([a, b, c]));
    expect(new Set(tasks.withId("x"))).toEqual(new Set([a, b]));
    expect(tasks.withId("z")).toEqual([]);
  });

  it("forgets a deleted task and keeps the others", () => {
    const tasks = new ActiveTasks();
    const a = active("q1", "x");
    const b = active("q1", "y");
    tasks.add(a);
    tasks.add(b);
    tasks.delete(a);
    expect(tasks.size).toBe(1);
    expect(tasks.list()).toEqual([b]);
    expect(tasks.withId("x")).toEqual([]);
  });

  it("keeps the newer entry of a task added twice when the older one is deleted", () => {
    const tasks = new ActiveTasks();
    const older = active("q1", "x");
    const newer = active("q1", "x");
    tasks.add(older);
    tasks.add(newer);
    expect(tasks.size).toBe(1);
    tasks.delete(older);
    expect(tasks.list()).toEqual([newer]);
    tasks.delete(newer);
    expect(tasks.size).toBe(0);
    expect(tasks.list()).toEqual([]);
  });
});
