import type { LuaScript } from "./lua-script.js";

/**
 * Replaces the msg of a scheduled task. The caller re-encodes the message it read with the new
 * payload; the script writes it only if the stored msg is still the one read.
 */
export const updateTaskPayloadScript: LuaScript = {
  name: "update-task-payload",
  numberOfKeys: 1,
  lua: `-- update-task-payload
-- KEYS[1] task hash
-- ARGV[1] msg as read      ARGV[2] new msg
-- Returns 1 updated; 0 no such task; -1 not scheduled; -9 msg changed since read. Only 1 writes.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 0 end
if state ~= 'scheduled' then return -1 end
if redis.call('HGET', KEYS[1], 'msg') ~= ARGV[1] then return -9 end
redis.call('HSET', KEYS[1], 'msg', ARGV[2])
return 1
`,
};
