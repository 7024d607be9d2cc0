"""newsbot's downloader middlewares.

``SkipKnownArticles``: incremental crawls do not fetch known, unchanged articles.
``OffsiteRedirects``, ``RetryAfter``, ``BoundedRobotsTxt``: the site does not control the
crawl (off-site redirects, ``Retry-After``, RFC 9309 robots.txt rules); see each class.

Incremental crawls: known, unchanged articles are not fetched.

A request for an article (``meta["newsbot_article"]``) whose article the state already
exported is dropped (``KnownArticle``, counted in ``newsbot/incremental/skipped_known``)
unless it was asked for by name (``start_urls``: ``dont_filter``) or something says it may
have changed: the date the feed or sitemap gave for it
(``meta["newsbot_changed"]``) is after the last visit, or the last visit is older than
``NEWSBOT_REFRESH_AGE_HOURS``. It sits in the downloader chain, not in the spider, so that
requests made by redirects (a legacy URL answering 301 to ``/article/<id>``) pass it too;
the URLs a skipped redirect came from are remembered as aliases, not requested next time.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from newsbot.failures import OffsiteRedirect

from newsbot.normalise.dates import normalise_date
from newsbot.paths import state_path
from newsbot.state import KnownRecord, StateStore
from newsbot.urls import SiteRules

logger = logging.getLogger(__name__)

ARTICLE_META = "newsbot_article"
CHANGED_META = "newsbot_changed"


class KnownArticle(IgnoreRequest):
    """The article is known and nothing says it changed."""


class SkipKnownArticles:
    def __init__(self, store: StateStore, site: SiteRules, refresh_age: timedelta, stats):
        self.store = store
        self.site = site
        self.refresh_age = refresh_age
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("NEWSBOT_INCREMENTAL"):
            raise NotConfigured("NEWSBOT_INCREMENTAL is off")
        store = StateStore(state_path(settings))
        middleware = cls(store, SiteRules(settings.get("NEWSBOT_SITE_URL")),
                         timedelta(hours=settings.getfloat("NEWSBOT_REFRESH_AGE_HOURS", 168)), crawler.stats)
        return middleware

    def process_request(self, request):
        if not request.meta.get(ARTICLE_META) or request.dont_filter:  # dont_filter: asked for by name
            return None
        known = self.store.find([f"url:{request.url}", f"id:{self.site.article_id(request.url)}"])
        if known is None or may_have_changed(known, request.meta.get(CHANGED_META), self.refresh_age):
            return None
        redirected_from = [self.site.canonical(url) for url in request.meta.get("redirect_urls", [])]
        keys = [f"url:{url}" for url in redirected_from if url]
        if keys:
            self.store.add_aliases(known.article_id, keys)
        self.stats.inc_value("newsbot/incremental/skipped_known")
        raise KnownArticle(f"known and unchanged: {known.article_id}")


def may_have_changed(known: KnownRecord, changed, refresh_age: timedelta,
                     now: datetime | None = None) -> bool:
    """Whether a known article should be fetched again."""
    if known.revision == 0:
        return True
    last_seen = datetime.fromisoformat(known.last_seen)
    if (now or datetime.now(timezone.utc)) - last_seen >= refresh_age:
        return True
    hint = normalise_date(changed).value if changed not in (None, "") else None
    if hint is None:
        return False
    hinted = datetime.fromisoformat(hint)
    if "T" not in hint:  # only the day: changed if that day is after the last visit's day
        return hinted.date() > last_seen.date()
    return hinted > last_seen


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
    """Scrapy's retries, but a 429 or 503 with ``Retry-After`` (seconds or an HTTP date) is
    retried no sooner than it says, capped at ``NEWSBOT_RETRY_AFTER_MAX`` seconds."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("NEWSBOT_RETRY_AFTER_MAX", 120.0)

    async def process_response(self, request, response, spider=None):
        if (response.status in (429, 503) and response.status in self.retry_http_codes
                and not request.meta.get("dont_retry")
                and request.meta.get("retry_times", 0) < request.meta.get("max_retry_times", self.max_retry_times)):
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if wait:
                wait = min(wait, self.max_wait)
                self.crawler.stats.inc_value("newsbot/retry_after/waits")
                self.crawler.stats.max_value("newsbot/retry_after/max_seconds", wait)
                await sleep(wait)
        return super().process_response(request, response)


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
