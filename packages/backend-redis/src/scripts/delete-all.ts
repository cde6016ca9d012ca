import type { LuaScript } from "./lua-script.js";

/**
 * A batch of one container → deleted, releasing unique locks the tasks still own. The caller
 * lists IDs (pending: from the dequeue end) with their lock keys; the script deletes those
 * still in the container.
 */
export const deleteAllScript: LuaScript = {
  name: "delete-all",
  numberOfKeys: "variable",
  lua: `-- delete-all: pending | scheduled | retry | archived | completed | aggregating → deleted
-- KEYS[1] source (pending list, state zset or group zset)   KEYS[2] groups set
-- KEYS[1+2i], KEYS[2+2i] for task i = 1..n: its task hash, and its unique lock key (any key
--   of the queue when it has none)
-- ARGV[1] source state     ARGV[2] group name ("" unless aggregating)
-- ARGV[1+2i], ARGV[2+2i] for task i: its id, and "1" to release its lock if it holds the id
-- Returns how many tasks were deleted.
local deleted = 0
for i = 1, (#KEYS - 2) / 2 do
  local task, lock = KEYS[1 + 2 * i], KEYS[2 + 2 * i]
  local id = ARGV[1 + 2 * i]
  if redis.call('HGET', task, 'state') == ARGV[1] then
    local removed
    if ARGV[1] == 'pending' then
      removed = redis.call('LREM', KEYS[1], -1, id)
    else
      removed = redis.call('ZREM', KEYS[1], id)
    end
    if removed > 0 then
      if ARGV[2 + 2 * i] == '1' and redis.call('GET', lock) == id then redis.call('DEL', lock) end
      redis.call('DEL', task)
      deleted = deleted + 1
    end
  end
end
if ARGV[1] == 'aggregating' and redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[2])
end
return deleted
`,
};
