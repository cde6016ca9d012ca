import { STATS_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/** active → deleted, counting one processed task and releasing the owned unique lock. */
export const doneScript: LuaScript = {
  name: "done",
  numberOfKeys: 6,
  lua: `-- done: active → deleted
-- KEYS[1] active list      KEYS[2] lease zset       KEYS[3] task hash
-- KEYS[4] processed:<day>  KEYS[5] processed total
-- KEYS[6] unique lock key (not touched when ARGV[4] is "0"; pass any key of the queue then)
-- ARGV[1] task id          ARGV[2] daily stats TTL (s)   ARGV[3] MaxInt64
-- ARGV[4] "1" to release the lock in KEYS[6] if it still holds ARGV[1]
-- Returns 1 done; 0 the task is not active (nothing written).
${STATS_LUA}
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
count_processed(KEYS[4], KEYS[5], ARGV[2], ARGV[3])
if ARGV[4] == '1' and redis.call('GET', KEYS[6]) == ARGV[1] then redis.call('DEL', KEYS[6]) end
return 1
`,
};
