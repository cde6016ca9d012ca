import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN, emptyHome, runInProcess } from "./support/cli.js";
import { seed } from "./support/seed.js";

// `asynq web` as a user runs it: the real executable serving the dashboard until SIGTERM.

let server: RedisServerHandle;
const running: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  await seed(server.url);
});
afterEach(() => {
  for (const child of running.splice(0)) child.kill("SIGKILL");
});
afterAll(async () => {
  await server?.stop();
});

interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly banner: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `asynq web` and resolves once it printed the address it serves. */
function startWeb(args: readonly string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [BIN, "--uri", server.url, "web", "--port", "0", ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: emptyHome(), ASYNQ_CLI_FROM_SOURCE: "1", ...env },
  });
  running.push(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const found = /serving (http:\/\/\S+)/.exec(out);
      if (found?.[1] !== undefined) {
        resolve({
          child,
          url: found[1].replace(/\/$/, ""),
          banner: out,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`asynq web exited (${code}): ${err}${out}`)));
  });
}

describe("asynq web", { timeout: 60_000 }, () => {
  it("serves the dashboard API over the connected Redis and stops on SIGTERM", async () => {
    const web = await startWeb([]);
    expect(web.banner).toContain(`for ${server.url}`);
    const response = await fetch(`${web.url}/api/queues`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { queue: string }[] };
    expect(body.queues.map((q) => q.queue).sort()).toEqual(["critical", "default", "low"]);
    const info = (await (await fetch(`${web.url}/api/redis_info`)).json()) as {
      info: Record<string, string>;
    };
    expect(info.info.redis_version).toMatch(/^\d+\.\d+/);
    expect(await web.stop()).toBe(0);
  });

  it("asks for the basic-auth credentials from the environment and refuses changes read-only", async () => {
    const web = await startWeb(["--read-only", "--base-path", "/monitoring"], {
      ASYNQ_WEB_BASIC_AUTH: "admin:s3cret",
    });
    expect(web.banner).toContain("(read-only)");
    expect(web.url).toMatch(/\/monitoring$/);
    expect((await fetch(`${web.url}/api/queues`)).status).toBe(401);
    const authorization = `Basic ${Buffer.from("admin:s3cret").toString("base64")}`;
    const listed = await fetch(`${web.url}/api/queues`, { headers: { authorization } });
    expect(listed.status).toBe(200);
    const pause = await fetch(`${web.url}/api/queues/default:pause`, {
      method: "POST",
      headers: { authorization },
    });
    expect(pause.status).toBe(405);
    expect(await web.stop()).toBe(0);
  });

  it("refuses malformed credentials as a usage error", async () => {
    const result = await runInProcess(["--uri", server.url, "web", "--basic-auth", "nocolon"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--basic-auth must be "user:password"');
  });
});
