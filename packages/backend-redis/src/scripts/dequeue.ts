import type { LuaScript } from "./lua-script.js";

/**
 * pending → active for the task at the dequeue end. The task hash must be a declared key, so
 * the caller reads the IDs nearest the dequeue end first and passes their hashes; the script
 * takes the current right end only if it is one of them. Passing several candidates lets
 * concurrent workers each succeed with one read instead of racing for a single ID.
 */
export const dequeueScript: LuaScript = {
  name: "dequeue",
  numberOfKeys: "variable",
  lua: `-- dequeue: pending → active
-- KEYS[1] pending list     KEYS[2] paused flag      KEYS[3] active list   KEYS[4] lease zset
-- KEYS[4+i] task hash of candidate ARGV[1+i], i = 1..n
-- ARGV[1] lease expiry score (Unix s)
-- ARGV[1+i] candidate task ids read from the right end of pending
-- Returns the msg on success; 0 the queue is paused; -1 the right end is not a candidate
-- (nothing written); -2 the right end had no task hash and was dropped from pending.
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local tail = redis.call('LINDEX', KEYS[1], -1)
local task
for i = 2, #ARGV do
  if ARGV[i] == tail then task = KEYS[3 + i] end
end
if not task then return -1 end
if redis.call('EXISTS', task) == 0 then
  redis.call('RPOP', KEYS[1])
  return -2
end
redis.call('LMOVE', KEYS[1], KEYS[3], 'RIGHT', 'LEFT')
redis.call('HSET', task, 'state', 'active')
redis.call('HDEL', task, 'pending_since')
redis.call('ZADD', KEYS[4], ARGV[1], tail)
return redis.call('HGET', task, 'msg')
`,
};
