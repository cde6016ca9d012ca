import type { LuaScript } from "./lua-script.js";

/** Replaces a scheduler's entry list, expiring after the TTL. */
export const writeSchedulerEntriesScript: LuaScript = {
  name: "write-scheduler-entries",
  numberOfKeys: 1,
  lua: `-- write-scheduler-entries
-- KEYS[1] scheduler entries list (tagged {schedulerId})
-- ARGV[1] TTL in ms        ARGV[2..] SchedulerEntry protobufs (LPUSHed in order, as Go does)
-- Returns 1.
redis.call('DEL', KEYS[1])
for i = 2, #ARGV do
  redis.call('LPUSH', KEYS[1], ARGV[i])
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`,
};
