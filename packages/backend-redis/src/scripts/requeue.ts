import { NOTIFY_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/** active → pending at the dequeue end (next in line); stats and retry count untouched. */
export const requeueScript: LuaScript = {
  name: "requeue",
  numberOfKeys: 4,
  lua: `-- requeue: active → pending (front of the line)
-- KEYS[1] active list      KEYS[2] lease zset       KEYS[3] pending list   KEYS[4] task hash
-- ARGV[1] task id          ARGV[2] pending_since (Unix ns)   ARGV[3] notify channel, "" for none
-- Returns 1 requeued; 0 the task is not active (nothing written).
${NOTIFY_LUA}
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[3], ARGV[1])
redis.call('HSET', KEYS[4], 'state', 'pending', 'pending_since', ARGV[2])
notify(ARGV[3])
return 1
`,
};
