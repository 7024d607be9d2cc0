"""The rejects file: every article the crawl saw but did not export, with its reasons.

One JSON line per rejection: ``url`` (the page as requested), ``article_id``, ``reason`` (a
short kind), ``reasons`` (details), ``item`` (as far as the pipelines got), ``rejected_at``.
Rejections are items dropped by a pipeline (invalid, duplicate) and article
pages that never became items (HTTP errors, not HTML, too large). Opened on the first
rejection only, so a clean crawl leaves no empty file. Each rejection is also counted in
``newsbot/rejected/<reason>``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from itemadapter import ItemAdapter, is_item
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.serialize import ScrapyJSONEncoder

from newsbot.extensions import output_path
from newsbot.pipelines.rejection import Rejected, Skipped
from newsbot.signals import article_rejected

logger = logging.getLogger(__name__)


class RejectsFile:
    def __init__(self, crawler, path_template: str):
        self.crawler = crawler
        self.path_template = path_template
        self.path: Path | None = None
        self.file = None
        self.count = 0
        self.encoder = ScrapyJSONEncoder(ensure_ascii=False)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_REJECTS_ENABLED", True):
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        extension = cls(crawler, crawler.settings.get("NEWSBOT_REJECTS_PATH"))
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.article_rejected, signal=article_rejected)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item, response, exception, spider=None):
        if isinstance(exception, Skipped):
            return  # unchanged (known to the state) or over max_articles: not a rejection
        if isinstance(exception, Rejected):
            kind, reasons = exception.kind, exception.reasons
        else:
            kind, reasons = "dropped", [str(exception)]
        adapter = ItemAdapter(item) if is_item(item) else None
        self.write({"url": getattr(response, "url", None) or (adapter.get("url") if adapter else None),
                    "article_id": adapter.get("article_id") if adapter else None,
                    "reason": kind, "reasons": reasons,
                    "item": adapter.asdict() if adapter else None})

    def article_rejected(self, url, reason, detail):
        self.write({"url": url, "article_id": None, "reason": reason, "reasons": [detail], "item": None})

    def write(self, record: dict) -> None:
        record["rejected_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.crawler.stats.inc_value("newsbot/rejected")
        self.crawler.stats.inc_value(f"newsbot/rejected/{record['reason']}")
        if self.file is None:
            self.path = output_path(self.path_template, self.crawler)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = self.path.open("a", encoding="utf-8")
        self.file.write(self.encoder.encode(record) + "\n")
        self.file.flush()
        self.count += 1

    def spider_closed(self, spider, reason):
        if self.file is not None:
            self.file.close()
            logger.warning("%d rejected article(s) written to %s", self.count, self.path)
