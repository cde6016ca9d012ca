import type { LuaScript } from "./lua-script.js";

/** aggregating → aggregation set, when the group is full, too old, or quiet for the grace period. */
export const aggregationCheckScript: LuaScript = {
  name: "aggregation-check",
  numberOfKeys: 4,
  lua: `-- aggregation-check: group → new aggregation set
-- KEYS[1] group zset       KEYS[2] new aggregation set zset
-- KEYS[3] aggregation_sets zset   KEYS[4] groups set
-- ARGV[1] max size (0: no limit)
-- ARGV[2] max-delay cutoff score: the oldest task at or before it triggers ("" : no limit)
-- ARGV[3] grace cutoff score: the newest task at or before it triggers
-- ARGV[4] set deadline score (Unix s)   ARGV[5] group name
-- Returns 1 when the set was created; 0 when no condition holds (nothing written).
local size = redis.call('ZCARD', KEYS[1])
if size == 0 then return 0 end
local max_size = tonumber(ARGV[1])
local take = 0
if max_size ~= 0 and size >= max_size then
  take = max_size
else
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if ARGV[2] ~= '' and tonumber(oldest[2]) <= tonumber(ARGV[2]) then
    take = size
  elseif tonumber(newest[2]) <= tonumber(ARGV[3]) then
    take = size
  end
end
if take == 0 then return 0 end
local members = redis.call('ZRANGE', KEYS[1], 0, take - 1, 'WITHSCORES')
for i = 1, #members, 2 do
  redis.call('ZADD', KEYS[2], members[i + 1], members[i])
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, take - 1)
redis.call('ZADD', KEYS[3], ARGV[4], KEYS[2])
if redis.call('ZCARD', KEYS[1]) == 0 then redis.call('SREM', KEYS[4], ARGV[5]) end
return 1
`,
};
