"""The rejects extension: an extraction error caught by decide() is a rejection that fails the run."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from newsbot.extensions.rejects import RejectsFile
from newsbot.health import judge


def test_an_extraction_error_is_recorded_and_makes_the_run_unhealthy(tmp_path):
    settings = Settings({"NEWSBOT_REJECTS_PATH": str(tmp_path / "rejects.jsonl")})
    stats = MemoryStatsCollector(SimpleNamespace(settings=settings))
    rejects = RejectsFile(SimpleNamespace(settings=settings, stats=stats), None)  # counting only
    url = "http://127.0.0.1/article/13099992"
    rejects.article_rejected(url, "internal_error:RecursionError", "maximum recursion depth exceeded")
    rejects.article_rejected(url, "http_404", "HTTP 404")  # an ordinary rejection is no error
    assert stats.get_value("newsbot/rejected/internal_error:RecursionError") == 1
    assert stats.get_value("newsbot/errors") == 1
    assert url in stats.get_value("newsbot/errors/first")
    discovered = {"newsbot/discovery/article_links": 2, "downloader/response_count": 2}
    reasons = judge({**stats.get_stats(), **discovered}, "finished", gates=False).reasons
    assert "1 error(s) inside newsbot while crawling (see the log)" in reasons


def test_the_closing_line_counts_articles_apart_from_discovery_pages(tmp_path, caplog):
    # A run that could not reach the site writes only failed discovery pages: the closing line
    # said "4 rejected article(s)" for them.
    settings = Settings()
    stats = MemoryStatsCollector(SimpleNamespace(settings=settings))
    crawler = SimpleNamespace(settings=settings, stats=stats, spider=SimpleNamespace(name="trtworld"))
    rejects = RejectsFile(crawler, str(tmp_path / "rejects.jsonl"))
    rejects.discovery_failed("http://127.0.0.1/sitemap.xml", "sitemap", "robots_disallowed", "Forbidden by robots.txt")
    rejects.discovery_failed("http://127.0.0.1/", "home", "dns", "DNS lookup failed")
    rejects.article_rejected("http://127.0.0.1/article/13099992", "http_404", "HTTP 404")
    with caplog.at_level("WARNING", logger="newsbot.extensions.rejects"):
        rejects.spider_closed(None, "finished")
    assert f"1 rejected article(s) and 2 failed discovery page(s) written to {tmp_path / 'rejects.jsonl'}" in caplog.text
    assert len((tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    assert stats.get_value("newsbot/rejected") == 1
