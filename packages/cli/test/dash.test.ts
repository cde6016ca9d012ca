import type { QueueInfo, TaskInfo } from "@asynq-ts/core";
import { type Key, renderToString } from "ink";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { keyCommand, NO_KEY, splitPresses } from "../src/dash/keys.js";
import {
  currentView,
  type NavAction,
  type Navigation,
  navigate,
  START,
} from "../src/dash/navigation.js";
import { describeFailure } from "../src/dash/use-poll.js";
import { QueueScreen, QueuesScreen } from "../src/dash/views.js";

const walk = (actions: [NavAction, string[]][], from: Navigation = START) =>
  actions.reduce((nav, [action, rows]) => navigate(nav, action, rows), from);

describe("dashboard navigation", () => {
  it("drills from queues to a queue's state tab to a task, and back", () => {
    const queues = ["critical", "default"];
    const nav = walk([
      ["down", queues],
      ["down", queues], // stays on the last row
      ["open", queues],
      ["right", []],
      ["down", ["p1", "p2"]],
      ["open", ["p1", "p2"]],
    ]);
    expect(nav.stack.map((v) => v.kind)).toEqual(["queues", "queue", "task"]);
    expect(currentView(nav)).toEqual({ kind: "task", queue: "default", taskId: "p2" });
    const back = walk([["back", []]], nav);
    expect(currentView(back)).toMatchObject({ kind: "queue", queue: "default", tab: 1, cursor: 1 });
    expect(
      walk(
        [
          ["back", []],
          ["back", []],
          ["back", []],
        ],
        nav,
      ),
    ).toEqual({ ...START, stack: [{ kind: "queues", cursor: 1 }] });
  });

  it("lists groups on the aggregating tab, opens a group, and pages tasks", () => {
    const onAggregating = walk([
      ["open", ["q"]],
      ["right", []],
      ["right", []],
    ]);
    expect(currentView(onAggregating)).toMatchObject({ tab: 2, group: null });
    const inGroup = walk(
      [
        ["open", ["digest"]],
        ["nextPage", []],
        ["nextPage", []],
        ["prevPage", []],
      ],
      onAggregating,
    );
    expect(currentView(inGroup)).toMatchObject({ group: "digest", page: 2 });
    expect(currentView(walk([["back", []]], inGroup))).toMatchObject({ group: null, page: 1 });
    expect(currentView(walk([["left", []]], inGroup))).toMatchObject({
      tab: 1,
      group: null,
      page: 1,
    });
  });

  it("maps keys to moves; q goes back, and quits only on the queues table", () => {
    const key = (overrides: Partial<Key> = {}): Key => ({ ...NO_KEY, ...overrides });
    expect(keyCommand("j", key(), START)).toBe("down");
    expect(keyCommand("", key({ upArrow: true }), START)).toBe("up");
    expect(keyCommand("", key({ return: true }), START)).toBe("open");
    expect(keyCommand("", key({ tab: true }), START)).toBe("right");
    expect(keyCommand("l", key({ ctrl: true }), START)).toBe("refresh");
    expect(keyCommand("q", key(), START)).toBe("quit");
    const deeper = navigate(START, "open", ["q1"]);
    expect(keyCommand("q", key(), deeper)).toBe("back");
    expect(keyCommand("q", key(), { ...START, help: true })).toBe("back");
    expect(splitPresses("j\r", key()).map((p) => [p.input, p.key.return])).toEqual([
      ["j", false],
      ["", true],
    ]);
  });
});

const queueInfo = (queue: string, overrides: Partial<QueueInfo> = {}): QueueInfo => ({
  queue,
  size: 3,
  pending: 2,
  active: 1,
  scheduled: 0,
  retry: 0,
  archived: 0,
  completed: 0,
  aggregating: 0,
  groups: 0,
  processed: 4,
  failed: 1,
  processedTotal: 4,
  failedTotal: 1,
  paused: false,
  latency: 1_500,
  memoryUsageBytes: 2048,
  timestamp: new Date(0),
  ...overrides,
});

describe("dashboard status line", () => {
  it("says the connection was lost instead of ioredis's retry wording", () => {
    const lost = new Error(
      'Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.',
    );
    expect(describeFailure(lost)).toBe("lost the connection to Redis; reconnecting…");
    expect(describeFailure(new Error('queue "q" not found\nmore'))).toBe('queue "q" not found');
  });
});

describe("dashboard screens", () => {
  it("shows the queues table with the selected row marked", () => {
    const screen = renderToString(
      createElement(QueuesScreen, {
        queues: [queueInfo("critical"), queueInfo("low", { paused: true })],
        cursor: 1,
        width: 100,
      }),
      { columns: 100 },
    );
    const rows = screen.split("\n").map((l) => l.trimEnd());
    expect(rows[1]).toMatch(
      /^ {2}Queue\s+State\s+Size\s+Latency\s+Memory\s+Processed\s+Failed\s+Error Rate$/,
    );
    expect(rows[2]).toMatch(/^ {2}critical\s+run\s+3\s+1\.5s\s+2\.0 KB\s+4\s+1\s+25\.00%$/);
    expect(rows[3]).toMatch(/^> low\s+paused/);
  });

  it("shows a queue's tabs with counts and the open tab's tasks", () => {
    const task: TaskInfo = {
      id: "t1",
      queue: "critical",
      type: "email",
      payload: new TextEncoder().encode("hi"),
      headers: {},
      state: "pending",
      maxRetry: 25,
      retried: 0,
      lastError: "",
      lastFailedAt: null,
      timeout: 0,
      deadline: null,
      group: "",
      nextProcessAt: new Date(0),
      isOrphaned: false,
      retention: 0,
      completedAt: null,
      result: null,
    };
    const screen = renderToString(
      createElement(QueueScreen, {
        view: { kind: "queue", queue: "critical", tab: 1, cursor: 0, page: 1, group: null },
        info: queueInfo("critical"),
        content: { kind: "tasks", tasks: [task] },
        width: 120,
        now: 0,
      }),
      { columns: 120 },
    );
    expect(screen).toContain(" active (1) [pending (2)] aggregating (0) ");
    expect(screen).toMatch(/> t1\s+email\s+hi\s+0\/25/);
    expect(screen).toContain("page 1");
  });
});
