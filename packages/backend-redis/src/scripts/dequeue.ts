import type { LuaScript } from "./lua-script.js";

/**
 * pending → active for one or more tasks at the dequeue end. Task hashes must be declared
 * keys, so the caller passes the IDs it believes are at the right end of pending (read with
 * LRANGE, or reported by the previous call); the script takes them in order while each is
 * still the right end, and reports the IDs now there so the next call needs no read first.
 */
export const dequeueScript: LuaScript = {
  name: "dequeue",
  numberOfKeys: "variable",
  lua: `-- dequeue: pending → active, one task per candidate while candidates match the right end
-- KEYS[1] pending list     KEYS[2] paused flag      KEYS[3] active list   KEYS[4] lease zset
-- KEYS[4+i] task hash of candidate ARGV[2+i], i = 1..n
-- ARGV[1] lease expiry score (Unix s)
-- ARGV[2] how many IDs to report from the right end afterwards
-- ARGV[2+i] candidate task ids, next first
-- A right end whose task hash is gone is dropped from pending and skipped.
-- Returns 0 when the queue is paused (nothing written); else {msgs of the tasks taken, in
-- order (empty when the right end is not the first candidate), IDs now at the right end, next
-- last}.
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local msgs = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('LINDEX', KEYS[1], -1) ~= id then break end
  local task = KEYS[2 + i]
  local msg = redis.call('HGET', task, 'msg')
  if msg then
    redis.call('LMOVE', KEYS[1], KEYS[3], 'RIGHT', 'LEFT')
    redis.call('HSET', task, 'state', 'active')
    redis.call('HDEL', task, 'pending_since')
    redis.call('ZADD', KEYS[4], ARGV[1], id)
    msgs[#msgs + 1] = msg
  else
    redis.call('RPOP', KEYS[1])
  end
end
return {msgs, redis.call('LRANGE', KEYS[1], -tonumber(ARGV[2]), -1)}
`,
};
