import { NOTIFY_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * scheduled/retry → pending, or → aggregating for grouped tasks (re-registering the group,
 * unlike Go asynq). The caller reads the due IDs and their groups first; the script re-checks
 * that each is still due with the same group and skips it otherwise.
 */
export const forwardDueScript: LuaScript = {
  name: "forward-due",
  numberOfKeys: "variable",
  lua: `-- forward-due: scheduled/retry → pending | aggregating
-- KEYS[1] source zset (scheduled or retry)   KEYS[2] pending list   KEYS[3] groups set
-- KEYS[2+2i], KEYS[3+2i] for task i = 1..n: its task hash, and its group zset (any key of
--   the queue when it has no group)
-- ARGV[1] now score (Unix s)   ARGV[2] pending_since (Unix ns)   ARGV[3] notify channel, "" for none
-- ARGV[2+2i], ARGV[3+2i] for task i: its id, and its group name as read ("" for none)
-- Returns how many listed tasks were handled: moved, or dropped from the source because
-- their hash no longer exists.
${NOTIFY_LUA}
local now = tonumber(ARGV[1])
local handled, to_pending = 0, 0
for i = 1, (#KEYS - 3) / 2 do
  local task, group_key = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
  local id, group = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) <= now then
    if redis.call('EXISTS', task) == 0 then
      redis.call('ZREM', KEYS[1], id)
      handled = handled + 1
    else
      local stored = redis.call('HGET', task, 'group')
      if not stored then stored = '' end
      if stored == group then
        redis.call('ZREM', KEYS[1], id)
        if group ~= '' then
          redis.call('ZADD', group_key, ARGV[1], id)
          redis.call('HSET', task, 'state', 'aggregating')
          redis.call('SADD', KEYS[3], group)
        else
          redis.call('LPUSH', KEYS[2], id)
          redis.call('HSET', task, 'state', 'pending', 'pending_since', ARGV[2])
          to_pending = to_pending + 1
        end
        handled = handled + 1
      end
    end
  end
end
if to_pending > 0 then notify(ARGV[3]) end
return handled
`,
};
