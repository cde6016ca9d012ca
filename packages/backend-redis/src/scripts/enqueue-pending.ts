import { NOTIFY_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/** ∅ → pending: stores a new task at the back of the line, optionally under a unique lock. */
export const enqueuePendingScript: LuaScript = {
  name: "enqueue-pending",
  numberOfKeys: 3,
  lua: `-- enqueue-pending: ∅ → pending
-- KEYS[1] task hash        KEYS[2] pending list
-- KEYS[3] unique lock key (not touched when ARGV[4] is "0"; pass any key of the queue then)
-- ARGV[1] task id          ARGV[2] msg (TaskMessage protobuf)
-- ARGV[3] pending_since (Unix ns)   ARGV[4] lock TTL in ms, "0" when not unique
-- ARGV[5] unique_key field value, "" for none   ARGV[6] notify channel, "" for none
-- Returns 1 stored; 0 the ID exists (nothing written); -1 the unique lock is held (nothing written).
${NOTIFY_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[4] ~= '0' then
  if not redis.call('SET', KEYS[3], ARGV[1], 'NX', 'PX', ARGV[4]) then return -1 end
end
redis.call('HSET', KEYS[1], 'msg', ARGV[2], 'state', 'pending', 'pending_since', ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'unique_key', ARGV[5]) end
redis.call('LPUSH', KEYS[2], ARGV[1])
notify(ARGV[6])
return 1
`,
};
