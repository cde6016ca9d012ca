import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CliResult, lines, runInProcess } from "./support/cli.js";
import { SEEDED, seed } from "./support/seed.js";

// Commands that change tasks, through `run(argv, io)` against a real, freshly seeded Redis.

let server: RedisServerHandle;
let redis: Redis;
const asynq = (...args: string[]) => runInProcess(["--uri", server.url, ...args]);
const json = async (...args: string[]) => {
  const result = await asynq("--json", ...args);
  expect([result.code, result.stderr]).toEqual([0, ""]);
  return JSON.parse(result.stdout);
};
const stateOf = async (queue: string, id: string) =>
  (await json("task", "inspect", "-q", queue, "-i", id)).state;
const ok = (result: CliResult, stdout: string) =>
  expect(result).toEqual({ code: 0, stdout, stderr: "" });

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});
beforeEach(async () => {
  await redis.flushall();
  await seed(server.url);
});

describe("single-task commands", () => {
  it("cancel publishes each ID on asynq:cancel", async () => {
    const subscriber = new Redis(server.url);
    const received: string[] = [];
    await subscriber.subscribe("asynq:cancel");
    subscriber.on("message", (_channel, id: string) => received.push(id));
    try {
      ok(
        await asynq("task", "cancel", SEEDED.active, "other"),
        "Sent cancel signal for task a1\nSent cancel signal for task other\n",
      );
      await redis.publish("asynq:cancel", "marker"); // delivered after the CLI's messages
      await expect.poll(() => received).toContain("marker");
      expect(received).toEqual([SEEDED.active, "other", "marker"]);
    } finally {
      subscriber.disconnect();
    }
  });

  it("archive, run and delete move tasks, several IDs at once", async () => {
    ok(
      await asynq("task", "archive", "-q", "default", "-i", "p1"),
      "Archived task p1 in queue default\n",
    );
    expect(await stateOf("default", "p1")).toBe("archived");
    ok(
      await asynq("task", "run", "--queue", "critical", "--id", SEEDED.retry),
      "Moved to pending: task r1 in queue critical\n",
    );
    expect(await stateOf("critical", SEEDED.retry)).toBe("pending");
    ok(
      await asynq("task", "rm", "-q", "default", "-i", "p2", "p3"),
      "Deleted task p2 in queue default\nDeleted task p3 in queue default\n",
    );
    const left = await json("task", "ls", "-q", "default", "-s", "pending");
    expect(left).toEqual([]);
  });

  it("reports refusals one line each, with the CLI's remedy, and exit 1", async () => {
    const active = await asynq("task", "delete", "-q", "critical", "-i", SEEDED.active);
    expect(active.code).toBe(1);
    expect(active.stderr).toBe(
      'error: cannot delete task "a1" in queue "critical": it is active; stop it with `asynq task cancel <id>`\n',
    );
    const mixed = await asynq("task", "run", "-q", "critical", "-i", SEEDED.archived, "zz");
    expect(mixed).toEqual({
      code: 1,
      stdout: "Moved to pending: task x1 in queue critical\n",
      stderr: 'error: task "zz" not found in queue "critical"\n',
    });
    // x1 is pending again: archiving it works once, then it is already archived.
    expect((await asynq("task", "archive", "-q", "critical", "-i", SEEDED.archived)).code).toBe(0);
    const again = await asynq("--json", "task", "archive", "-q", "critical", "-i", SEEDED.archived);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual([
      {
        id: "x1",
        ok: false,
        error: {
          code: "FAILED_PRECONDITION",
          message: 'cannot archive task "x1" in queue "critical": it is already archived',
        },
      },
    ]);
  });

  it("draws a progress bar on a terminal's stderr only", async () => {
    const onTerminal = await runInProcess(
      ["--uri", server.url, "task", "delete", "-q", "default", "-i", "p1", "p2", "p3"],
      { stderrTTY: true },
    );
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.stderr).toMatch(/deleting \[[^\]]+\] 3\/3/);
    expect(lines(onTerminal.stdout)).toHaveLength(3);
    await redis.flushall();
    await seed(server.url);
    const piped = await asynq("task", "delete", "-q", "default", "-i", "p1", "p2", "p3");
    expect(piped.stderr).toBe("");
  });
});

