"""The health check of scheduled runs (``NEWSBOT_HEALTH_ENABLED``).

At close it judges the run with ``newsbot.health.judge()`` and puts the verdict in the
stats (``newsbot/health/verdict``: ``healthy`` or ``unhealthy``; ``newsbot/health/reasons``),
where the run manifest and the ``crawl`` command's exit code read it. It must be listed in
``EXTENSIONS`` before the run-file writer, so that its verdict is there when the manifest
is written (extensions receive signals in the order they were loaded).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsbot.health import Thresholds, judge
from newsbot.urls import SiteRules

logger = logging.getLogger(__name__)


class HealthCheck:
    def __init__(self, crawler, thresholds: Thresholds):
        self.crawler = crawler
        self.thresholds = thresholds

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_HEALTH_ENABLED"):
            raise NotConfigured("NEWSBOT_HEALTH_ENABLED is off")
        extension = cls(crawler, Thresholds.from_settings(crawler.settings))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        host = SiteRules(self.crawler.settings.get("NEWSBOT_SITE_URL")).netloc
        verdict = judge(self.crawler.stats.get_stats(), reason, self.thresholds, host=host)
        self.crawler.stats.set_value("newsbot/health/verdict", "healthy" if verdict.healthy else "unhealthy")
        self.crawler.stats.set_value("newsbot/health/reasons", list(verdict.reasons))
        for reason_text in verdict.reasons:
            logger.error("Unhealthy run: %s", reason_text)
