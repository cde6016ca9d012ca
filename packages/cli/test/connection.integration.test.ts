import { writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyHome, lines, runInProcess } from "./support/cli.js";
import { seed } from "./support/seed.js";

// How the CLI finds Redis (flags, ASYNQ_* variables, ~/.asynq.yaml) and how it fails when it
// cannot: one line, exit 1 (unreachable) or 2 (wrong URI or config), no endless retries.

let server: RedisServerHandle;
let secured: RedisServerHandle;
let closedPort: number;

beforeAll(async () => {
  [server, secured] = await Promise.all([
    startRedisServer(),
    startRedisServer({ password: "s3cret" }),
  ]);
  await seed(server.url);
  await seed(secured.url);
  // A port nobody listens on: a server started and stopped.
  const gone = await startRedisServer();
  closedPort = gone.port;
  await gone.stop();
});
afterAll(async () => {
  await server?.stop();
  await secured?.stop();
});

const queueNames = "Queue\n-----\ncritical\ndefault\nlow\n";

describe("finding Redis", () => {
  it("takes host:port, redis:// with a database, and --db", async () => {
    const hostPort = `127.0.0.1:${server.port}`;
    expect((await runInProcess(["-u", hostPort, "queue", "ls"])).stdout).toBe(queueNames);
    const inDb3 = new Redis(`${server.url}/3`);
    await inDb3.sadd("asynq:queues", "db3-queue");
    inDb3.disconnect();
    expect((await runInProcess(["-u", `${server.url}/3`, "queue", "ls"])).stdout).toBe(
      "Queue\n-----\ndb3-queue\n",
    );
    expect((await runInProcess(["-u", hostPort, "-n", "3", "queue", "ls"])).stdout).toBe(
      "Queue\n-----\ndb3-queue\n",
    );
    expect(
      (await runInProcess(["--uri", server.url, "--prefix", "other", "queue", "ls"])).stdout,
    ).toBe("no queues\n");
  });

  it("reads ASYNQ_* variables and the config file; flags win over variables, variables over the file", async () => {
    const home = emptyHome();
    writeFileSync(join(home, ".asynq.yaml"), `uri: 127.0.0.1:${closedPort}\npassword: wrong\n`);
    const fromFile = await runInProcess(["queue", "ls"], { home });
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toContain(`redis://127.0.0.1:${closedPort}/0`);
    const envWins = await runInProcess(["queue", "ls"], {
      home,
      env: { ASYNQ_URI: `redis://127.0.0.1:${secured.port}`, ASYNQ_PASSWORD: "s3cret" },
    });
    expect(envWins).toEqual({ code: 0, stdout: queueNames, stderr: "" });
    const fileWithoutPassword = emptyHome();
    writeFileSync(join(fileWithoutPassword, ".asynq.yaml"), `uri: 127.0.0.1:${closedPort}\n`);
    const flagWins = await runInProcess(["--uri", server.url, "queue", "ls"], {
      home: fileWithoutPassword,
      env: { ASYNQ_URI: `127.0.0.1:${closedPort}` },
    });
    expect(flagWins.stdout).toBe(queueNames);

    const named = join(emptyHome(), "asynq.yml");
    writeFileSync(named, `uri: redis://127.0.0.1:${secured.port}\npassword: s3cret\ndb: 0\n`);
    expect((await runInProcess(["--config", named, "queue", "ls"])).stdout).toBe(queueNames);
    expect((await runInProcess(["queue", "ls"], { env: { ASYNQ_CONFIG: named } })).stdout).toBe(
      queueNames,
    );
  });

  it("uses a password from the URI, -p, and -U with it", async () => {
    const withPassword = `redis://:s3cret@127.0.0.1:${secured.port}`;
    expect((await runInProcess(["-u", withPassword, "queue", "ls"])).stdout).toBe(queueNames);
    expect(
      (await runInProcess(["-u", `127.0.0.1:${secured.port}`, "-p", "s3cret", "queue", "ls"]))
        .stdout,
    ).toBe(queueNames);
    expect(
      (
        await runInProcess([
          "-u",
          `127.0.0.1:${secured.port}`,
          "-U",
          "default",
          "-p",
          "s3cret",
          "queue",
          "ls",
        ])
      ).stdout,
    ).toBe(queueNames);
  });
});

