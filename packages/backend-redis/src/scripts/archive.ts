import { STATS_LUA, TRIM_CHECK_LUA } from "./fragments.js";
import type { LuaScript } from "./lua-script.js";

/**
 * active → archived, counting processed and failed. Trimming needs the trimmed tasks' hashes as
 * keys, so the script only reports whether the archive needs it (see trim-archive).
 */
export const archiveScript: LuaScript = {
  name: "archive",
  numberOfKeys: 8,
  lua: `-- archive: active → archived
-- KEYS[1] task hash        KEYS[2] active list      KEYS[3] lease zset     KEYS[4] archived zset
-- KEYS[5] processed:<day>  KEYS[6] failed:<day>     KEYS[7] processed total  KEYS[8] failed total
-- ARGV[1] task id          ARGV[2] msg              ARGV[3] now score (Unix s)
-- ARGV[4] daily stats TTL (s)   ARGV[5] MaxInt64
-- ARGV[6] trim cutoff score (Unix s)   ARGV[7] archive max size
-- Returns 1 archived; 2 archived and the archive needs trimming; 0 not active (nothing written).
${STATS_LUA}
${TRIM_CHECK_LUA}
if not redis.call('ZSCORE', KEYS[3], ARGV[1]) then return 0 end
if redis.call('LREM', KEYS[2], 0, ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[1], 'msg', ARGV[2], 'state', 'archived')
count_failure(KEYS[5], KEYS[6], KEYS[7], KEYS[8], ARGV[4], ARGV[5])
if archive_needs_trim(KEYS[4], ARGV[6], ARGV[7]) then return 2 end
return 1
`,
};
