"""newsbot's downloader middlewares.

``OffsiteRedirects``, ``RetryAfter``, ``BoundedRobotsTxt``: the site does not control the
crawl (off-site redirects, ``Retry-After``, RFC 9309 robots.txt rules); see each class.

``SkipKnownArticles``: in incremental crawls, a redirect to a known, unchanged article is
not followed.

The spider's planner (``newsbot.frontier``) decides about every article link before a
request exists. A redirect makes a request the spider never saw: a legacy URL answering
301 with ``/article/<id>``. This middleware puts those targets to the same decision
(``Planner.decide_redirect``); a known, unchanged one is dropped (``KnownArticle``, counted in
``newsbot/incremental/skipped_known``), the URLs it was reached from are remembered as
aliases (not requested next time), and the spider follows the links the state recorded for
it. Requests asked for by name (``start_urls``: ``dont_filter``) always pass.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from time import monotonic

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import call_later
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from newsbot.failures import OffsiteRedirect
from newsbot.frontier import Planner
from newsbot.urls import SiteRules

logger = logging.getLogger(__name__)

ARTICLE_META = "newsbot_article"
REQUESTED_META = "newsbot_requested"  # the article URL as the spider requested it (the frontier's key)
HINTS_META = "newsbot_hints"  # {source: hint} the planner had for it
RESCHEDULED_META = "newsbot_rescheduled"  # skipped earlier in the run, due after a later hint


class KnownArticle(IgnoreRequest):
    """The article is known and nothing says it changed."""

    def __init__(self, article_id: str):
        self.article_id = article_id
        super().__init__(f"known and unchanged: {article_id}")


class SkipKnownArticles:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_INCREMENTAL"):
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        return cls(crawler)

    @property
    def planner(self) -> Planner | None:
        return getattr(self.crawler.spider, "planner", None)  # the spider that decides what to follow

    def process_request(self, request):
        redirected_from = request.meta.get("redirect_urls")
        if not request.meta.get(ARTICLE_META) or request.dont_filter or not redirected_from or self.planner is None:
            return None
        decision, known = self.planner.decide_redirect(request.url, request.meta.get(HINTS_META) or {})
        if decision.fetch:
            return None
        site = self.planner.site
        keys = [f"url:{url}" for url in (site.canonical(u) for u in redirected_from) if url]
        if keys:
            self.planner.store.add_aliases(known.article_id, keys)
        self.crawler.stats.inc_value("newsbot/incremental/skipped_known")
        raise KnownArticle(known.article_id)


# --- the hostile web ------------------------------------------------------------------

# RFC 9309 2.5: crawlers must parse at least 500 KiB of a robots.txt; newsbot parses exactly
# that much (a 6 MB robots.txt would otherwise cost tens of seconds and hundreds of MB).
ROBOTS_MAX_BYTES = 500 * 1024
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class OffsiteRedirects:
    """A redirect may only go where a link may: the site's scheme, host and port (the
    production hosts being aliases of each other). Anything else raises ``OffsiteRedirect``
    (reason ``offsite_redirect``); Scrapy's own off-site check ignores the port."""

    def __init__(self, site: SiteRules, stats):
        self.site = site
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(SiteRules(crawler.settings.get("NEWSBOT_SITE_URL")), crawler.stats)
        # Connected before Scrapy's OffsiteMiddleware (built after this one), which drops an
        # off-site request at scheduling without calling its errback: the loss would leave
        # no trace. Let it through to process_request, which fails it with a reason.
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def request_scheduled(self, request, spider=None):
        if request.meta.get("redirect_urls") and not self.site.same_origin(request.url):
            request.meta["allow_offsite"] = True

    def process_request(self, request):
        if not request.meta.get("redirect_urls") or self.site.same_origin(request.url):
            return None
        self.stats.inc_value("newsbot/redirects/offsite")
        raise OffsiteRedirect(f"redirected off the site to {request.url} "
                              f"(from {request.meta['redirect_urls'][0]})")


class RetryAfter(RetryMiddleware):
    """Scrapy's retries, but a 429 or 503 with ``Retry-After`` (seconds or an HTTP date)
    pauses the whole download slot (the site, not only the retried URL) for as long as it
    says, capped at ``NEWSBOT_RETRY_AFTER_MAX`` seconds: the site asked *us* to wait."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSBOT_RETRY_AFTER_MAX", 120.0)
        self.paused_until: dict[str, float] = {}  # download slot key -> monotonic time

    def process_response(self, request, response, spider=None):
        if (response.status in (429, 503) and response.status in self.retry_http_codes
                and not request.meta.get("dont_retry")
                and request.meta.get("retry_times", 0) < request.meta.get("max_retry_times", self.max_retry_times)):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait:
                wait = min(wait, self.max_wait)
                self.crawler.stats.inc_value("newsbot/retry_after/waits")
                self.crawler.stats.max_value("newsbot/retry_after/max_seconds", wait)
                self.pause_slot(request, wait)
        return super().process_response(request, response)

    def pause_slot(self, request, wait: float) -> None:
        """No request of this slot starts before ``wait`` seconds from now (the retry too)."""
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is None:
            return
        until = monotonic() + wait
        if self.paused_until.get(key, 0.0) >= until:
            return
        if slot.latercall is not None:  # Scrapy's own wait for DOWNLOAD_DELAY, or a shorter pause
            slot.latercall.cancel()
        self.paused_until[key] = until
        # The slot's queue waits while latercall is set; Scrapy's own callback resumes it.
        slot.latercall = call_later(max(wait, slot.download_delay()), downloader._latercall, slot)


def retry_after_seconds(value, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header value asks to wait, or None when it says nothing usable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BoundedRobotsTxt(RobotsTxtMiddleware):
    """Scrapy's robots.txt handling with RFC 9309's failure rules: a robots.txt answering 5xx
    (after retries) or not reachable at all means disallow-all for the run
    (``newsbot/robots/unreachable``, unhealthy in cron), and only its first 500 KiB are
    parsed (``newsbot/robots/oversized``)."""

    async def robot_parser(self, request):
        parser = await super().robot_parser(request)
        # Requests that waited for the robots.txt download together get the parser from one
        # shared Deferred, and all but the first are handed None (allow all): ask again.
        current = self._parsers.get(urlparse_cached(request).netloc)
        return parser if parser is not None or isinstance(current, Deferred) else current

    def _robots_error(self, exc, netloc):
        super()._robots_error(exc, netloc)
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value("newsbot/robots/unreachable")
            logger.error("robots.txt of %s could not be fetched (%s): disallowing everything (RFC 9309)",
                         netloc, exc)
            self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)

    async def _parse_robots(self, response, netloc, request):
        body = response.body
        if response.status >= 500:
            self._stats.inc_value("newsbot/robots/unreachable")
            logger.error("robots.txt of %s answered HTTP %s: disallowing everything (RFC 9309)",
                         netloc, response.status)
            body = DISALLOW_ALL
        elif len(body) > ROBOTS_MAX_BYTES:
            self._stats.inc_value("newsbot/robots/oversized")
            logger.warning("robots.txt of %s is %d bytes: only its first %d are read (RFC 9309)",
                           netloc, len(body), ROBOTS_MAX_BYTES)
            body = body[:ROBOTS_MAX_BYTES]
            body = body[: body.rfind(b"\n") + 1] or body  # not half a rule
        await super()._parse_robots(response.replace(body=body), netloc, request)
