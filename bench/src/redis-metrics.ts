import type { Redis } from "ioredis";

/** What Redis reports about itself at one instant (INFO). */
export interface RedisSnapshot {
  /** used_cpu_user + used_cpu_sys, µs. */
  readonly cpuMicros: number;
  /** Sum of `calls` over INFO commandstats (commands run by scripts included), INFO excluded. */
  readonly commandCalls: number;
  /** Script calls (EVAL + EVALSHA). */
  readonly scriptCalls: number;
  readonly usedMemory: number;
  /** Per command (lower case): calls and µs spent, from INFO commandstats. */
  readonly commands: Readonly<Record<string, CommandStat>>;
}

/** Calls of one command and the time Redis spent in them. */
export interface CommandStat {
  readonly calls: number;
  readonly micros: number;
}

/** The change between two snapshots. */
export type RedisDelta = RedisSnapshot;

/** Parses `INFO` text into field → value. */
function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0 && !line.startsWith("#")) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** The `calls=` count of a commandstats value. */
function callsOf(value: string | undefined): number {
  const match = value === undefined ? null : /calls=(\d+)/.exec(value);
  return match === null ? 0 : Number(match[1]);
}

/** The `usec=` total of a commandstats value. */
function microsOf(value: string): number {
  const match = /usec=(\d+)/.exec(value);
  return match === null ? 0 : Number(match[1]);
}

/** Takes a snapshot with one INFO call. */
export async function redisSnapshot(admin: Redis): Promise<RedisSnapshot> {
  const fields = parseInfo(await admin.info("everything"));
  let commandCalls = 0;
  const commands: Record<string, CommandStat> = {};
  for (const [name, value] of fields) {
    if (!name.startsWith("cmdstat_") || name === "cmdstat_info") continue;
    commandCalls += callsOf(value);
    commands[name.slice("cmdstat_".length)] = { calls: callsOf(value), micros: microsOf(value) };
  }
  const number = (name: string) => Number(fields.get(name) ?? 0);
  return {
    cpuMicros: Math.round((number("used_cpu_user") + number("used_cpu_sys")) * 1e6),
    commandCalls,
    scriptCalls: callsOf(fields.get("cmdstat_evalsha")) + callsOf(fields.get("cmdstat_eval")),
    usedMemory: number("used_memory"),
    commands,
  };
}

/** `after - before`, field by field. */
export function redisDelta(before: RedisSnapshot, after: RedisSnapshot): RedisDelta {
  return {
    cpuMicros: after.cpuMicros - before.cpuMicros,
    commandCalls: after.commandCalls - before.commandCalls,
    scriptCalls: after.scriptCalls - before.scriptCalls,
    usedMemory: after.usedMemory - before.usedMemory,
    commands: commandDelta(before.commands, after.commands),
  };
}

function commandDelta(
  before: Readonly<Record<string, CommandStat>>,
  after: Readonly<Record<string, CommandStat>>,
): Record<string, CommandStat> {
  const delta: Record<string, CommandStat> = {};
  for (const [name, stat] of Object.entries(after)) {
    const calls = stat.calls - (before[name]?.calls ?? 0);
    if (calls > 0) delta[name] = { calls, micros: stat.micros - (before[name]?.micros ?? 0) };
  }
  return delta;
}
