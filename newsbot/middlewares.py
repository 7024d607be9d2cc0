"""Downloader middleware of incremental crawls: known, unchanged articles are not fetched.

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

from datetime import datetime, timedelta, timezone

from scrapy.exceptions import IgnoreRequest, NotConfigured

from newsbot.normalise.dates import normalise_date
from newsbot.state import KnownRecord, StateStore
from newsbot.workers import open_state
from newsbot.urls import SiteRules

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
        store = open_state(settings)
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
