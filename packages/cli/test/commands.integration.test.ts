import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CliResult, lines, runInProcess } from "./support/cli.js";
import { SEEDED, seed } from "./support/seed.js";

// Every command through the in-process entry `run(argv, io)`, against a real Redis seeded
// with a known data set (see support/seed.ts). bin.integration.test.ts runs the executable.

let server: RedisServerHandle;
let redis: Redis;
const asynq = (...args: string[]) => runInProcess(["--uri", server.url, ...args]);
const json = async (...args: string[]) => {
  const result = await asynq("--json", ...args);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
};
const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);
const failedWith = (result: CliResult, code: number, line: string | RegExp) => {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe("");
  expect(lines(result.stderr)).toHaveLength(1);
  if (typeof line === "string") expect(result.stderr).toBe(`error: ${line}\n`);
  else expect(result.stderr).toMatch(line);
};

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

describe("stats", () => {
  it("prints counts by state and queue, today's figures and Redis info", async () => {
    const { code, stdout, stderr } = await asynq("stats");
    expect([code, stderr]).toEqual([0, ""]);
    const out = lines(stdout);
    const byState = out.indexOf("Task Count by State");
    expect(out[byState + 1]?.split(/\s+/)).toEqual([
      "active",
      "pending",
      "aggregating",
      "scheduled",
      "retry",
      "archived",
      "completed",
    ]);
    expect(out[byState + 3]?.split(/\s+/)).toEqual(["1", "4", "2", "1", "1", "1", "1"]);
    const byQueue = out.indexOf("Task Count by Queue");
    expect(out[byQueue + 1]?.split(/\s+/)).toEqual(["critical", "default", "low"]);
    expect(out[byQueue + 3]?.split(/\s+/)).toEqual(["6", "4", "1"]);
    expect(stdout).toMatch(
      /Daily Stats \d{4}-\d{2}-\d{2} UTC\nprocessed\s+failed\s+error rate\n[- ]+\n3\s+2\s+66\.67%/,
    );
    expect(stdout).toMatch(/Redis Info\nversion .*\n[- ]+\n\d+\.\d+\.\d+\s+\d+ days/);
  });

  it("--json gives the same figures as data", async () => {
    const stats = await json("stats");
    expect(stats.states).toEqual({
      pending: 4,
      active: 1,
      scheduled: 1,
      retry: 1,
      archived: 1,
      completed: 1,
      aggregating: 2,
    });
    expect(stats.queues.map((q: { queue: string; size: number }) => [q.queue, q.size])).toEqual([
      ["critical", 6],
      ["default", 4],
      ["low", 1],
    ]);
    expect(stats.today).toMatchObject({ processed: 3, failed: 2 });
    expect(stats.redis).toMatchObject({
      mode: "standalone",
      redis_version: expect.stringMatching(/^\d+\./),
    });
  });
});

