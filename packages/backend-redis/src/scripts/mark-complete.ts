import { STATS_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * active → completed for one or more tasks of a queue (acknowledgements arriving together are
 * written in one call), keeping written results until the retention ends.
 */
export const markCompleteScript: LuaScript = {
  name: "mark-complete",
  numberOfKeys: "variable",
  lua: `-- mark-complete: active → completed, for each listed task
-- KEYS[1] active list      KEYS[2] lease zset       KEYS[3] completed zset
-- KEYS[4] processed:<day>  KEYS[5] processed total
-- KEYS[5+i] task hash of task i = 1..n, then the unique lock keys the tasks may release
-- ARGV[1] daily stats TTL (s)   ARGV[2] MaxInt64
-- ARGV[4i-1], ARGV[4i], ARGV[4i+1], ARGV[4i+2] for task i: its id, its msg with completed_at,
--   its expiry score (Unix s), and the KEYS index of the lock to release if it still holds
--   the id ("0" for none)
-- Returns one code per task: 1 completed; 0 the task is not active (nothing written for it).
${STATS_LUA}
local codes = {}
local completed = 0
for i = 1, (#ARGV - 2) / 4 do
  local id = ARGV[4 * i - 1]
  codes[i] = 0
  if redis.call('ZSCORE', KEYS[2], id) and redis.call('LREM', KEYS[1], 0, id) > 0 then
    redis.call('ZREM', KEYS[2], id)
    redis.call('ZADD', KEYS[3], ARGV[4 * i + 1], id)
    redis.call('HSET', KEYS[5 + i], 'msg', ARGV[4 * i], 'state', 'completed')
    local lock = tonumber(ARGV[4 * i + 2])
    if lock > 0 and redis.call('GET', KEYS[lock]) == id then redis.call('DEL', KEYS[lock]) end
    codes[i] = 1
    completed = completed + 1
  end
end
if completed > 0 then count_processed(KEYS[4], KEYS[5], ARGV[1], ARGV[2], completed) end
return codes
`,
};
