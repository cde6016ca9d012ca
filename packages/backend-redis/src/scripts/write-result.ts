import type { LuaScript } from "./lua-script.js";

/** Stores a handler's result on an existing task. */
export const writeResultScript: LuaScript = {
  name: "write-result",
  numberOfKeys: 1,
  lua: `-- write-result
-- KEYS[1] task hash
-- ARGV[1] result bytes
-- Returns 1 written; 0 no such task (nothing written).
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'result', ARGV[1])
return 1
`,
};
