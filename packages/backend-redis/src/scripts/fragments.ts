// Lua helpers shared by several scripts; each script inlines what it needs after its header.

/**
 * `count_processed(day_key, total_key, ttl_s, max_int, n)`: `n` processed tasks for the day
 * (the day key expires `ttl_s` after its first increment) and in the total, which wraps to 1 at
 * MaxInt64 as in Go asynq (stepping one by one only when the total is near it).
 * `count_failure(...)` counts one processed and one failed task together.
 */
export const STATS_LUA = `
local function bump_day(day_key, ttl, n)
  if redis.call('INCRBY', day_key, n) == n then redis.call('EXPIRE', day_key, ttl) end
end
local function count_processed(day_key, total_key, ttl, max_int, n)
  bump_day(day_key, ttl, n)
  local total = redis.call('GET', total_key)
  if total and #total >= 19 then
    for _ = 1, n do
      if redis.call('GET', total_key) == max_int then
        redis.call('SET', total_key, 1)
      else
        redis.call('INCR', total_key)
      end
    end
  else
    redis.call('INCRBY', total_key, n)
  end
end
local function count_failure(processed_day, failed_day, processed_total, failed_total, ttl, max_int)
  bump_day(processed_day, ttl, 1)
  bump_day(failed_day, ttl, 1)
  if redis.call('GET', processed_total) == max_int then
    redis.call('SET', processed_total, 1)
    redis.call('SET', failed_total, 1)
  else
    redis.call('INCR', processed_total)
    redis.call('INCR', failed_total)
  end
end
`;

/** `archive_needs_trim(archived_key, cutoff_score, max_size)`: true when trimming has work to do. */
export const TRIM_CHECK_LUA = `
local function archive_needs_trim(archived, cutoff, max_size)
  if redis.call('ZCARD', archived) > tonumber(max_size) then return true end
  return redis.call('ZCOUNT', archived, '-inf', cutoff) > 0
end
`;

/** `notify(channel)`: wakes waiting workers; "" disables it. */
export const NOTIFY_LUA = `
local function notify(channel)
  if channel ~= '' then redis.call('PUBLISH', channel, '1') end
end
`;
