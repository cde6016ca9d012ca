import type { LuaScript } from "./lua-script.js";

/** Moves the lease of tasks that still hold one; others are left alone. */
export const extendLeaseScript: LuaScript = {
  name: "extend-lease",
  numberOfKeys: 1,
  lua: `-- extend-lease
-- KEYS[1] lease zset
-- ARGV[1] new lease expiry score (Unix s)   ARGV[2..] task ids
-- Returns the ids whose lease was set (those present in the lease zset).
local extended = {}
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], ARGV[1], ARGV[i])
    extended[#extended + 1] = ARGV[i]
  end
end
return extended
`,
};
