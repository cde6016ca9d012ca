import { type RedisServerHandle, startRedisServer } from "@asynq-ts/testing/servers";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keySlot } from "../src/cluster/key-slot.js";
import { createRedisBroker } from "../src/index.js";
import { ALL_SCRIPTS } from "../src/scripts/index.js";
import { scriptSha } from "../src/scripts/lua-script.js";
import { exerciseAllScripts } from "./support/exercise-all-scripts.js";

/** One script call seen by MONITOR: the keys it declared and every command it ran. */
interface ScriptCall {
  readonly script: string;
  readonly declared: readonly string[];
  readonly commands: string[][];
}

let server: RedisServerHandle;
let client: Redis;
let monitor: Redis;
const calls: ScriptCall[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url);
  monitor = new Redis(server.url);
  const byHash = new Map(ALL_SCRIPTS.map((s) => [scriptSha(s), s.name]));
  const feed = await monitor.monitor();
  let current: ScriptCall | undefined;
  let marker = () => {};
  const flushed = new Promise<void>((resolve) => {
    marker = resolve;
  });
  feed.on("monitor", (_time: string, args: string[], source: string) => {
    const [command, ...rest] = args;
    const name = command?.toLowerCase();
    if (source === "lua") {
      current?.commands.push(args);
    } else if (name === "evalsha" || name === "eval") {
      const [body, count, ...tail] = rest;
      // MONITOR escapes an EVAL body's newlines, so name it by its header line instead.
      const script =
        (name === "evalsha" ? byHash.get(body!) : /^-- ([\w-]+)/.exec(body!)?.[1]) ?? "?";
      current = { script, declared: tail.slice(0, Number(count)), commands: [] };
      calls.push(current);
    } else if (name === "echo" && rest[0] === "end-of-scenario") {
      marker();
    } else {
      current = undefined;
    }
  });
  const broker = createRedisBroker({ client, prefix: "asynq" });
  await exerciseAllScripts(broker);
  await broker.close();
  await client.echo("end-of-scenario");
  await flushed;
  feed.disconnect();
});

afterAll(async () => {
  client?.disconnect();
  monitor?.disconnect();
  await server?.stop();
});

describe("every Lua script", () => {
  it("ran at least once in the scenario", () => {
    const seen = new Set(calls.map((c) => c.script));
    expect([...seen].filter((s) => s === "?")).toEqual([]);
    expect(ALL_SCRIPTS.map((s) => s.name).filter((name) => !seen.has(name))).toEqual([]);
  });

  it("declares keys that all hash to one Cluster slot", () => {
    for (const call of calls) {
      const slots = new Set(call.declared.map(keySlot));
      expect({ script: call.script, slots: slots.size }).toEqual({ script: call.script, slots: 1 });
    }
  });

  it("touches only keys it declared in KEYS (as proxies and Dragonfly require)", async () => {
    const undeclared: { script: string; command: string; key: string }[] = [];
    for (const call of calls) {
      for (const command of call.commands) {
        for (const key of await keysOf(command)) {
          if (!call.declared.includes(key)) {
            undeclared.push({ script: call.script, command: command[0]!, key });
          }
        }
      }
    }
    expect(undeclared).toEqual([]);
  });
});

/** The keys a command touches, as the server itself reports them. */
async function keysOf(command: string[]): Promise<string[]> {
  try {
    return (await client.call("COMMAND", "GETKEYS", ...command)) as string[];
  } catch {
    return []; // commands without keys (PUBLISH)
  }
}
