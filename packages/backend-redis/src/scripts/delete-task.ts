import type { LuaScript } from "./lua-script.js";

/**
 * Any non-active state → deleted, releasing the unique lock the task still owns. The caller
 * reads the state, group and lock key first; the script re-checks them.
 */
export const deleteTaskScript: LuaScript = {
  name: "delete-task",
  numberOfKeys: 4,
  lua: `-- delete-task: pending | scheduled | retry | archived | completed | aggregating → deleted
-- KEYS[1] task hash
-- KEYS[2] the task's container as read: pending list, its state zset, or its group zset
-- KEYS[3] groups set
-- KEYS[4] unique lock key (not touched when ARGV[4] is "0"; pass any key of the queue then)
-- ARGV[1] task id          ARGV[2] state as read   ARGV[3] group name as read ("" for none)
-- ARGV[4] "1" to release the lock in KEYS[4] if it still holds ARGV[1]
-- Returns 1 deleted; 0 no such task; -1 active; -3 not in its container; -9 state or group
-- changed since read. Only 1 writes.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == 'active' then return -1 end
if state ~= ARGV[2] then return -9 end
local aggregating = state == 'aggregating'
if aggregating and redis.call('HGET', KEYS[1], 'group') ~= ARGV[3] then return -9 end
if state == 'pending' then
  if redis.call('LREM', KEYS[2], 0, ARGV[1]) == 0 then return -3 end
else
  if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return -3 end
  if aggregating and redis.call('ZCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[3], ARGV[3]) end
end
if ARGV[4] == '1' and redis.call('GET', KEYS[4]) == ARGV[1] then redis.call('DEL', KEYS[4]) end
redis.call('DEL', KEYS[1])
return 1
`,
};
