import type { LuaScript } from "./lua-script.js";

/**
 * Deletes archived tasks beyond the cap or past the cutoff, hashes included. The caller lists
 * candidate IDs it read; the script re-checks each one against the archive as it is now and
 * deletes only those that still qualify.
 */
export const trimArchiveScript: LuaScript = {
  name: "trim-archive",
  numberOfKeys: "variable",
  lua: `-- trim-archive
-- KEYS[1] archived zset    KEYS[2..n] task hashes of ARGV[3..n+1], in the same order
-- ARGV[1] cutoff score (Unix s): entries at or before it go
-- ARGV[2] max size: the oldest entries beyond it go
-- ARGV[3..] candidate task ids
-- Returns how many tasks were deleted.
local cutoff = tonumber(ARGV[1])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
local doomed = {}
for i = 3, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score then
    if tonumber(score) <= cutoff or redis.call('ZRANK', KEYS[1], ARGV[i]) < excess then
      doomed[#doomed + 1] = i
    end
  end
end
for _, i in ipairs(doomed) do
  redis.call('ZREM', KEYS[1], ARGV[i])
  redis.call('DEL', KEYS[i - 1])
end
return #doomed
`,
};
