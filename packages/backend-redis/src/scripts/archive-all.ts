import { TRIM_CHECK_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * A batch of one container (pending list, scheduled/retry zset or a group) → archived. The
 * caller lists IDs it read (pending: from the dequeue end); the script moves those still there.
 */
export const archiveAllScript: LuaScript = {
  name: "archive-all",
  numberOfKeys: "variable",
  lua: `-- archive-all: pending | scheduled | retry | aggregating (one group) → archived, one batch
-- KEYS[1] source (pending list, state zset or group zset)   KEYS[2] archived zset
-- KEYS[3] groups set       KEYS[4..n] task hashes of ARGV[6..], in the same order
-- ARGV[1] source state     ARGV[2] group name ("" unless aggregating)
-- ARGV[3] now score (Unix s)   ARGV[4] trim cutoff score   ARGV[5] archive max size
-- ARGV[6..] task ids
-- Returns {moved, 1 if the archive needs trimming else 0}.
${TRIM_CHECK_LUA}
local moved = 0
for i = 6, #ARGV do
  local task = KEYS[i - 2]
  if redis.call('HGET', task, 'state') == ARGV[1] then
    local removed
    if ARGV[1] == 'pending' then
      removed = redis.call('LREM', KEYS[1], -1, ARGV[i])
    else
      removed = redis.call('ZREM', KEYS[1], ARGV[i])
    end
    if removed > 0 then
      redis.call('ZADD', KEYS[2], ARGV[3], ARGV[i])
      redis.call('HSET', task, 'state', 'archived')
      redis.call('HDEL', task, 'pending_since')
      moved = moved + 1
    end
  end
end
if ARGV[1] == 'aggregating' and redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[2])
end
local trim = 0
if archive_needs_trim(KEYS[2], ARGV[4], ARGV[5]) then trim = 1 end
return {moved, trim}
`,
};
