"""The spider's decisions, on responses built in memory (no network, no engine)."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newsbot.dupefilter import ArticleDupeFilter
from newsbot.signals import article_rejected
from newsbot.spiders.trtworld import TrtWorldSpider

SITE = "http://127.0.0.1:8000"


def make_spider(**kwargs) -> TrtWorldSpider:
    crawler = get_crawler(TrtWorldSpider, {"NEWSBOT_SITE_URL": SITE})
    return TrtWorldSpider.from_crawler(crawler, **kwargs)


@pytest.fixture
def spider():
    return make_spider()


def urls(results) -> list[str]:
    return [r.url for r in results if isinstance(r, Request)]


RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>TRT World</title>
<item><title>Bomb blast at Pakistan seminary</title><link>/article/18269747</link>
<pubDate>Fri, 28 Feb 2025 11:30:00 GMT</pubDate></item>
<item><title>Old</title><link>https://www.trtworld.com/article/12709123?utm_source=rss</link>
<pubDate>Tue, 04 Jul 2017 00:00:00 GMT</pubDate></item>
<item><title>Video</title><link>/video/7bf135ba9261</link></item>
<item><title>Elsewhere</title><link>https://trt.global/world/article/13099992</link></item>
</channel></rss>"""


def test_feed_links_are_resolved_canonicalised_and_filtered(spider):
    response = XmlResponse(f"{SITE}/feed/rss.xml", body=RSS)
    assert urls(spider.parse_feed(response)) == [f"{SITE}/article/18269747", f"{SITE}/article/12709123"]


def test_since_skips_what_the_feed_dates_older():
    spider = make_spider(since="2025-01-01")
    response = XmlResponse(f"{SITE}/feed/rss.xml", body=RSS)
    assert urls(spider.parse_feed(response)) == [f"{SITE}/article/18269747"]
    assert spider.crawler.stats.get_value("newsbot/skipped/older_than_since/feed") == 1


def test_robots_sitemap_lines_on_the_production_host_point_at_the_site(spider):
    body = b"User-agent: *\nDisallow: /search\nSitemap: https://www.trtworld.com/sitemaps/articles.xml\n"
    response = TextResponse(f"{SITE}/robots.txt", body=body)
    assert urls(spider.parse_robots(response)) == [f"{SITE}/sitemaps/articles.xml"]


def test_sitemap_index_and_urlset(spider):
    index = XmlResponse(f"{SITE}/sitemaps/articles.xml", body=b"""<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.trtworld.com/sitemaps/2025.xml</loc></sitemap>
<sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap></sitemapindex>""")
    assert urls(spider.parse_sitemap(index)) == [f"{SITE}/sitemaps/2025.xml"]
    urlset = XmlResponse(f"{SITE}/sitemaps/2025.xml", body=b"""<?xml version="1.0"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://www.trtworld.com/article/18269747</loc><lastmod>2025-02-28</lastmod></url>
<url><loc>https://www.trtworld.com/turkiye</loc></url></urlset>""")
    assert urls(spider.parse_sitemap(urlset)) == [f"{SITE}/article/18269747"]


def test_broken_sitemap_is_counted_not_fatal(spider):
    response = XmlResponse(f"{SITE}/sitemap.xml", body=b"<html>not a sitemap")
    assert urls(spider.parse_sitemap(response)) == []


def test_listing_follows_articles_and_sections_only(spider):
    body = b"""<html><body><nav><a href="/turkiye">T</a><a href="/search?q=gaza">S</a></nav>
<a href="https://www.trtworld.com:443/article/7bf135ba9261?_rt=1">A</a>
<a href="/article/7bf135ba9261#comments">A again</a>
<a href="/author/staff-reporter">Author</a><a href="/video/7bf135ba9261">Video</a>
<a href="/live-stream">Live</a><a href="https://trt.global/world/article/13099992">Global</a>
<a href="/middle-east/israeli-army-admits-colossal-failure-in-october-7-probe-18269601">B</a></body></html>"""
    response = HtmlResponse(f"{SITE}/", body=body)
    assert urls(spider.parse_listing(response)) == [
        f"{SITE}/article/7bf135ba9261",
        f"{SITE}/middle-east/israeli-army-admits-colossal-failure-in-october-7-probe-18269601",
        f"{SITE}/turkiye",
    ]


def test_non_html_article_is_rejected_not_crashed(spider):
    seen = []

    def record(**kwargs):
        seen.append(kwargs)

    spider.crawler.signals.connect(record, signal=article_rejected)
    response = TextResponse(f"{SITE}/article/18269747", body=b'{"json": true}',
                            headers={"Content-Type": "application/json"})
    assert list(spider.parse_article(response)) == []
    assert seen[0]["reason"] == "not_html"


def test_start_urls_argument_replaces_discovery():
    spider = make_spider(start_urls=f"{SITE}/article/18269747, https://example.com/x")
    import asyncio

    async def collect():
        return [r async for r in spider.start()]

    assert urls(asyncio.run(collect())) == [f"{SITE}/article/18269747"]


@pytest.mark.parametrize("arguments, message", [
    ({"max_articles": "0"}, "max_articles"),
    ({"max_articles": "ten"}, "max_articles"),
    ({"since": "last week"}, "since"),
])
def test_bad_arguments_are_clear_errors(arguments, message):
    with pytest.raises(ValueError, match=message):
        TrtWorldSpider(**arguments)


def test_dupefilter_one_download_per_article_id():
    dupefilter = ArticleDupeFilter()
    legacy = Request(f"{SITE}/middle-east/palestinian-detainees-17811425")
    assert dupefilter.request_seen(legacy) is False
    assert dupefilter.request_seen(Request(f"{SITE}/article/17811425")) is True


def test_dupefilter_lets_a_redirect_continue_but_not_repeat():
    dupefilter = ArticleDupeFilter()
    assert dupefilter.request_seen(Request(f"{SITE}/mea/iraqi-forces-12345")) is False
    redirected = Request(f"{SITE}/article/13099992", meta={"redirect_urls": [f"{SITE}/mea/iraqi-forces-12345"]})
    assert dupefilter.request_seen(redirected) is False
    assert dupefilter.request_seen(Request(f"{SITE}/article/13099992")) is True
    same_id = Request(f"{SITE}/article/17811425", meta={"redirect_urls": [f"{SITE}/middle-east/x-17811425"]})
    assert dupefilter.request_seen(Request(f"{SITE}/middle-east/x-17811425")) is False
    assert dupefilter.request_seen(same_id) is False


def test_dupefilter_still_filters_ordinary_pages():
    dupefilter = ArticleDupeFilter()
    assert dupefilter.request_seen(Request(f"{SITE}/turkiye")) is False
    assert dupefilter.request_seen(Request(f"{SITE}/turkiye")) is True
