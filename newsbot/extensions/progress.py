"""Progress at INFO every ``LOGSTATS_INTERVAL`` (60 s): Scrapy's ``LogStats`` in newsbot's
terms, in its place (same setting, same final ``responses_per_minute`` and
``items_per_minute`` stats)::

    Progress: 120 articles exported (35/min), 3 rejected, 180 pages crawled (52/min), 42 requests queued
"""

from __future__ import annotations

import logging

from scrapy.extensions.logstats import LogStats

logger = logging.getLogger(__name__)


class Progress(LogStats):
    @classmethod
    def from_crawler(cls, crawler):
        extension = super().from_crawler(crawler)
        extension.crawler = crawler
        return extension

    def log(self, spider) -> None:
        self.calculate_stats()
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None)
        try:
            queued = len(scheduler) if scheduler is not None else 0
        except TypeError:  # a scheduler without a length
            queued = 0
        queued += len(getattr(engine.downloader, "active", ()))  # waiting in the downloader too
        logger.info("Progress: %d articles exported (%d/min), %d rejected, %d pages crawled (%d/min), "
                    "%d requests queued", self.items, self.irate, self.stats.get_value("newsbot/rejected", 0),
                    self.pages, self.prate, queued, extra={"spider": spider})
