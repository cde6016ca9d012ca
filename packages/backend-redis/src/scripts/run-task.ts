import { NOTIFY_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * scheduled/retry/archived/completed/aggregating → pending, writing pending_since. The caller
 * reads the state (and group) first to name the container; the script re-checks them.
 */
export const runTaskScript: LuaScript = {
  name: "run-task",
  numberOfKeys: 4,
  lua: `-- run-task: scheduled | retry | archived | completed | aggregating → pending
-- KEYS[1] task hash        KEYS[2] pending list
-- KEYS[3] the task's container as read: its state zset, or its group zset
-- KEYS[4] groups set
-- ARGV[1] task id          ARGV[2] state as read   ARGV[3] group name as read ("" for none)
-- ARGV[4] pending_since (Unix ns)   ARGV[5] notify channel, "" for none
-- Returns 1 moved; 0 no such task; -1 active; -2 already pending; -3 not in its container
-- (e.g. inside an aggregation set); -9 state or group changed since read. Only 1 writes.
${NOTIFY_LUA}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == 'active' then return -1 end
if state == 'pending' then return -2 end
if state ~= ARGV[2] then return -9 end
local aggregating = state == 'aggregating'
if aggregating and redis.call('HGET', KEYS[1], 'group') ~= ARGV[3] then return -9 end
if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then return -3 end
if aggregating and redis.call('ZCARD', KEYS[3]) == 0 then redis.call('SREM', KEYS[4], ARGV[3]) end
redis.call('LPUSH', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'state', 'pending', 'pending_since', ARGV[4])
notify(ARGV[5])
return 1
`,
};
