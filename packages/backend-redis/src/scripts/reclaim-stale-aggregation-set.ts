import type { LuaScript } from "./lua-script.js";

/**
 * aggregation set → group, once its deadline passed: members return with their join times and
 * the group name is registered again (Go asynq forgets to).
 */
export const reclaimStaleAggregationSetScript: LuaScript = {
  name: "reclaim-stale-aggregation-set",
  numberOfKeys: 4,
  lua: `-- reclaim-stale-aggregation-set: aggregation set → group
-- KEYS[1] aggregation_sets zset   KEYS[2] aggregation set zset
-- KEYS[3] group zset of the set   KEYS[4] groups set
-- ARGV[1] now score (Unix s)      ARGV[2] group name
-- Returns 1 reclaimed; 0 the set is not stale (nothing written).
local deadline = redis.call('ZSCORE', KEYS[1], KEYS[2])
if not deadline or tonumber(deadline) > tonumber(ARGV[1]) then return 0 end
local members = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #members, 2 do
  redis.call('ZADD', KEYS[3], members[i + 1], members[i])
end
if #members > 0 then redis.call('SADD', KEYS[4], ARGV[2]) end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[1], KEYS[2])
return 1
`,
};
