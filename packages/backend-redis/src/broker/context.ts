import { BackendError } from "@asynq-ts/core";
import type { RedisArg, RedisConnection, RedisReply } from "../connection/connection.js";
import type { KeySpace, QueueKeys } from "../keys.js";
import type { LuaScript } from "../scripts/lua-script.js";

/** What every area of the broker works with. */
export interface BrokerContext {
  readonly connection: RedisConnection;
  readonly keys: KeySpace;
  /** Whether scripts publish wake-ups on the queue's notify channel. */
  readonly notify: boolean;
  run(script: LuaScript, keys: readonly string[], args: readonly RedisArg[]): Promise<RedisReply>;
  send(command: string, args: readonly RedisArg[], routingKey?: string): Promise<RedisReply>;
}

/** Builds the context over a connection. */
export function createContext(
  connection: RedisConnection,
  keys: KeySpace,
  notify: boolean,
): BrokerContext {
  return {
    connection,
    keys,
    notify,
    run: (script, scriptKeys, args) => connection.evalScript(script, scriptKeys, args),
    send: (command, args, routingKey) =>
      connection.send(command, args, routingKey ?? firstStringOf(args)),
  };
}

/** The notify channel to pass to a script, "" when wake-ups are off. */
export function notifyChannel(ctx: BrokerContext, queue: QueueKeys): string {
  return ctx.notify ? queue.notifyChannel : "";
}

/**
 * How many tasks one script call may carry. ioredis-mock turns a script's table of two or more
 * values built in a loop into garbage, so there every call carries one task.
 */
export function batchLimit(ctx: BrokerContext, max: number): number {
  return ctx.connection.inProcess ? 1 : max;
}

/** A script's numeric answer; anything else is a backend failure. */
export function scriptCode(script: LuaScript, reply: RedisReply): number {
  if (typeof reply === "number") return reply;
  throw new BackendError(`script ${script.name} answered ${JSON.stringify(reply)}`);
}

/** The failure for a code a script is not documented to return. */
export function unexpectedCode(script: LuaScript, code: number): BackendError {
  return new BackendError(`script ${script.name} answered the unexpected code ${code}`);
}

/** Runs `attempt` until it returns a value other than `undefined`, at most `times` times. */
export async function retryOnRace<T>(
  times: number,
  attempt: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (let i = 0; i < times; i++) {
    const result = await attempt();
    if (result !== undefined) return result;
  }
  return undefined;
}

function firstStringOf(args: readonly RedisArg[]): string | undefined {
  const first = args[0];
  return typeof first === "string" ? first : undefined;
}