describe("failing to connect", () => {
  it("reports a server that is down in one line, exit 1", async () => {
    const result = await runInProcess(["-u", `127.0.0.1:${closedPort}`, "stats"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `error: cannot connect to Redis at redis://127.0.0.1:${closedPort}/0: connect ECONNREFUSED 127.0.0.1:${closedPort} (is Redis running there? set --uri, ASYNQ_URI or uri in ~/.asynq.yaml)\n`,
    );
  });

  it("gives up on a server that accepts connections but never answers", async () => {
    const silent = createServer(() => {}); // accepts, then says nothing
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const result = await runInProcess([
        "-u",
        `127.0.0.1:${port}`,
        "--connect-timeout",
        "0.5",
        "queue",
        "ls",
      ]);
      expect(result).toEqual({
        code: 1,
        stdout: "",
        stderr: `error: cannot connect to Redis at redis://127.0.0.1:${port}/0: no answer within 0.5 s (is the address right? see --connect-timeout)\n`,
      });
    } finally {
      silent.close();
    }
  });

  it("reports a missing or wrong password in one line, exit 1", async () => {
    const none = await runInProcess(["-u", `127.0.0.1:${secured.port}`, "queue", "ls"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^error: cannot connect to Redis at redis:\/\/127\.0\.0\.1:\d+\/0: NOAUTH Authentication required\.\n$/,
    );
    const wrong = await runInProcess([
      "-u",
      `127.0.0.1:${secured.port}`,
      "-p",
      "nope",
      "queue",
      "ls",
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /^error: cannot connect to Redis at .*: WRONGPASS invalid username-password pair/,
    );
    expect(lines(wrong.stderr)).toHaveLength(1);
  });

  it("refuses malformed URIs and config with exit 2 before connecting", async () => {
    const cases: [string[], RegExp][] = [
      [["-u", "ftp://host"], /unsupported URI scheme "ftp:\/\/" in --uri/],
      [["-u", "redis://host:port"], /not a valid URI/],
      [["-u", "host:99999"], /port 99999 of "host:99999" is out of range/],
      [["-u", "redis://127.0.0.1/abc"], /the database must be a number, got "abc"/],
      [["-n", "x"], /--db must be a non-negative integer, got "x"/],
      [["--cluster", "--cluster-addrs", ",,"], /--cluster-addrs must list at least one host:port/],
      [
        ["--config", "/nonexistent/asynq.yaml"],
        /cannot read config file \/nonexistent\/asynq\.yaml/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runInProcess([...args, "queue", "ls"]);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
      expect(lines(result.stderr)).toHaveLength(1);
    }
    const home = emptyHome();
    writeFileSync(join(home, ".asynq.yaml"), "urii: 127.0.0.1:6379\n");
    const typo = await runInProcess(["queue", "ls"], { home });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown key "urii" \(known keys: uri, db, password/);
    const badEnv = await runInProcess(["queue", "ls"], { env: { ASYNQ_CLUSTER: "maybe" } });
    expect(badEnv).toMatchObject({
      code: 2,
      stderr: 'error: ASYNQ_CLUSTER must be true or false, got "maybe"\n',
    });
  });

  it("reports unreachable sentinels (exit 1) and a sentinel URI without a master (exit 2)", async () => {
    const down = await runInProcess([
      "-u",
      `redis-sentinel://127.0.0.1:${closedPort}?master=mymaster`,
      "queue",
      "ls",
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /^error: cannot connect to Redis at redis-sentinel:\/\/127\.0\.0\.1:\d+\?master=mymaster: All sentinels are unreachable/,
    );
    expect(lines(down.stderr)).toHaveLength(1);
    const nameless = await runInProcess(["-u", "redis-sentinel://127.0.0.1:26379", "queue", "ls"]);
    expect(nameless).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: url: the master name is missing (?master=…): redis-sentinel://127.0.0.1:26379\n",
    });
  });

  it("adds the stack trace with --debug", async () => {
    const result = await runInProcess(["--debug", "-u", `127.0.0.1:${closedPort}`, "queue", "ls"]);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)[0]).toMatch(/^error: cannot connect to Redis/);
    expect(lines(result.stderr).length).toBeGreaterThan(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe("output", () => {
  it("colours only for a terminal or FORCE_COLOR, never with NO_COLOR or --no-color", async () => {
    const args = ["--uri", server.url, "queue", "ls"];
    const ansi = "\u001b[";
    expect((await runInProcess(args)).stdout).not.toContain(ansi);
    expect((await runInProcess(args, { env: { FORCE_COLOR: "1" } })).stdout).toContain(ansi);
    expect(
      (await runInProcess([...args, "--no-color"], { env: { FORCE_COLOR: "1" } })).stdout,
    ).not.toContain(ansi);
  });

  it("prints help and version with exit 0, a bare `asynq` or unknown command with exit 2", async () => {
    const help = await runInProcess(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["stats", "queue", "task", "group", "cron", "server", "dash"])
      expect(help.stdout).toContain(`  ${command}`);
    const version = await runInProcess(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect((await runInProcess([])).code).toBe(2);
    const unknown = await runInProcess(["stats", "--bogus"]);
    expect(unknown).toEqual({ code: 2, stdout: "", stderr: "error: unknown option '--bogus'\n" });
    const typo = await runInProcess(["queu"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^error: unknown command 'queu'\n\(Did you mean queue\?\)\n$/);
  });

  it("dash needs a terminal", async () => {
    const result = await runInProcess(["--uri", server.url, "dash"]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: dash needs an interactive terminal (stdin and stdout must be a TTY)\n",
    });
  });
});
