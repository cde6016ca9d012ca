import type { LuaScript } from "./lua-script.js";

/** Appends a scheduler enqueue event, keeping only the newest ones. */
export const recordSchedulerEventScript: LuaScript = {
  name: "record-scheduler-event",
  numberOfKeys: 1,
  lua: `-- record-scheduler-event
-- KEYS[1] scheduler_history zset of the entry
-- ARGV[1] enqueue time score (Unix s)   ARGV[2] SchedulerEnqueueEvent protobuf
-- ARGV[3] how many events to keep (the newest)
-- Returns 1.
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(tonumber(ARGV[3]) + 1))
return 1
`,
};
