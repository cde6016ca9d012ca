import { STATS_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/** active → completed, keeping the written result until the retention ends. */
export const markCompleteScript: LuaScript = {
  name: "mark-complete",
  numberOfKeys: 7,
  lua: `-- mark-complete: active → completed
-- KEYS[1] active list      KEYS[2] lease zset       KEYS[3] completed zset
-- KEYS[4] task hash        KEYS[5] processed:<day>  KEYS[6] processed total
-- KEYS[7] unique lock key (not touched when ARGV[6] is "0"; pass any key of the queue then)
-- ARGV[1] task id          ARGV[2] msg with completed_at   ARGV[3] expiry score (Unix s)
-- ARGV[4] daily stats TTL (s)   ARGV[5] MaxInt64
-- ARGV[6] "1" to release the lock in KEYS[7] if it still holds ARGV[1]
-- Returns 1 completed; 0 the task is not active (nothing written).
${STATS_LUA}
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[4], 'msg', ARGV[2], 'state', 'completed')
count_processed(KEYS[5], KEYS[6], ARGV[4], ARGV[5])
if ARGV[6] == '1' and redis.call('GET', KEYS[7]) == ARGV[1] then redis.call('DEL', KEYS[7]) end
return 1
`,
};
