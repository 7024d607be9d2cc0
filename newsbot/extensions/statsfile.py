"""Write the crawl's final stats as JSON (``NEWSBOT_STATS_PATH``), for machines to read.

Off unless the setting names a path (``%(data_dir)s``, ``%(name)s``, ``%(time)s`` allowed).
"""

from __future__ import annotations

import json
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsbot.extensions import output_path


class StatsFile:
    def __init__(self, crawler, path_template: str):
        self.crawler = crawler
        self.path_template = path_template

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("NEWSBOT_STATS_PATH")
        if not path:
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        extension = cls(crawler, path)
        # spider_closed runs before the stats are closed, so finish_reason is set by then.
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        path = output_path(self.path_template, self.crawler)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stats, default=str, indent=2, sort_keys=True) + "\n", encoding="utf-8")
