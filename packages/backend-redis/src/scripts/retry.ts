import { STATS_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/** active → retry, counting processed and failed when the attempt is a failure. */
export const retryScript: LuaScript = {
  name: "retry",
  numberOfKeys: 8,
  lua: `-- retry: active → retry
-- KEYS[1] task hash        KEYS[2] active list      KEYS[3] lease zset     KEYS[4] retry zset
-- KEYS[5] processed:<day>  KEYS[6] failed:<day>     KEYS[7] processed total  KEYS[8] failed total
-- ARGV[1] task id          ARGV[2] msg              ARGV[3] retry-at score (Unix s)
-- ARGV[4] "1" when the attempt counts as a failure  ARGV[5] daily stats TTL (s)  ARGV[6] MaxInt64
-- Returns 1 moved; 0 the task is not active (nothing written).
${STATS_LUA}
if not redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
if redis.call('LREM', KEYS[2], 0, ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[1], 'msg', ARGV[2], 'state', 'retry')
if ARGV[4] == '1' then
  count_failure(KEYS[5], KEYS[6], KEYS[7], KEYS[8], ARGV[5], ARGV[6])
end
return 1
`,
};
