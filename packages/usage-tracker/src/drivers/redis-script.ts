/**
 * The Redis rate-limit decision as one Lua script (the same rules as the SQL function `usage_rate_limit` and the
 * memory driver). It reads Redis's own clock (`TIME`), so instances with skewed clocks agree. Loaded once with
 * SCRIPT LOAD and run with EVALSHA; a test checks {@link RATE_LIMIT_SCRIPT_SHA1} against the text.
 */
export const RATE_LIMIT_SCRIPT = `local key = KEYS[1]
local algorithm = ARGV[1]
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local refill = tonumber(ARGV[5])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', key, 'a', 'w', 'u', 'p', 't', 'r')
local same = state[1] == algorithm
local success = false
local remaining = 0
local reset = 0
local retry = 0
local expires = 0
if algorithm == 'fixed_window' then
  local w = math.floor(now / window)
  local used = 0
  if same and tonumber(state[2]) == w then used = tonumber(state[3]) end
  success = used + cost <= limit
  if success then used = used + cost end
  remaining = math.max(limit - used, 0)
  reset = (w + 1) * window
  if not success then retry = reset - now end
  expires = reset
  redis.call('HSET', key, 'a', algorithm, 'w', w, 'u', used)
  redis.call('HDEL', key, 'p', 't', 'r')
elseif algorithm == 'sliding_window' then
  local w = math.floor(now / window)
  local elapsed = now - w * window
  local used = 0
  local previous = 0
  if same and tonumber(state[2]) == w then
    used = tonumber(state[3])
    previous = tonumber(state[4])
  elseif same and tonumber(state[2]) == w - 1 then
    previous = tonumber(state[3])
  end
  success = previous * (window - elapsed) + (used + cost) * window <= limit * window
  if success then used = used + cost end
  remaining = math.max(math.floor((limit * window - previous * (window - elapsed) - used * window) / window), 0)
  reset = (w + 1) * window
  if not success then
    if used + cost <= limit and previous > 0 then
      local needed = math.ceil(window - ((limit - used - cost) * window) / previous)
      retry = math.max(needed - elapsed, 1)
    else
      retry = reset - now
    end
  end
  expires = reset + window
  redis.call('HSET', key, 'a', algorithm, 'w', w, 'u', used, 'p', previous)
  redis.call('HDEL', key, 't', 'r')
else
  local tokens = limit
  local refilled = now
  if same and state[5] and state[6] then
    local intervals = math.max(math.floor((now - tonumber(state[6])) / window), 0)
    tokens = math.min(limit, tonumber(state[5]) + intervals * refill)
    refilled = tonumber(state[6]) + intervals * window
    if tokens == limit then refilled = math.max(refilled, now - window + 1) end
  end
  success = tokens >= cost
  if success then tokens = tokens - cost end
  remaining = tokens
  reset = refilled + window
  if not success then
    retry = math.max(refilled + math.ceil((cost - tokens) / refill) * window - now, 1)
  end
  expires = refilled + (math.ceil((limit - tokens) / refill) + 1) * window
  redis.call('HSET', key, 'a', algorithm, 't', tokens, 'r', refilled)
  redis.call('HDEL', key, 'w', 'u', 'p')
end
redis.call('PEXPIREAT', key, expires)
return { success and 1 or 0, limit, remaining, reset, retry, now }
`;

/** SHA-1 of {@link RATE_LIMIT_SCRIPT} as Redis computes it for EVALSHA. */
export const RATE_LIMIT_SCRIPT_SHA1 = '9e439c6b8ce4b3c8feba2ad8218bd2a5578f2328';
