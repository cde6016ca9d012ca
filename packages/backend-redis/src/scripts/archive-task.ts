import { TRIM_CHECK_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * pending/scheduled/retry/completed/aggregating → archived at now. The caller reads the state
 * (and group) first to name the container; the script re-checks them. Trimming is reported,
 * then done by trim-archive.
 */
export const archiveTaskScript: LuaScript = {
  name: "archive-task",
  numberOfKeys: 4,
  lua: `-- archive-task: pending | scheduled | retry | completed | aggregating → archived
-- KEYS[1] task hash
-- KEYS[2] the task's container as read: pending list, its state zset, or its group zset
-- KEYS[3] archived zset    KEYS[4] groups set
-- ARGV[1] task id          ARGV[2] state as read   ARGV[3] group name as read ("" for none)
-- ARGV[4] now score (Unix s)   ARGV[5] trim cutoff score   ARGV[6] archive max size
-- Returns 1 archived; 2 archived and the archive needs trimming; 0 no such task; -1 active;
-- -2 already archived; -3 not in its container; -9 state or group changed since read.
-- Only 1 and 2 write.
${TRIM_CHECK_LUA}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state == 'active' then return -1 end
if state == 'archived' then return -2 end
if state ~= ARGV[2] then return -9 end
local aggregating = state == 'aggregating'
if aggregating and redis.call('HGET', KEYS[1], 'group') ~= ARGV[3] then return -9 end
if state == 'pending' then
  if redis.call('LREM', KEYS[2], 1, ARGV[1]) == 0 then return -3 end
  redis.call('HDEL', KEYS[1], 'pending_since')
else
  if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return -3 end
  if aggregating and redis.call('ZCARD', KEYS[2]) == 0 then redis.call('SREM', KEYS[4], ARGV[3]) end
end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[1], 'state', 'archived')
if archive_needs_trim(KEYS[3], ARGV[5], ARGV[6]) then return 2 end
return 1
`,
};
