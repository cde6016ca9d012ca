import { STATS_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * active → deleted for one or more tasks of a queue (acknowledgements arriving together are
 * written in one call), counting them processed and releasing the unique locks they own.
 */
export const doneScript: LuaScript = {
  name: "done",
  numberOfKeys: "variable",
  lua: `-- done: active → deleted, for each listed task
-- KEYS[1] active list      KEYS[2] lease zset
-- KEYS[3] processed:<day>  KEYS[4] processed total
-- KEYS[4+i] task hash of task i = 1..n, then the unique lock keys the tasks may release
-- ARGV[1] daily stats TTL (s)   ARGV[2] MaxInt64
-- ARGV[1+2i], ARGV[2+2i] for task i: its id, and the KEYS index of the lock to release if it
--   still holds the id ("0" for none)
-- Returns one code per task: 1 done; 0 the task is not active (nothing written for it).
${STATS_LUA}
local codes = {}
local done = 0
for i = 1, (#ARGV - 2) / 2 do
  local id = ARGV[1 + 2 * i]
  codes[i] = 0
  if redis.call('ZSCORE', KEYS[2], id) and redis.call('LREM', KEYS[1], 0, id) > 0 then
    redis.call('ZREM', KEYS[2], id)
    redis.call('DEL', KEYS[4 + i])
    local lock = tonumber(ARGV[2 + 2 * i])
    if lock > 0 and redis.call('GET', KEYS[lock]) == id then redis.call('DEL', KEYS[lock]) end
    codes[i] = 1
    done = done + 1
  end
end
if done > 0 then count_processed(KEYS[3], KEYS[4], ARGV[1], ARGV[2], done) end
return codes
`,
};
