"""Run files of crawls (``NEWSBOT_RUN_FILES``, on in the cron profile).

Every exported article goes to the run's ``RunFileWriter`` (see ``newsbot.runfile`` for
the files, their durability and the state); at close the manifest records the run's
arguments, counts, finish reason and the health check's verdict.

The counts add up: ``exported`` (the lines of the run file) is ``new + updated``, counted
as lines are written; every other article the run saw is under the reason it was not
exported: ``unchanged``, ``max_articles`` (over the limit), ``older_than_since``,
``not_written`` (the write failed), ``rejected`` by reason; ``skipped_known`` are known
article pages not downloaded at all.
"""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsbot.health import count_error
from newsbot.items import Article
from newsbot.network import network_counts
from newsbot.runfile import RunFileWriter
from newsbot.signals import exports_synced
from newsbot.state import state_for

logger = logging.getLogger(__name__)
CMDLINE_PRIORITY = 40  # settings given with -s


class RunFiles:
    def __init__(self, crawler):
        self.crawler = crawler
        self.writer: RunFileWriter | None = None
        self.written = {"new": 0, "updated": 0}
        self.not_written = 0

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_RUN_FILES"):
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        try:
            store = state_for(self.crawler) if self.crawler.settings.getbool("NEWSBOT_INCREMENTAL") else None
            self.writer = RunFileWriter(self.crawler.settings, store=store)
        except Exception as error:  # counted: every article of the run is then not written
            count_error(self.crawler.stats, error, "opening the run file")
            logger.exception("Could not open the run file")
            return
        self.crawler.stats.set_value("newsbot/run/id", self.writer.run_id)
        logger.info("Run %s writing %s", self.writer.run_id, self.writer.part_path)

    def item_scraped(self, item, response, spider):
        if not isinstance(item, Article):  # run files hold articles; a feed takes other items
            return
        if self.writer is None:
            self.not_written += 1
            return
        lines = self.writer.lines
        try:
            synced = self.writer.synced
            self.writer.write(item)
            if self.writer.synced != synced:
                self.crawler.signals.send_catch_log(exports_synced)
        except Exception as error:  # Scrapy would only log it: count it, so the health check fails the run
            count_error(self.crawler.stats, error, f"writing {self.writer.part_path}")
            logger.exception("Run %s: could not write or record an article", self.writer.run_id)
        if self.writer.lines == lines:
            self.not_written += 1
        else:
            self.written["updated" if (ItemAdapter(item).get("revision") or 1) > 1 else "new"] += 1

    def spider_idle(self, spider):
        """Nothing to do for now: make what was written durable (workers sharing Redis wait
        for that before they let go of the requests behind it)."""
        if self.writer is None or not self.writer.pending:
            return
        try:
            self.writer.sync()
            self.crawler.signals.send_catch_log(exports_synced)
        except Exception:
            self.crawler.stats.inc_value("newsbot/errors")
            logger.exception("Run %s: could not sync the run file", self.writer.run_id)

    def spider_closed(self, spider, reason):
        if self.writer is None:
            return
        try:
            self.writer.close(self.manifest(reason))
            self.crawler.signals.send_catch_log(exports_synced)
            logger.info("Run %s: %d article(s) in %s", self.writer.run_id, self.writer.lines, self.writer.path)
        except Exception as error:
            count_error(self.crawler.stats, error, f"closing {self.writer.part_path}")
            logger.exception("Run %s: could not close the run file or write the manifest", self.writer.run_id)

    def manifest(self, finish_reason: str) -> dict:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider
        settings = self.crawler.settings
        return {
            "arguments": {
                "spider": spider.name,
                "spider_arguments": getattr(spider, "arguments", {}),
                "settings": {name: value for name, value in settings.items()
                             if settings.getpriority(name) == CMDLINE_PRIORITY},
            },
            "counts": {
                "exported": self.writer.lines,
                **self.written,
                "unchanged": stats.get("newsbot/incremental/unchanged", 0),
                "max_articles": stats.get("newsbot/skipped/max_articles", 0),
                "older_than_since": sum(value for key, value in stats.items()
                                        if key.startswith("newsbot/skipped/older_than_since/")),
                "not_written": self.not_written,
                "skipped_known": stats.get("newsbot/incremental/skipped_known", 0),
                "rejected": {key.split("/", 2)[2]: value for key, value in stats.items()
                             if key.startswith("newsbot/rejected/") and key.count("/") == 2},
                "network_errors": network_counts(stats),
                "http_errors": {key.rsplit("/", 1)[1]: value for key, value in stats.items()
                                if key.startswith("downloader/response_status_count/")
                                and key.rsplit("/", 1)[1] >= "400"},
                "requests": stats.get("downloader/request_count", 0),
            },
            "finish_reason": finish_reason,
            "health": {"verdict": stats.get("newsbot/health/verdict", "not judged"),
                       "reasons": list(stats.get("newsbot/health/reasons", []))},
        }
