import {
  type Absent,
  canTransition,
  isTaskState,
  TASK_STATES,
  type TaskState,
  TRANSITIONS,
  type Trigger,
  verdictForArchive,
  verdictForDelete,
  verdictForRun,
} from "@asynq-ts/core";
import { describe, expect, it } from "vitest";

type Edge = [from: TaskState | Absent, to: TaskState | Absent, trigger: Trigger];

// Reference §2.1, with the scheduled+group defect fixed (a scheduled grouped task forwards into its group).
const REFERENCE_EDGES: Edge[] = [
  ["none", "pending", "enqueue"],
  ["none", "scheduled", "enqueue"],
  ["none", "aggregating", "enqueue"],
  ["scheduled", "pending", "forward"],
  ["scheduled", "aggregating", "forward"],
  ["retry", "pending", "forward"],
  ["retry", "aggregating", "forward"],
  ["pending", "active", "dequeue"],
  ["active", "none", "succeed"],
  ["active", "completed", "succeed"],
  ["active", "retry", "fail"],
  ["active", "archived", "fail"],
  ["active", "pending", "requeue"],
  ["active", "retry", "recover"],
  ["active", "archived", "recover"],
  ["completed", "none", "expire"],
  ["archived", "none", "expire"],
  ["aggregating", "aggregating", "aggregate"],
  ["aggregating", "none", "aggregate"],
  ["aggregating", "aggregating", "reclaim"],
  ["scheduled", "pending", "inspector"],
  ["retry", "pending", "inspector"],
  ["archived", "pending", "inspector"],
  ["aggregating", "pending", "inspector"],
  ["completed", "pending", "inspector"],
  ["pending", "archived", "inspector"],
  ["scheduled", "archived", "inspector"],
  ["retry", "archived", "inspector"],
  ["aggregating", "archived", "inspector"],
  ["completed", "archived", "inspector"],
  ["pending", "none", "inspector"],
  ["scheduled", "none", "inspector"],
  ["retry", "none", "inspector"],
  ["archived", "none", "inspector"],
  ["completed", "none", "inspector"],
  ["aggregating", "none", "inspector"],
];

const key = ([from, to, trigger]: Edge) => `${from}->${to}:${trigger}`;

describe("TRANSITIONS", () => {
  it.each(REFERENCE_EDGES)("has the edge %s → %s (%s)", (from, to, trigger) => {
    expect(canTransition(from, to, trigger)).toBe(true);
    expect(canTransition(from, to)).toBe(true);
  });

  it("holds exactly the reference edges, each once", () => {
    const actual = TRANSITIONS.map((t) => key([t.from, t.to, t.trigger]));
    expect(new Set(actual).size).toBe(actual.length);
    expect([...actual].sort()).toStrictEqual(REFERENCE_EDGES.map(key).sort());
  });

  it.each<[TaskState | Absent, TaskState | Absent]>([
    ["pending", "completed"],
    ["pending", "retry"],
    ["pending", "scheduled"],
    ["archived", "active"],
    ["active", "aggregating"],
    ["active", "scheduled"],
    ["none", "active"],
    ["none", "completed"],
    ["none", "archived"],
    ["completed", "active"],
    ["scheduled", "active"],
    ["retry", "retry"],
    ["archived", "retry"],
  ])("has no edge %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it("never moves an active task by the inspector", () => {
    for (const to of [...TASK_STATES, "none" as const]) {
      expect(canTransition("active", to, "inspector")).toBe(false);
    }
  });

  it("checks the trigger when one is given", () => {
    expect(canTransition("active", "retry", "dequeue")).toBe(false);
    expect(canTransition("pending", "active", "inspector")).toBe(false);
    expect(canTransition("aggregating", "none", "expire")).toBe(false);
    expect(canTransition("archived", "none", "expire")).toBe(true);
  });
});

describe("inspector verdicts", () => {
  const verdicts: [TaskState, string, string, string][] = [
    ["pending", "already-pending", "ok", "ok"],
    ["active", "active", "active", "active"],
    ["scheduled", "ok", "ok", "ok"],
    ["retry", "ok", "ok", "ok"],
    ["archived", "ok", "already-archived", "ok"],
    ["completed", "ok", "ok", "ok"],
    ["aggregating", "ok", "ok", "ok"],
  ];

  it("covers every state", () => {
    expect(verdicts.map(([state]) => state).sort()).toStrictEqual([...TASK_STATES].sort());
  });

  it.each(verdicts)("%s: run → %s, archive → %s, delete → %s", (state, run, archive, del) => {
    expect(verdictForRun(state)).toBe(run);
    expect(verdictForArchive(state)).toBe(archive);
    expect(verdictForDelete(state)).toBe(del);
  });

  it.each([...TASK_STATES])("agrees with the inspector edges for %s", (state) => {
    expect(verdictForRun(state) === "ok").toBe(canTransition(state, "pending", "inspector"));
    expect(verdictForArchive(state) === "ok").toBe(canTransition(state, "archived", "inspector"));
    expect(verdictForDelete(state) === "ok").toBe(canTransition(state, "none", "inspector"));
  });
});

describe("task states", () => {
  it("are Go asynq's seven state strings", () => {
    expect([...TASK_STATES]).toStrictEqual([
      "pending",
      "active",
      "scheduled",
      "retry",
      "archived",
      "completed",
      "aggregating",
    ]);
  });

  it("isTaskState accepts exactly those strings", () => {
    for (const state of TASK_STATES) expect(isTaskState(state)).toBe(true);
    for (const other of ["none", "deleted", "Pending", ""]) expect(isTaskState(other)).toBe(false);
  });
});