describe("queue", () => {
  it("ls lists the queues", async () => {
    expect(await asynq("queue", "ls")).toEqual({
      code: 0,
      stdout: "Queue\n-----\ncritical\ndefault\nlow\n",
      stderr: "",
    });
    expect(await json("queue", "list")).toEqual([
      { queue: "critical" },
      { queue: "default" },
      { queue: "low" },
    ]);
  });

  it("inspect shows a queue's figures; an unknown queue is one line and exit 1", async () => {
    const { code, stdout } = await asynq("queue", "inspect", "critical");
    expect(code).toBe(0);
    for (const field of [/Name:\s+critical/, /Size:\s+6/, /Groups:\s+1/, /Paused:\s+no/])
      expect(stdout).toMatch(field);
    expect(stdout).toMatch(
      /active\s+pending\s+aggregating\s+scheduled\s+retry\s+archived\s+completed\n[- ]+\n1\s+0\s+2\s+0\s+1\s+1\s+1/,
    );
    const [info] = await json("queue", "inspect", "critical");
    expect(info).toMatchObject({
      queue: "critical",
      size: 6,
      active: 1,
      retry: 1,
      aggregating: 2,
      groups: 1,
      paused: false,
    });
    failedWith(await asynq("queue", "inspect", "nope"), 1, 'queue "nope" not found');
  });

  it("history shows one row per day, today first", async () => {
    const { code, stdout } = await asynq("queue", "history", "critical", "--days", "3");
    expect(code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(lines(stdout).slice(0, 4)).toEqual([
      "Queue: critical",
      "date (UTC)  processed  failed  error rate",
      "----------  ---------  ------  ----------",
      `${today}  3          2       66.67%`,
    ]);
    expect(lines(stdout)).toHaveLength(6);
    const [history] = await json("queue", "history", "critical", "-x", "2");
    expect(history.days.map((d: { date: string }) => d.date)[0]).toBe(today);
    expect(history.days).toHaveLength(2);
    expect((await asynq("queue", "history", "critical", "-x", "0")).code).toBe(2);
  });

  it("pause and resume, refusing a second pause, a needless resume and unknown queues", async () => {
    expect(await asynq("queue", "pause", "low")).toEqual({
      code: 0,
      stdout: "Paused queue low\n",
      stderr: "",
    });
    expect((await json("queue", "inspect", "low"))[0].paused).toBe(true);
    failedWith(await asynq("queue", "pause", "low"), 1, 'queue "low" is already paused');
    expect(await asynq("queue", "resume", "low")).toEqual({
      code: 0,
      stdout: "Resumed queue low\n",
      stderr: "",
    });
    failedWith(await asynq("queue", "unpause", "low"), 1, 'queue "low" is not paused');
    failedWith(await asynq("queue", "pause", "nope"), 1, 'queue "nope" not found');
  });

  it("rm refuses a queue with tasks unless --force, and reports each queue", async () => {
    failedWith(
      await asynq("queue", "rm", "low"),
      1,
      /^error: queue "low" is not empty: .*pass --force\n$/,
    );
    const result = await asynq("--json", "queue", "remove", "low", "nope", "--force");
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      { queue: "low", ok: true },
      {
        queue: "nope",
        ok: false,
        error: { code: "QUEUE_NOT_FOUND", message: 'queue "nope" not found' },
      },
    ]);
    expect(await json("queue", "ls")).toEqual([{ queue: "critical" }, { queue: "default" }]);
  });
});

describe("task ls and inspect", () => {
  it("lists each state with its own columns", async () => {
    const list = (queue: string, state: string, ...more: string[]) =>
      json("task", "ls", "-q", queue, "-s", state, ...more);
    expect(ids(await list("critical", "active"))).toEqual([SEEDED.active]);
    expect(ids(await list("default", "pending"))).toEqual([...SEEDED.pending]);
    expect(ids(await list("default", "scheduled"))).toEqual([SEEDED.scheduled]);
    expect(ids(await list("critical", "retry"))).toEqual([SEEDED.retry]);
    expect(ids(await list("critical", "archived"))).toEqual([SEEDED.archived]);
    expect(ids(await list("critical", "completed"))).toEqual([SEEDED.completed]);
    expect(ids(await list("critical", "aggregating", "-g", SEEDED.group))).toEqual([
      ...SEEDED.aggregating,
    ]);
    expect(ids(await list("default", "pending", "--page", "2", "--size", "2"))).toEqual(["p3"]);

    const retry = await asynq("task", "ls", "--queue", "critical", "--state", "retry");
    expect(lines(retry.stdout)[0]?.split(/\s{2,}/)).toEqual([
      "ID",
      "Type",
      "Payload",
      "Next Retry",
      "Last Error",
      "Last Failed",
      "Retried",
      "Max Retry",
    ]);
    expect(lines(retry.stdout)[2]).toMatch(
      /^r1\s+report:build\s+report r1\s+in (?:9m 5\ds|10m)\s+smtp timeout\s+\S+ ago\s+1\s+25$/,
    );
    const pending = await asynq("task", "ls", "-q", "default", "-s", "pending");
    expect(lines(pending.stdout).slice(2)).toEqual([
      'p1  email:send  {"to":"p1@example.com"}  0/25',
      'p2  email:send  {"to":"p2@example.com"}  0/25',
      'p3  email:send  {"to":"p3@example.com"}  0/25',
    ]);
    expect((await asynq("task", "ls", "-q", "low", "-s", "retry")).stdout).toBe(
      "no retry tasks in queue low (page 1)\n",
    );
  });

  it("refuses missing or wrong flags with exit 2, unknown queues with exit 1", async () => {
    failedWith(
      await asynq("task", "ls", "-q", "critical", "-s", "aggregating"),
      2,
      "--group is required with --state aggregating",
    );
    failedWith(
      await asynq("task", "ls", "-q", "critical", "-s", "pending", "-g", "x"),
      2,
      "--group applies only to --state aggregating",
    );
    failedWith(
      await asynq("task", "ls", "-q", "critical"),
      2,
      "required option '-s, --state <state>' not specified",
    );
    failedWith(
      await asynq("task", "ls", "-q", "critical", "-s", "bogus"),
      2,
      /^error: option '-s, --state <state>' argument 'bogus' is invalid/,
    );
    failedWith(
      await asynq("task", "ls", "-q", "critical", "-s", "pending", "--page", "0"),
      2,
      /--page <n>' argument '0' is invalid/,
    );
    failedWith(
      await asynq("task", "ls", "-q", "nope", "-s", "pending"),
      1,
      'queue "nope" not found',
    );
  });

  it("inspect shows every field; a missing task is one line and exit 1", async () => {
    const { code, stdout } = await asynq("task", "inspect", "-q", "critical", "-i", SEEDED.retry);
    expect(code).toBe(0);
    for (const field of [
      /ID:\s+r1/,
      /Queue:\s+critical/,
      /State:\s+retry/,
      /Payload:\s+report r1/,
      /Retried:\s+1\/25/,
      /Last error:\s+smtp timeout/,
      /Timeout:\s+30m/,
    ]) {
      expect(stdout).toMatch(field);
    }
    const completed = await json("task", "inspect", "-q", "critical", "-i", SEEDED.completed);
    expect(completed).toMatchObject({
      id: "c1",
      state: "completed",
      result: "ok",
      resultEncoding: "utf8",
      retention: 3_600_000,
    });
    expect(completed.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    failedWith(
      await asynq("task", "inspect", "-q", "critical", "-i", "zz"),
      1,
      'task "zz" not found in queue "critical"',
    );
    const asJson = await asynq("--json", "task", "inspect", "-q", "critical", "-i", "zz");
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stderr)).toEqual({
      error: { code: "TASK_NOT_FOUND", message: 'task "zz" not found in queue "critical"' },
    });
  });
});

