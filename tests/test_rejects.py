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
