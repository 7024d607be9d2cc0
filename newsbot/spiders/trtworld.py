"""The TRT World spider: it only decides what to follow.

Discovery: ``/robots.txt`` (its ``Sitemap:`` lines), ``/sitemap.xml``, the RSS feed
``/feed/rss.xml`` and the homepage; then every article link of listing pages and every
article link of article pages, Explore block included. Extraction lives in
``newsbot.pages``, normalisation in ``newsbot.pipelines``.

Arguments (``-a name=value``):

* ``max_articles``: stop after this many articles were exported.
* ``since``: an ISO date; skip articles the feed, sitemap or page dates before it.
* ``start_urls``: comma-separated URLs to crawl instead of the discovery seeds: only those
  pages (and, for a listing page, the articles it links to) are crawled.
"""

from __future__ import annotations

from datetime import date

from scrapy import Request, Spider
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newsbot.frontier import Planner
from newsbot.middlewares import ARTICLE_META, HINTS_META, REQUESTED_META, RESCHEDULED_META, KnownArticle
from newsbot.normalise.dates import normalise_date
from newsbot.pages import ArticlePage, page_links
from newsbot.pages.wall import wall_kind
from newsbot.signals import article_rejected
from newsbot.state import StateBackend
from newsbot.urls import DEFAULT_SITE_URL, SiteRules

ROBOTS_PATH = "/robots.txt"
SITEMAP_PATH = "/sitemap.xml"
FEED_PATH = "/feed/rss.xml"
HOME_PATH = "/"
FEED_ITEMS = "//*[local-name()='item' or local-name()='entry']"
FEED_ITEM_LINK = "./*[local-name()='link']/@href | ./*[local-name()='link']/text() | ./*[local-name()='guid']/text()"
FEED_ITEM_DATE = ("./*[local-name()='pubDate' or local-name()='published' or local-name()='updated'"
                  " or local-name()='date']/text()")
GZIP_MAGIC = b"\x1f\x8b"


