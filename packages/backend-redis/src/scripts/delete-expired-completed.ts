import type { LuaScript } from "./lua-script.js";

/**
 * completed → deleted once the retention ended. The caller reads expired IDs first; the script
 * re-checks each score.
 */
export const deleteExpiredCompletedScript: LuaScript = {
  name: "delete-expired-completed",
  numberOfKeys: "variable",
  lua: `-- delete-expired-completed: completed → deleted
-- KEYS[1] completed zset   KEYS[2..n] task hashes of ARGV[2..n], in the same order
-- ARGV[1] now score (Unix s)   ARGV[2..] task ids
-- Returns how many tasks were deleted.
local now = tonumber(ARGV[1])
local deleted = 0
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= now then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('DEL', KEYS[i])
    deleted = deleted + 1
  end
end
return deleted
`,
};
