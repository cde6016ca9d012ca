import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, lines, runBinary } from "./support/cli.js";
import { SEEDED, seed } from "./support/seed.js";

// The real executable (bin/asynq.js → tsx → src/main.ts) once per command, against a seeded
// Redis: exit statuses, stdout and stderr as a shell sees them. Commands that touch different
// tasks run side by side to keep the wall time down; run-dependent ones run in order.

let server: RedisServerHandle;
let closedPort: number;

beforeAll(async () => {
  server = await startRedisServer();
  await seed(server.url);
  const gone = await startRedisServer();
  closedPort = gone.port;
  await gone.stop();
});
afterAll(async () => {
  await server?.stop();
});

const asynq = (...args: string[]) => runBinary(["--uri", server.url, ...args]);

/** Runs `jobs` at most `limit` at a time (each spawn costs a Node start and a tsx load). */
async function inParallel<T>(jobs: (() => Promise<T>)[], limit = 4): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

const succeeded = (result: CliResult) => {
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return result.stdout;
};

describe("bin/asynq.js", { timeout: 90_000 }, () => {
  it("runs every read command", async () => {
    const [
      stats,
      queues,
      inspect,
      history,
      tasks,
      task,
      groups,
      cron,
      cronHistory,
      servers,
      statsJson,
    ] = await inParallel([
      () => asynq("stats"),
      () => asynq("queue", "ls"),
      () => asynq("queue", "inspect", "critical"),
      () => asynq("queue", "history", "critical", "-x", "2"),
      () => asynq("task", "ls", "-q", "default", "-s", "pending"),
      () => asynq("task", "inspect", "-q", "critical", "-i", SEEDED.retry),
      () => asynq("group", "ls", "-q", "critical"),
      () => asynq("cron", "ls"),
      () => asynq("cron", "history", SEEDED.entry),
      () => asynq("server", "ls"),
      () => asynq("--json", "stats"),
    ]);
    expect(succeeded(stats!)).toMatch(/Task Count by State\n.*\n.*\n1\s+4\s+2\s+1\s+1\s+1\s+1\n/);
    expect(succeeded(queues!)).toBe("Queue\n-----\ncritical\ndefault\nlow\n");
    expect(succeeded(inspect!)).toMatch(/Name:\s+critical\nSize:\s+6\n/);
    expect(lines(succeeded(history!))).toHaveLength(5);
    expect(
      lines(succeeded(tasks!))
        .slice(2)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual([...SEEDED.pending]);
    expect(succeeded(task!)).toMatch(/State:\s+retry\n/);
    expect(succeeded(groups!)).toBe("Group   Size\n-----   ----\ndigest  2\n");
    expect(succeeded(cron!)).toMatch(/\nentry-1\s+@every 30s\s+report:daily/);
    expect(succeeded(cronHistory!)).toMatch(/^Entry: entry-1\n.*\n.*\nevt-task-1\s/);
    expect(succeeded(servers!)).toMatch(/\nworker-1\s+4242\s+active\s+1\/10\s/);
    expect(JSON.parse(succeeded(statsJson!)).states).toMatchObject({ pending: 4, aggregating: 2 });
  });

  it("runs every write command", async () => {
    const [cancel, archive, remove, run, enqueue, archiveAll, deleteAll, runAll] = await inParallel(
      [
        () => asynq("task", "cancel", SEEDED.active),
        () => asynq("task", "archive", "-q", "default", "-i", "p1"),
        () => asynq("task", "delete", "-q", "default", "-i", "p2"),
        () => asynq("task", "run", "-q", "critical", "-i", SEEDED.retry),
        () =>
          asynq(
            "--json",
            "task",
            "enqueue",
            "-t",
            "bin:test",
            "-l",
            "hello",
            "-q",
            "scratch",
            "--id",
            "b1",
          ),
        () => asynq("task", "archiveall", "-q", "default", "-s", "scheduled"),
        () => asynq("task", "deleteall", "-q", "critical", "-s", "completed"),
        () => asynq("task", "runall", "-q", "critical", "-s", "aggregating", "-g", SEEDED.group),
      ],
    );
    expect(succeeded(cancel!)).toBe("Sent cancel signal for task a1\n");
    expect(succeeded(archive!)).toBe("Archived task p1 in queue default\n");
    expect(succeeded(remove!)).toBe("Deleted task p2 in queue default\n");
    expect(succeeded(run!)).toBe("Moved to pending: task r1 in queue critical\n");
    expect(JSON.parse(succeeded(enqueue!))).toMatchObject({
      id: "b1",
      queue: "scratch",
      state: "pending",
      payload: "hello",
    });
    expect(succeeded(archiveAll!)).toBe("1 scheduled task archived in queue default\n");
    expect(succeeded(deleteAll!)).toBe("1 completed task deleted in queue critical\n");
    expect(succeeded(runAll!)).toBe(
      "2 aggregating tasks of group digest moved to pending in queue critical\n",
    );

    // Order matters from here: pause, resume, then remove the queue `enqueue` created.
    expect(succeeded(await asynq("queue", "pause", "scratch"))).toBe("Paused queue scratch\n");
    expect(succeeded(await asynq("queue", "resume", "scratch"))).toBe("Resumed queue scratch\n");
    expect(succeeded(await asynq("queue", "rm", "scratch", "--force"))).toBe(
      "Removed queue scratch\n",
    );
  });

  it("fails with one line and a meaningful exit status", async () => {
    const [unknownQueue, missingTask, usage, unknownCommand, down, help] = await inParallel([
      () => asynq("queue", "inspect", "nope"),
      () => asynq("task", "inspect", "-q", "critical", "-i", "zz"),
      () => asynq("task", "ls", "-q", "critical"),
      () => asynq("frobnicate"),
      () => runBinary(["--uri", `127.0.0.1:${closedPort}`, "stats"]),
      () => runBinary(["--help"]),
    ]);
    expect(unknownQueue).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: queue "nope" not found\n',
    });
    expect(missingTask).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: task "zz" not found in queue "critical"\n',
    });
    expect(usage).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: required option '-s, --state <state>' not specified\n",
    });
    expect(unknownCommand).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: unknown command 'frobnicate'\n",
    });
    expect(down!.code).toBe(1);
    expect(down!.stderr).toMatch(
      new RegExp(
        `^error: cannot connect to Redis at redis://127\\.0\\.0\\.1:${closedPort}/0: connect ECONNREFUSED[^\\n]*\\n$`,
      ),
    );
    expect(help!.code).toBe(0);
    expect(help!.stdout).toMatch(/^Usage: asynq \[options\] \[command\]/);
  });
});
