import type { LuaScript } from "./lua-script.js";

/**
 * ∅ → pending for one or more new tasks of a queue (enqueues arriving together are written in
 * one call), each at the back of the line, optionally under a unique lock. Each task is checked
 * and written on its own, in order, exactly as one call per task would.
 */
export const enqueuePendingScript: LuaScript = {
  name: "enqueue-pending",
  numberOfKeys: "variable",
  lua: `-- enqueue-pending: ∅ → pending, for each listed task
-- KEYS[1] pending list
-- KEYS[1+i] task hash of task i = 1..n, then the unique lock keys of the tasks that take one
-- ARGV[1] notify channel, "" for none
-- ARGV[4i-2], …, ARGV[4i+1] for task i: its id, its msg (TaskMessage protobuf), its
--   pending_since (Unix ns), and its lock: "0" when not unique, else j when it is the j-th task
--   taking a lock: its lock key is KEYS[1+n+j] (also its unique_key field value) and the lock's
--   TTL in ms is ARGV[1+4n+j]. With L locks, #KEYS is 1+n+L and #ARGV is 1+4n+L.
-- Publishes the first stored task's id on the notify channel.
-- Returns one code per task: 1 stored; 0 the ID exists; -1 the unique lock is held (nothing
-- written for that task).
local n = (#ARGV - #KEYS) / 3
local codes = {}
local first
for i = 1, n do
  local a = 4 * i - 2
  local id, task = ARGV[a], KEYS[1 + i]
  local lock = tonumber(ARGV[a + 3])
  local code = 1
  if redis.call('EXISTS', task) == 1 then
    code = 0
  elseif lock > 0 and not redis.call('SET', KEYS[1 + n + lock], id, 'NX', 'PX', ARGV[1 + 4 * n + lock]) then
    code = -1
  end
  if code == 1 then
    if lock == 0 then
      redis.call('HSET', task, 'msg', ARGV[a + 1], 'state', 'pending', 'pending_since', ARGV[a + 2])
    else
      redis.call('HSET', task, 'msg', ARGV[a + 1], 'state', 'pending', 'pending_since', ARGV[a + 2],
        'unique_key', KEYS[1 + n + lock])
    end
    redis.call('LPUSH', KEYS[1], id)
    first = first or id
  end
  codes[i] = code
end
if first and ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], first) end
return codes
`,
};
