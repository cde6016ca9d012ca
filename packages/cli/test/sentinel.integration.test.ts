import { type RedisSentinelGroupHandle, startRedisSentinelGroup } from "@asynq-ts/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lines, runBinary, runInProcess } from "./support/cli.js";
import { seed } from "./support/seed.js";

// redis-sentinel:// URIs: the CLI asks the sentinels for the master (through
// @asynq-ts/backend-redis-sentinel) and works on it like on any Redis.

let group: RedisSentinelGroupHandle;
let withoutPassword: string;

beforeAll(async () => {
  group = await startRedisSentinelGroup({ password: "pw" });
  await seed(`redis://:pw@127.0.0.1:${await group.masterPort()}`);
  withoutPassword = group.url.replace(/\/\/[^@/]*@/, "//");
});
afterAll(async () => {
  await group?.stop();
});

describe("asynq --uri redis-sentinel://", { timeout: 60_000 }, () => {
  it("reads the master the sentinels name", async () => {
    const [queues, stats] = await Promise.all([
      runBinary(["--uri", group.url, "queue", "ls"]),
      runInProcess(["--uri", group.url, "--json", "stats"]),
    ]);
    expect(queues).toEqual({
      code: 0,
      stdout: "Queue\n-----\ncritical\ndefault\nlow\n",
      stderr: "",
    });
    expect(JSON.parse(stats.stdout).states).toMatchObject({
      pending: 4,
      active: 1,
      aggregating: 2,
    });
    const tasks = await runInProcess([
      "--uri",
      withoutPassword,
      "-p",
      "pw",
      "--json",
      "task",
      "ls",
      "-q",
      "default",
      "-s",
      "pending",
    ]);
    expect(JSON.parse(tasks.stdout).map((t: { id: string }) => t.id)).toEqual(["p1", "p2", "p3"]);
  });

  it("reports a missing password in one line", async () => {
    const result = await runInProcess(["--uri", withoutPassword, "queue", "ls"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: cannot connect to Redis at redis-sentinel:\/\/127\.0\.0\.1:\d+,.*\?master=mymaster: NOAUTH Authentication required\.\n$/,
    );
    expect(lines(result.stderr)).toHaveLength(1);
  });
});