describe("task enqueue", () => {
  it("enqueues with only the options given", async () => {
    const info = await json(
      "task",
      "enqueue",
      "-t",
      "email:send",
      "-l",
      '{"to":"x"}',
      "--queue",
      "mail",
      "--id",
      "e1",
      "--retry",
      "3",
      "--timeout",
      "45s",
      "--retention",
      "1h",
      "--header",
      "trace=abc",
      "--header",
      "tenant=t1",
    );
    expect(info).toMatchObject({
      id: "e1",
      queue: "mail",
      type: "email:send",
      state: "pending",
      payload: '{"to":"x"}',
      maxRetry: 3,
      timeout: 45_000,
      retention: 3_600_000,
      headers: { trace: "abc", tenant: "t1" },
    });
    expect(await stateOf("mail", "e1")).toBe("pending");
  });

  it("schedules with --process-in / --process-at, groups with --group, accepts Go's snake_case flags", async () => {
    const later = await asynq(
      "task",
      "enqueue",
      "--type_name",
      "t",
      "--process_in",
      "10m",
      "--id",
      "e2",
    );
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(
      /^Enqueued task e2 to queue default \(scheduled to run at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\)\n$/,
    );
    const at = await json(
      "task",
      "enqueue",
      "-t",
      "t",
      "--process-at",
      "2099-01-02T03:04:05Z",
      "--deadline",
      "2099-02-01T00:00:00Z",
    );
    expect(at).toMatchObject({
      state: "scheduled",
      nextProcessAt: "2099-01-02T03:04:05.000Z",
      deadline: "2099-02-01T00:00:00.000Z",
    });
    expect(await json("task", "enqueue", "-t", "t", "--group", "batch")).toMatchObject({
      state: "aggregating",
      group: "batch",
    });
  });

  it("refuses bad values (exit 2) and duplicates (exit 1)", async () => {
    const bad = async (...args: string[]) => {
      const result = await asynq("task", "enqueue", "-t", "t", ...args);
      expect(result.code).toBe(2);
      expect(lines(result.stderr)).toHaveLength(1);
      return result.stderr;
    };
    expect(await bad("--timeout", "soon")).toMatch(
      /--timeout <duration>' argument 'soon' is invalid/,
    );
    expect(await bad("--timeout", "500ms")).toBe(
      "error: timeout: must be 0 or at least 1000 ms, got 500\n",
    );
    expect(await bad("--process-at", "tomorrow")).toMatch(/RFC 3339/);
    expect(await bad("--retry", "-1")).toMatch(/at least 0/);
    expect(await bad("--header", "novalue")).toMatch(/key=value/);
    expect((await asynq("task", "enqueue")).code).toBe(2);
    ok(
      await asynq("task", "enqueue", "-t", "t", "-l", "same", "--unique", "1h", "--id", "u1"),
      "Enqueued task u1 to queue default (pending)\n",
    );
    const dup = await asynq("task", "enqueue", "-t", "t", "-l", "same", "--unique", "1h");
    expect(dup).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: a unique "t" task with this payload already exists in queue "default"\n',
    });
  });
});

describe("bulk commands", () => {
  it("archiveall, deleteall and runall report how many tasks they moved", async () => {
    ok(
      await asynq("task", "archiveall", "-q", "default", "-s", "pending"),
      "3 pending tasks archived in queue default\n",
    );
    expect(await json("task", "deleteall", "-q", "default", "-s", "archived")).toEqual({
      queue: "default",
      state: "archived",
      count: 3,
    });
    ok(
      await asynq("task", "runall", "-q", "critical", "-s", "aggregating", "-g", SEEDED.group),
      "2 aggregating tasks of group digest moved to pending in queue critical\n",
    );
    ok(
      await asynq("task", "runall", "-q", "critical", "-s", "retry"),
      "1 retry task moved to pending in queue critical\n",
    );
    ok(
      await asynq("task", "deleteall", "-q", "critical", "-s", "completed"),
      "1 completed task deleted in queue critical\n",
    );
    const info = await json("queue", "inspect", "critical", "default");
    expect(info.map((q: { pending: number; archived: number }) => [q.pending, q.archived])).toEqual(
      [
        [3, 1],
        [0, 0],
      ],
    );
  });

  it("refuses states an operation does not take (exit 2) and unknown queues (exit 1)", async () => {
    const runPending = await asynq("task", "runall", "-q", "default", "-s", "pending");
    expect(runPending.code).toBe(2);
    expect(runPending.stderr).toMatch(
      /Allowed choices are scheduled, retry, archived, aggregating/,
    );
    expect((await asynq("task", "archiveall", "-q", "default", "-s", "aggregating")).code).toBe(2);
    const unknown = await asynq("task", "deleteall", "-q", "nope", "-s", "pending");
    expect(unknown).toEqual({ code: 1, stdout: "", stderr: 'error: queue "nope" not found\n' });
  });

  it("shows a progress bar for a bulk operation on a terminal", async () => {
    const result = await runInProcess(
      ["--uri", server.url, "task", "archiveall", "-q", "default", "-s", "pending"],
      { stderrTTY: true },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/archiving \[[^\]]+\] 3\/3/);
  });
});
