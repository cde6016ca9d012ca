import type { LuaScript } from "./lua-script.js";

/**
 * ∅ → scheduled. Unlike Go asynq, a grouped task keeps its `group` field so it aggregates once
 * due instead of becoming pending.
 */
export const enqueueScheduledScript: LuaScript = {
  name: "enqueue-scheduled",
  numberOfKeys: 3,
  lua: `-- enqueue-scheduled: ∅ → scheduled
-- KEYS[1] task hash        KEYS[2] scheduled zset
-- KEYS[3] unique lock key (not touched when ARGV[4] is "0"; pass any key of the queue then)
-- ARGV[1] task id          ARGV[2] msg          ARGV[3] process-at score (Unix s)
-- ARGV[4] lock TTL in ms, "0" when not unique   ARGV[5] unique_key field value, "" for none
-- ARGV[6] group name, "" for none
-- Returns 1 stored; 0 the ID exists (nothing written); -1 the unique lock is held (nothing written).
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[4] ~= '0' then
  if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[4]) then return -1 end
end
redis.call('HSET', KEYS[1], 'msg', ARGV[2], 'state', 'scheduled')
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'unique_key', ARGV[5]) end
if ARGV[6] ~= '' then redis.call('HSET', KEYS[1], 'group', ARGV[6]) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
`,
};