describe("group, cron and server", () => {
  it("group ls lists a queue's groups", async () => {
    expect(await asynq("group", "ls", "-q", "critical")).toEqual({
      code: 0,
      stdout: "Group   Size\n-----   ----\ndigest  2\n",
      stderr: "",
    });
    expect(await json("group", "list", "--queue", "critical")).toEqual([
      { group: "digest", size: 2 },
    ]);
    expect((await asynq("group", "ls", "-q", "default")).stdout).toBe(
      "no groups in queue default\n",
    );
    failedWith(await asynq("group", "ls", "-q", "nope"), 1, 'queue "nope" not found');
  });

  it("cron ls and history show scheduler entries and their enqueues", async () => {
    const entries = await asynq("cron", "ls");
    expect(lines(entries.stdout)[2]).toMatch(
      /^entry-1\s+@every 30s\s+report:daily\s+\{\}\s+Queue\("default"\)\s+in .*\s+.* ago$/,
    );
    expect(await json("cron", "ls")).toMatchObject([
      { id: "entry-1", spec: "@every 30s", taskType: "report:daily", taskPayload: "{}" },
    ]);
    const history = await asynq("cron", "history", SEEDED.entry);
    expect(lines(history.stdout)[0]).toBe("Entry: entry-1");
    expect(lines(history.stdout)[3]).toMatch(
      /^evt-task-1\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
    );
    expect(await json("cron", "history", SEEDED.entry, "unknown-entry")).toMatchObject([
      { entryId: "entry-1", events: [{ taskId: "evt-task-1" }] },
      { entryId: "unknown-entry", events: [] },
    ]);
  });

  it("server ls shows live servers with their workers", async () => {
    const { stdout } = await asynq("server", "ls");
    expect(lines(stdout)[2]).toMatch(
      /^worker-1\s+4242\s+active\s+1\/10\s+critical:6, default:3, low:1\s+5m( \ds)? ago$/,
    );
    const [srv] = await json("server", "ls");
    expect(srv).toMatchObject({ host: "worker-1", pid: 4242, id: "srv-1", concurrency: 10 });
    expect(srv.activeWorkers).toMatchObject([
      { taskId: "a1", queue: "critical", taskPayload: "report a1" },
    ]);
  });
});
