"""One politeness budget for all workers: a token bucket per host in Redis.

With ``NEWSBOT_REDIS_URL`` set, every request to the site first takes a token from the
bucket ``newsbot:rate:<host>``, filled at ``NEWSBOT_GLOBAL_RATE`` tokens per second (default:
``1 / DOWNLOAD_DELAY``, what one polite crawler sends) and holding at most
``NEWSBOT_GLOBAL_BURST`` tokens (default 1). The bucket lives in one Lua script on Redis's
clock, so N workers on N machines together send at most ``burst + rate × T`` requests in
any T seconds. A request that finds the bucket empty waits (without blocking the worker) as
long as Redis says a token takes to come. AutoThrottle and ``DOWNLOAD_DELAY`` still apply per
worker on top. ``NEWSBOT_GLOBAL_RATE = 0``, or no Redis, turns it off.

It sits last in the downloader chain (950), so requests answered from the HTTP cache, or
dropped as known articles, take no token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import sleep

from newsbot.workers import redis_client, redis_url

# KEYS: the bucket. ARGV: rate (tokens/s), burst. Returns 0 (token taken) or the ms to wait.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1e6
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate * 1000) end
-- Stored to the microsecond: tostring() keeps 14 digits, so 'at' went to the 0.1 ms and a
-- call within that of the last one got max(0, negative) time: tokens for nothing.
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 60000)
return wait
"""


def global_rate(settings) -> float:
    if settings.get("NEWSBOT_GLOBAL_RATE") not in (None, ""):
        return settings.getfloat("NEWSBOT_GLOBAL_RATE")
    delay = settings.getfloat("DOWNLOAD_DELAY")
    return 1 / delay if delay > 0 else 0.0


class GlobalRateLimit:
    def __init__(self, server, rate: float, burst: float, stats):
        self.rate = rate
        self.burst = burst
        self.stats = stats
        self._take = server.register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not redis_url(settings):
            # No message: Scrapy would log "Disabled ..." as a WARNING on every normal run. Without
            # Redis a single worker's DOWNLOAD_DELAY is the limit.
            raise NotConfigured()
        rate = global_rate(settings)
        if rate <= 0:
            raise NotConfigured()  # NEWSBOT_GLOBAL_RATE is 0 (and DOWNLOAD_DELAY is 0): no limit
        crawler.stats.set_value("newsbot/ratelimit/rate", rate)
        return cls(redis_client(settings), rate, settings.getfloat("NEWSBOT_GLOBAL_BURST", 1.0), crawler.stats)

    async def process_request(self, request):
        key = f"newsbot:rate:{urlsplit(request.url).netloc}"
        waited = 0
        while wait_ms := self._take(keys=[key], args=[self.rate, self.burst]):
            waited += wait_ms
            await sleep(wait_ms / 1000)
        if waited:
            self.stats.inc_value("newsbot/ratelimit/waited_ms", waited)
        return None