class TrtWorldSpider(Spider):
    name = "trtworld"

    def __init__(self, *args, max_articles=None, since=None, start_urls=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_articles = _positive_int("max_articles", max_articles)
        self.since = _iso_date("since", since)
        self.arguments = {name: value for name, value in
                          (("max_articles", max_articles), ("since", since), ("start_urls", start_urls)) if value}
        self.start_urls = [u.strip() for u in (start_urls or "").split(",") if u.strip()]
        # Given pages are crawled alone (a listing page: with its articles), not followed further.
        self.follow = not self.start_urls
        self.site = SiteRules(DEFAULT_SITE_URL)
        self.state: StateBackend | None = None
        self.planner: Planner | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site = SiteRules(settings.get("NEWSBOT_SITE_URL", DEFAULT_SITE_URL))
        spider.allowed_domains = spider.site.allowed_domains
        if settings.getbool("NEWSBOT_INCREMENTAL"):
            spider.planner = Planner.from_crawler(crawler)
            spider.state = spider.planner.store
        if spider.max_articles:
            crawler.settings.set("CLOSESPIDER_ITEMCOUNT", spider.max_articles, priority="spider")
        return spider

    # --- seeds -----------------------------------------------------------------------

    async def start(self):
        if self.start_urls:
            for url in self.start_urls:
                request = self.follow_url(url)
                if request is None:
                    self.logger.error("start_urls: %s is not a page of %s; skipped", url, self.site.root)
                    self.crawler.stats.inc_value("newsbot/start_urls/rejected")
                else:
                    yield request.replace(dont_filter=True)
            return
        yield self.discovery_request(ROBOTS_PATH, self.parse_robots)
        yield self.discovery_request(SITEMAP_PATH, self.parse_sitemap)
        yield self.discovery_request(FEED_PATH, self.parse_feed)
        yield self.discovery_request(HOME_PATH, self.parse_listing)
        if self.planner is not None:  # what earlier runs left unfinished or failed
            for planned in self.planner.resume():
                yield self.article_request(*planned)

    def discovery_request(self, path: str, callback) -> Request:
        return Request(self.site.url_for(path), callback=callback, errback=self.discovery_failed,
                       cb_kwargs={"seed": path})

    # --- discovery pages ---------------------------------------------------------------

    def parse_robots(self, response: Response, seed: str | None = None):
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            canonical = self.site.canonical(url)
            if canonical:
                yield Request(canonical, callback=self.parse_sitemap, errback=self.discovery_failed,
                              cb_kwargs={"seed": "robots-sitemap"})

    def parse_sitemap(self, response: Response, seed: str | None = None):
        body = response.body
        if body[:2] == GZIP_MAGIC:
            body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        try:
            sitemap = Sitemap(body)
        except Exception:  # lxml raises XMLSyntaxError and friends on junk
            self.crawler.stats.inc_value("newsbot/discovery/sitemap/unparsable")
            self.logger.warning("Not a sitemap: %s", response.url)
            return
        for entry in sitemap:
            url = self.site.canonical(entry.get("loc", ""))
            if not url:
                continue
            if sitemap.type == "sitemapindex":
                yield Request(url, callback=self.parse_sitemap, errback=self.discovery_failed,
                              cb_kwargs={"seed": "sitemap"})
            elif self.site.is_article(url) and not self.is_too_old(entry.get("lastmod"), "sitemap"):
                self.crawler.stats.inc_value("newsbot/discovery/sitemap/articles")
                yield from self.article_requests(url, "sitemap", entry.get("lastmod"))

    def parse_feed(self, response: Response, seed: str | None = None):
        for item in response.selector.xpath(FEED_ITEMS):
            links = [self.site.canonical(href, base=response.url) for href in item.xpath(FEED_ITEM_LINK).getall()]
            url = next((u for u in links if u and self.site.is_article(u)), None)
            date = item.xpath(FEED_ITEM_DATE).get()
            if url and not self.is_too_old(date, "feed"):
                self.crawler.stats.inc_value("newsbot/discovery/feed/articles")
                yield from self.article_requests(url, "feed", date)

    def parse_listing(self, response: Response, seed: str | None = None):
        if not isinstance(response, HtmlResponse):
            self.crawler.stats.inc_value("newsbot/discovery/listing/not_html")
            return
        if self.is_wall(response):
            return
        yield from self.follow_links(response)

    # --- articles ----------------------------------------------------------------------

    def parse_article(self, response: Response):
        requested = (response.request.meta if response.request else {}).get(REQUESTED_META, response.url)
        if not isinstance(response, HtmlResponse):
            self.article_gone_wrong(requested, "not_html")
            self.reject(response.url, "not_html", f"Content-Type {response.headers.get('Content-Type', b'').decode(errors='replace')!r}")
            return
        if self.is_wall(response):
            self.article_gone_wrong(requested, "challenge_page")
            self.reject(response.url, "challenge_page", "the page looks like a bot challenge or consent wall")
            return
        page = ArticlePage(response, self.site)
        item = page.to_item()
        for problem in page.problems:
            self.crawler.stats.inc_value(f"newsbot/page/{problem}")
        links = page_links(response, self.site)
        article_links = list(dict.fromkeys([link.url for link in item.related if self.site.is_article(link.url)]
                                           + links.articles))
        if self.is_too_old(item.date_published_raw, "page"):
            if self.planner is not None:
                self.planner.fetched(requested, None, [])
            return
        if self.planner is not None:
            self.remember_aliases(response, item)
            self.planner.fetched(requested, item.article_id, article_links, item.url)
        yield item
        if self.follow:
            yield from self.follow_links(response, article_links, links.listings)

    def follow_links(self, response: Response, articles: list[str] | None = None, listings: list[str] | None = None):
        if articles is None:
            links = page_links(response, self.site)
            articles, listings = links.articles, links.listings
        for url in articles:
            yield from self.article_requests(url)
        if self.follow:
            for url in listings:
                yield Request(url, callback=self.parse_listing)

    def follow_url(self, url: str) -> Request | None:
        canonical = self.site.canonical(url)
        if canonical is None:
            return None
        if self.site.is_article(canonical):
            return self.article_request(canonical)  # asked for by name: never skipped
        return Request(canonical, callback=self.parse_listing)

    def article_requests(self, url: str, source: str | None = None, hint: str | None = None):
        """Requests for an article link; ``hint`` is what the ``source`` (feed, sitemap) says
        about its last change. With incremental crawling the planner decides (a known,
        unchanged article gives no request, but the pages its recorded links lead to)."""
        self.crawler.stats.inc_value("newsbot/discovery/article_links")
        if self.planner is None:
            yield self.article_request(url, {source: hint} if hint else {})
            return
        for planned in self.planner.offer(url, source or "graph", hint):
            yield self.article_request(*planned)

    def article_request(self, url: str, hints: dict | None = None, rescheduled: bool = False) -> Request:
        return Request(url, callback=self.parse_article, errback=self.article_failed,
                       meta={ARTICLE_META: True, REQUESTED_META: url, HINTS_META: hints or {},
                             RESCHEDULED_META: rescheduled})

    def article_gone_wrong(self, requested_url: str, reason: str, gone: bool = False) -> None:
        if self.planner is not None:
            self.planner.failed(requested_url, reason, gone)

    def remember_aliases(self, response: Response, item) -> None:
        """Tell the state under which other URLs this article was fetched (a redirecting
        legacy URL, a copy with a canonical link), so they are not fetched again."""
        meta = response.request.meta if response.request else {}
        fetched = {self.site.canonical(url) for url in [*meta.get("redirect_urls", []), response.url]}
        aliases = [url for url in fetched if url and url != item.url]
        keys = [f"url:{url}" for url in aliases]
        keys += [f"id:{self.site.article_id(url)}" for url in aliases
                 if self.site.article_id(url) not in (None, item.article_id)]
        if keys and item.article_id:
            self.state.add_aliases(item.article_id, keys)

    # --- decisions and failures ------------------------------------------------------

    def is_wall(self, response: Response) -> bool:
        kind = wall_kind(response.status, response.headers, response.text)
        if kind:
            self.crawler.stats.inc_value("newsbot/health/wall_pages")
            self.crawler.stats.inc_value(f"newsbot/health/wall_pages/{kind}")
            self.logger.error("%s looks like a %s wall, not a page of the site", response.url, kind)
        return kind is not None

    def is_too_old(self, raw_date, where: str) -> bool:
        """True when ``since`` is set and the date says the article is older."""
        if not self.since or raw_date in (None, ""):
            return False
        value = normalise_date(raw_date).value
        if value is None or value[:10] >= self.since.isoformat():
            return False
        self.crawler.stats.inc_value(f"newsbot/skipped/older_than_since/{where}")
        return True

    def article_failed(self, failure):
        request = failure.request
        requested = request.meta.get(REQUESTED_META, request.url)
        if failure.check(HttpError):
            status = failure.value.response.status
            self.article_gone_wrong(requested, f"http_{status}", gone=status in (404, 410))
            self.reject(request.url, f"http_{status}", f"HTTP {status}")
        elif failure.check(KnownArticle):  # a redirect led to a known, unchanged article
            if self.planner is not None:
                self.planner.store.finished(requested)
                for planned in self.planner.known_skipped(failure.value.article_id):
                    yield self.article_request(*planned)
        elif failure.check(IgnoreRequest):
            if self.planner is not None:
                self.planner.store.finished(requested)
            self.crawler.stats.inc_value("newsbot/articles/ignored")
            self.logger.info("Article request ignored: %s (%s)", request.url, failure.value)
        elif failure.check(DownloadCancelledError) and "max size" in str(failure.value):
            self.article_gone_wrong(requested, "too_large")
            self.reject(request.url, "too_large", str(failure.value))
        else:
            self.article_gone_wrong(requested, "download_error")
            self.reject(request.url, "download_error", f"{failure.type.__name__}: {failure.value}")

    def discovery_failed(self, failure):
        request = failure.request
        seed = request.cb_kwargs.get("seed", "page")
        if failure.check(HttpError):
            status = failure.value.response.status
            self.crawler.stats.inc_value(f"newsbot/discovery/{seed.strip('/') or 'home'}/http_{status}")
            level = "info" if status == 404 and seed in (SITEMAP_PATH, ROBOTS_PATH) else "warning"
            getattr(self.logger, level)("Discovery page %s answered HTTP %s", request.url, status)
        else:
            self.crawler.stats.inc_value(f"newsbot/discovery/{seed.strip('/') or 'home'}/failed")
            self.logger.warning("Discovery page %s failed: %s", request.url, failure.value)

    def reject(self, url: str, reason: str, detail: str) -> None:
        self.crawler.signals.send_catch_log(article_rejected, url=url, reason=reason, detail=detail)


def _positive_int(name: str, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise ValueError(f"-a {name} must be a positive whole number, got {value!r}")
    return number


def _iso_date(name: str, value) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"-a {name} must be an ISO date like 2025-02-28, got {value!r}") from None
