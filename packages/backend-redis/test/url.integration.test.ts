import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisBroker } from "../src/index.js";
import { message, T0 } from "./support/messages.js";

// A URL makes the broker create (and later close) its own ioredis client.

let server: RedisServerHandle;
let socketDir: string;
let socket: string;
let observer: Redis;

/** Client connections the server has, besides the observer's own. */
async function otherClients(): Promise<number> {
  const list = (await observer.client("LIST")) as string;
  return list.trim().split("\n").length - 1;
}

async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

beforeAll(async () => {
  socketDir = mkdtempSync(join(tmpdir(), "asynq-socket-"));
  socket = join(socketDir, "redis.sock");
  server = await startRedisServer({ args: ["--unixsocket", socket, "--unixsocketperm", "700"] });
  observer = new Redis(server.url);
});
afterAll(async () => {
  observer?.disconnect();
  await server?.stop();
  rmSync(socketDir, { recursive: true, force: true });
});

describe.each([
  ["redis://", () => server.url],
  ["redis-socket://", () => `redis-socket://${socket}`],
])("createRedisBroker({ url: %s })", (_scheme, url) => {
  it("connects, stores tasks, and closes what it opened", async () => {
    const broker = createRedisBroker({ url: url(), prefix: "asynq-url" });
    await broker.ping();
    const m = message(`via-${_scheme}`, { queue: "url" });
    expect(await broker.enqueue({ message: m, placement: { state: "pending" }, now: T0 })).toEqual({
      ok: true,
    });
    await broker.close();
    await broker.close();
    await expect(broker.ping()).rejects.toMatchObject({ code: "BROKER_CLOSED" });

    const again = createRedisBroker({ url: url(), prefix: "asynq-url" });
    const got = await again.dequeue({ queues: ["url"], leaseUntil: T0 + 30_000, now: T0 });
    expect(got?.message.id).toBe(m.id);
    await again.close();
    expect(await eventually(async () => (await otherClients()) === 0)).toBe(true);
  });
});

describe("createRedisBroker({ url })", () => {
  it("refuses schemes it cannot serve", () => {
    expect(() => createRedisBroker({ url: "http://127.0.0.1" })).toThrow(/unsupported scheme/);
    expect(() => createRedisBroker({ url: "not a url" })).toThrow(/not a URL/);
  });
});
