import type { LuaScript } from "./lua-script.js";

/** ∅ → aggregating: adds a new task to its group and registers the group name. */
export const enqueueAggregatingScript: LuaScript = {
  name: "enqueue-aggregating",
  numberOfKeys: 4,
  lua: `-- enqueue-aggregating: ∅ → aggregating
-- KEYS[1] task hash        KEYS[2] group zset       KEYS[3] groups set
-- KEYS[4] unique lock key (not touched when ARGV[4] is "0"; pass any key of the queue then)
-- ARGV[1] task id          ARGV[2] msg          ARGV[3] now score (Unix s)
-- ARGV[4] lock TTL in ms, "0" when not unique   ARGV[5] unique_key field value, "" for none
-- ARGV[6] group name
-- Returns 1 stored; 0 the ID exists (nothing written); -1 the unique lock is held (nothing written).
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[4] ~= '0' then
  if not redis.call('SET', KEYS[4], ARGV[1], 'NX', 'PX', ARGV[4]) then return -1 end
end
redis.call('HSET', KEYS[1], 'msg', ARGV[2], 'state', 'aggregating', 'group', ARGV[6])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'unique_key', ARGV[5]) end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[6])
return 1
`,
};
