import { NOTIFY_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * A batch of one container (scheduled/retry/archived zset or a group) → pending. The caller
 * lists IDs it read in score order; the script moves those still in the container.
 */
export const runAllScript: LuaScript = {
  name: "run-all",
  numberOfKeys: "variable",
  lua: `-- run-all: scheduled | retry | archived | aggregating (one group) → pending, one batch
-- KEYS[1] source zset (state zset or group zset)   KEYS[2] pending list   KEYS[3] groups set
-- KEYS[4..n] task hashes of ARGV[5..], in the same order
-- ARGV[1] source state     ARGV[2] group name ("" unless aggregating)
-- ARGV[3] pending_since (Unix ns)   ARGV[4] notify channel, "" for none   ARGV[5..] task ids
-- Returns how many tasks moved.
${NOTIFY_LUA}
local moved = 0
for i = 5, #ARGV do
  local task = KEYS[i - 1]
  if redis.call('HGET', task, 'state') == ARGV[1] and redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then
    redis.call('LPUSH', KEYS[2], ARGV[i])
    redis.call('HSET', task, 'state', 'pending', 'pending_since', ARGV[3])
    moved = moved + 1
  end
end
if ARGV[1] == 'aggregating' and redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[3], ARGV[2])
end
if moved > 0 then notify(ARGV[4]) end
return moved
`,
};
