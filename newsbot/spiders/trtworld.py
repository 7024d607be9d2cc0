"""The TRT World spider: it only decides what to follow.

Discovery: ``/robots.txt`` (its ``Sitemap:`` lines), ``/sitemap.xml``, the RSS feed
``/feed/rss.xml`` and the homepage; then every article link of listing pages and every
article link of article pages, Explore block included. With incremental crawling the
planner (``newsbot.frontier``) decides which article links become requests, and the run also
starts from the frontier earlier runs left. Extraction lives in ``newsbot.pages``,
normalisation in ``newsbot.pipelines``.

Arguments (``-a name=value``):

* ``max_articles``: stop after this many articles were exported.
* ``since``: an ISO date; skip articles the feed, sitemap or page dates before it.
* ``start_urls``: comma-separated URLs to crawl instead of the discovery seeds: only those
  pages (and, for a listing page, the articles it links to) are crawled.

``scrapy parse URL`` (no ``-c``) calls ``parse``, which hands the page to the callback a crawl
would give it. The callbacks carry contracts for ``scrapy check``: ``@path`` is a page of
``NEWSBOT_SITE_URL`` (``newsbot.contracts``), so they run against the local site copy.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from newsbot import agreement
from newsbot.failures import count_received, failure_reason
from newsbot.frontier import Planner
from newsbot.middlewares import (ARTICLE_META, HINTS_META, REQUESTED_META, RESCHEDULED_META, ROBOTS_MAX_BYTES,
                                 KnownArticle)
from newsbot.normalise.dates import normalise_date
from newsbot.pages import page_links
from newsbot.pages.decision import decide
from newsbot.pages.wall import wall_kind
from newsbot.signals import article_rejected, discovery_failed
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
SITEMAP_SUFFIXES = (".xml", ".xml.gz")


class TrtWorldSpider(Spider):
    name = "trtworld"
    # Class level, so `scrapy parse URL` finds the spider by the URL; the instance's come
    # from NEWSBOT_SITE_URL (from_crawler).
    allowed_domains = SiteRules(DEFAULT_SITE_URL).allowed_domains

    def __init__(self, *args, max_articles=None, since=None, start_urls=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_articles = positive_int("max_articles", max_articles)
        self.since = _iso_date("since", since)
        self.arguments = {name: value for name, value in
                          (("max_articles", max_articles), ("since", since), ("start_urls", start_urls)) if value}
        self.start_urls = [u.strip() for u in (start_urls or "").split(",") if u.strip()]
        # Given pages are crawled alone (a listing page: with its articles), not followed further.
        self.follow = not self.start_urls
        self.site = SiteRules(DEFAULT_SITE_URL)
        self.state: StateBackend | None = None
        self.planner: Planner | None = None
        self.count_agreement = True
        # What this run already asked for: article ids (else URLs), and listing URLs. A page
        # links the same articles as its neighbours (Explore, navigation), so most links are
        # dropped here, before a request is built, offered to the planner or the dupefilter.
        self.requested: set[str] = set()
        self.requested_listings: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.site = SiteRules(settings.get("NEWSBOT_SITE_URL", DEFAULT_SITE_URL))
        spider.allowed_domains = spider.site.allowed_domains
        spider.count_agreement = settings.getbool("NEWSBOT_AGREEMENT", True)
        crawler.signals.connect(count_received, signal=signals.bytes_received)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
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

    def parse(self, response: Response, **kwargs):
        """The callback a crawl gives this URL (what `scrapy parse URL` calls without -c).

        @path /article/13099992
        @returns items 1 1
        @scrapes url article_id headline body date_published_raw
        """
        return self.callback_for(response.url)(response)

    def callback_for(self, url: str):
        path = urlsplit(url).path
        if path == ROBOTS_PATH:
            return self.parse_robots
        if path == FEED_PATH:
            return self.parse_feed
        if path.endswith(SITEMAP_SUFFIXES):
            return self.parse_sitemap
        canonical = self.site.canonical(url)
        return self.parse_article if canonical and self.site.is_article(canonical) else self.parse_listing

    def parse_robots(self, response: Response, seed: str | None = None):
        """
        @path /robots.txt
        @returns items 0 0
        @returns requests 1
        """
        # RFC 9309: only the first 500 KiB of a robots.txt count.
        for url in sitemap_urls_from_robots(response.body[:ROBOTS_MAX_BYTES], base_url=response.url):
            canonical = self.site.canonical(url)
            if canonical:
                yield Request(canonical, callback=self.parse_sitemap, errback=self.discovery_failed,
                              cb_kwargs={"seed": "robots-sitemap"})

    def parse_sitemap(self, response: Response, seed: str | None = None):
        """
        @path /sitemaps/articles.xml
        @returns items 0 0
        @returns requests 1
        """
        body = response.body
        try:
            if body[:2] == GZIP_MAGIC:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            sitemap = Sitemap(body)
        except Exception as error:  # lxml: XMLSyntaxError and friends; gunzip: over the cap, bad gzip
            self.crawler.stats.inc_value("newsbot/discovery/sitemap/unparsable")
            self.logger.warning("Not a sitemap: %s", response.url)
            self.discovery_lost(response.url, seed or "sitemap", "unparsable", f"{type(error).__name__}: {error}")
            return
        self.crawler.stats.inc_value("newsbot/discovery/sitemap/read")
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
        """
        @path /feed/rss.xml
        @returns items 0 0
        @returns requests 1
        """
        items = response.selector.xpath(FEED_ITEMS) if isinstance(response, TextResponse) else []
        if not items:
            self.discovery_lost(response.url, seed or FEED_PATH, "unparsable", "no feed item in the response")
            return
        self.crawler.stats.inc_value("newsbot/discovery/feed/read")
        for item in items:
            links = [self.site.canonical(href, base=response.url) for href in item.xpath(FEED_ITEM_LINK).getall()]
            url = next((u for u in links if u and self.site.is_article(u)), None)
            date = item.xpath(FEED_ITEM_DATE).get()
            if url and not self.is_too_old(date, "feed"):
                self.crawler.stats.inc_value("newsbot/discovery/feed/articles")
                yield from self.article_requests(url, "feed", date)

    def parse_listing(self, response: Response, seed: str | None = None):
        """
        @path /
        @returns items 0 0
        @returns requests 1
        """
        if not isinstance(response, HtmlResponse):
            self.crawler.stats.inc_value("newsbot/discovery/listing/not_html")
            self.discovery_lost(response.url, seed or "listing", "not_html", "not an HTML page")
            return
        if self.is_wall(response):
            self.discovery_lost(response.url, seed or "listing", "challenge_page", "a bot challenge or consent wall")
            return
        yield from self.follow_links(response)

    # --- articles ----------------------------------------------------------------------

    def parse_article(self, response: Response):
        """The item as the page gives it, before the item pipelines (see `scrapy extract`).

        @path /article/13099992
        @returns items 1 1
        @returns requests 1
        @scrapes url article_id headline body date_published_raw authors image related provenance
        """
        requested = (response.request.meta if response.request else {}).get(REQUESTED_META, response.url)
        decision = decide(response, self.site, since=self.since, stats=self.crawler.stats)
        if decision.wall:
            self.logger.error("%s looks like a %s wall, not a page of the site", response.url, decision.wall)
        if decision.rejected:
            self.article_gone_wrong(requested, decision.reason)
            self.reject(response.url, decision.reason, decision.detail)
            return
        if decision.item is None:  # skipped: older than since
            if self.planner is not None:
                self.planner.fetched(requested, None, [])
            return
        item = decision.item
        if self.count_agreement and decision.page is not None:
            agreement.count(self.crawler.stats, agreement.page_agreement(decision.page))
        links = page_links(response, self.site, selector=decision.page.selector if decision.page else None)
        article_links = list(dict.fromkeys([link.url for link in item.related if self.site.is_article(link.url)]
                                           + links.articles))
        if self.planner is not None:
            self.remember_aliases(response, item)
            self.planner.fetched(requested, item.article_id, article_links, item.url)
        yield item
        if self.follow:
            yield from self.follow_links(response, article_links, links.listings)

    def follow_links(self, response: Response, articles: list[str] | None = None, listings: list[str] | None = None):
        """Requests for the page's links not asked for yet this run (the Explore block's first,
        in its order)."""
        if articles is None:
            links = page_links(response, self.site)
            articles, listings = links.articles, links.listings
        for url in articles:
            if self.request_key(url) not in self.requested:
                yield from self.article_requests(url)
        if self.follow:
            for url in listings:
                if url not in self.requested_listings:
                    self.requested_listings.add(url)
                    yield self.listing_request(url)

    def follow_url(self, url: str) -> Request | None:
        canonical = self.site.canonical(url)
        if canonical is None:
            return None
        if self.site.is_article(canonical):
            self.crawler.stats.inc_value("newsbot/discovery/article_links")
            return self.article_request(canonical)  # asked for by name: never skipped
        return self.listing_request(canonical)

    def listing_request(self, url: str) -> Request:
        return Request(url, callback=self.parse_listing, errback=self.discovery_failed,
                       cb_kwargs={"seed": "listing"})

    def article_requests(self, url: str, source: str | None = None, hint: str | None = None):
        """Requests for an article link; ``hint`` is what the ``source`` (feed, sitemap) says
        about its last change. With incremental crawling the planner decides (a known,
        unchanged article gives no request, but the pages its recorded links lead to)."""
        self.crawler.stats.inc_value("newsbot/discovery/article_links")
        self.requested.add(self.request_key(url))
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

    def request_key(self, url: str) -> str:
        article_id = self.site.article_id(url)
        return f"id:{article_id}" if article_id else f"url:{url}"

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
        if failure.check(KnownArticle):  # a redirect led to a known, unchanged article
            if self.planner is not None:
                self.planner.store.finished(requested)
                for planned in self.planner.known_skipped(failure.value.article_id):
                    yield self.article_request(*planned)
            return
        reason, detail = failure_reason(failure, self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        gone = failure.check(HttpError) is not None and failure.value.response.status in (404, 410)
        self.article_gone_wrong(requested, reason, gone=gone)
        # The URL the crawl asked for, before any redirect: what a later run retries.
        self.reject(requested, reason, detail)

    def request_dropped(self, request, spider=None):
        """The scheduler drops a redirect to a page already crawled: an article redirected to
        another article is that article (an alias); redirected elsewhere (the homepage, a
        section), it is lost, so it is rejected."""
        if (request.meta.get(ARTICLE_META) and request.meta.get("redirect_urls")
                and not self.site.is_article(request.url)):
            requested = request.meta.get(REQUESTED_META, request.meta["redirect_urls"][0])
            self.article_gone_wrong(requested, "redirect_not_article")
            self.reject(requested, "redirect_not_article", f"redirected to {request.url}, not an article")

    def discovery_failed(self, failure):
        request = failure.request
        seed = request.cb_kwargs.get("seed", "page")
        reason, detail = failure_reason(failure, self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        if failure.check(HttpError):
            status = failure.value.response.status
            self.crawler.stats.inc_value(f"newsbot/discovery/{seed.strip('/') or 'home'}/http_{status}")
            level = "info" if status == 404 and seed in (SITEMAP_PATH, ROBOTS_PATH) else "warning"
            getattr(self.logger, level)("Discovery page %s answered HTTP %s", request.url, status)
            if level == "info":  # an optional page that is not there: counted, not recorded
                self.crawler.stats.inc_value(f"newsbot/discovery/failed/{discovery_kind(seed)}")
                return
        else:
            self.crawler.stats.inc_value(f"newsbot/discovery/{seed.strip('/') or 'home'}/failed")
            self.logger.warning("Discovery page %s failed: %s", request.url, failure.value)
        self.discovery_lost(request.url, seed, reason, detail)

    def discovery_lost(self, url: str, seed: str, reason: str, detail: str) -> None:
        """A discovery page that gave nothing: counted, and recorded in the rejects file
        (reason ``discovery``)."""
        self.crawler.stats.inc_value(f"newsbot/discovery/failed/{discovery_kind(seed)}")
        self.crawler.signals.send_catch_log(discovery_failed, url=url, kind=discovery_kind(seed),
                                            reason=reason, detail=detail)

    def reject(self, url: str, reason: str, detail: str) -> None:
        self.crawler.signals.send_catch_log(article_rejected, url=url, reason=reason, detail=detail)


def discovery_kind(seed: str) -> str:
    """``robots``, ``sitemap``, ``feed``, ``home`` or ``listing``: what a discovery page is."""
    if seed == ROBOTS_PATH:
        return "robots"
    if "sitemap" in seed:
        return "sitemap"
    if seed == FEED_PATH:
        return "feed"
    return "home" if seed == HOME_PATH else "listing"


def positive_int(name: str, value, required: bool = False) -> int | None:
    """A ``-a name=value`` spider argument as a positive whole number (None when not given,
    unless ``required``), else ``ValueError`` naming it."""
    if value in (None, "") and not required:
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
