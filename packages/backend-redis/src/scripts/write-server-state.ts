import type { LuaScript } from "./lua-script.js";

/** Replaces a server's record and its worker hash, both expiring after the TTL. */
export const writeServerStateScript: LuaScript = {
  name: "write-server-state",
  numberOfKeys: 2,
  lua: `-- write-server-state
-- KEYS[1] server info key  KEYS[2] workers hash (both tagged {host:pid:serverId})
-- ARGV[1] TTL in ms        ARGV[2] ServerInfo protobuf
-- ARGV[3+2i], ARGV[4+2i] for worker i = 0..n-1: task id, WorkerInfo protobuf
-- Returns 1.
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
for i = 3, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
`,
};
