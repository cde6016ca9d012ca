import type { LuaScript } from "./lua-script.js";

/**
 * The guarded first step of deleting a queue: refuses while tasks exist (or, forced, while
 * one is active), else deletes the queue's containers. The caller then deletes the rest of
 * the queue's keys (task hashes, groups, stats, locks) found by scanning its hash tag.
 */
export const deleteQueueScript: LuaScript = {
  name: "delete-queue",
  numberOfKeys: 10,
  lua: `-- delete-queue
-- KEYS[1] pending list     KEYS[2] active list      KEYS[3] scheduled zset   KEYS[4] retry zset
-- KEYS[5] archived zset    KEYS[6] completed zset   KEYS[7] lease zset       KEYS[8] groups set
-- KEYS[9] aggregation_sets zset   KEYS[10] paused flag
-- ARGV[1] "1" to delete tasks too (force)
-- Returns 1 containers deleted; -1 tasks exist (not forced); -2 a task is active (forced).
-- Only 1 writes.
local active = redis.call('LLEN', KEYS[2]) > 0
if ARGV[1] == '1' then
  if active then return -2 end
else
  if active or redis.call('LLEN', KEYS[1]) > 0 or redis.call('SCARD', KEYS[8]) > 0
    or redis.call('ZCARD', KEYS[9]) > 0 then
    return -1
  end
  for i = 3, 6 do
    if redis.call('ZCARD', KEYS[i]) > 0 then return -1 end
  end
end
for i = 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
`,
};
