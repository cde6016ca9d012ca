import type { LuaScript } from "./lua-script.js";

/**
 * aggregation set → deleted, with its member tasks and the unique locks they still own. The
 * caller lists the members it read; if the set holds a member not listed, nothing is deleted.
 */
export const deleteAggregationSetScript: LuaScript = {
  name: "delete-aggregation-set",
  numberOfKeys: "variable",
  lua: `-- delete-aggregation-set
-- KEYS[1] aggregation set zset   KEYS[2] aggregation_sets zset
-- KEYS[1+2i], KEYS[2+2i] for member i = 1..n: its task hash, and its unique lock key (any key
--   of the queue when it has none)
-- ARGV[2i-1], ARGV[2i] for member i: its id, and "1" to release its lock if it holds the id
-- Returns 1 deleted; -1 the set holds members not listed (nothing written).
local n = (#KEYS - 2) / 2
local listed = 0
for i = 1, n do
  if redis.call('ZSCORE', KEYS[1], ARGV[2 * i - 1]) then listed = listed + 1 end
end
if listed ~= redis.call('ZCARD', KEYS[1]) then return -1 end
for i = 1, n do
  local id, task, lock = ARGV[2 * i - 1], KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  if redis.call('ZSCORE', KEYS[1], id) then
    if ARGV[2 * i] == '1' and redis.call('GET', lock) == id then redis.call('DEL', lock) end
    redis.call('DEL', task)
  end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
return 1
`,
};
