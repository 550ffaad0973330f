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

/**
 * A spending-cap charge (the rules of the SQL function `usage_budget_charge`): periods are UTC days or calendar
 * months of Redis's clock, or the period containing ARGV[5] when settling. Spend per period is a field of one hash
 * per key, which expires a month after the last charge.
 */
export const BUDGET_SCRIPT = `local key = KEYS[1]
local period = ARGV[1]
local limit = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local force = ARGV[4] == '1'
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local base = now
if ARGV[5] ~= '' then base = tonumber(ARGV[5]) end
local day = 86400000
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400
  if m <= 2 then y = y + 1 end
  return y, m
end
local days = math.floor(base / day)
local start
local reset
if period == 'day' then
  start = days * day
  reset = start + day
else
  local y, m = civil_from_days(days)
  start = days_from_civil(y, m, 1) * day
  if m == 12 then reset = days_from_civil(y + 1, 1, 1) * day else reset = days_from_civil(y, m + 1, 1) * day end
end
local field = period .. ':' .. string.format('%d', start)
local spent = tonumber(redis.call('HGET', key, field) or '0')
local ok = force or amount <= 0 or spent + amount <= limit
if ok then
  spent = math.max(spent + amount, 0)
  redis.call('HSET', key, field, string.format('%d', spent))
  local expires = math.max(reset, now) + 32 * day
  if redis.call('PTTL', key) < expires - now then redis.call('PEXPIREAT', key, expires) end
end
return { ok and 1 or 0, limit, spent, start, reset, now }
`;

/** SHA-1 of {@link BUDGET_SCRIPT} as Redis computes it for EVALSHA. */
export const BUDGET_SCRIPT_SHA1 = 'eacb2f803b9ed44f3ea3fd974d24026c6b14b6a5';
