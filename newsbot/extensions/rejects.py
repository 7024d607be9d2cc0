"""The rejects file: every article the crawl saw but did not export, with its reasons.

One JSON line per rejection: ``url`` (the page as requested), ``article_id``, ``reason`` (a
short kind), ``reasons`` (details), ``item`` (as far as the pipelines got), ``rejected_at``.
Rejections are items dropped by a pipeline (invalid, duplicate), items or pages lost to an
exception in a pipeline or a spider callback (``internal_error:<Type>``), and article
pages that never became items (HTTP errors, not HTML, too large, truncated...; the table is
in the README). A discovery page that failed (robots.txt, sitemap, feed, homepage, listing)
is a line too: ``reason`` ``discovery``, ``discovery`` its kind, ``reasons`` what went wrong.
Opened on the first
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
from newsbot.signals import article_rejected, discovery_failed

logger = logging.getLogger(__name__)

DISCOVERY = "discovery"


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
            raise NotConfigured("NEWSBOT_REJECTS_ENABLED is off")
        extension = cls(crawler, crawler.settings.get("NEWSBOT_REJECTS_PATH"))
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.article_rejected, signal=article_rejected)
        crawler.signals.connect(extension.discovery_failed, signal=discovery_failed)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
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

    def item_error(self, item, response, failure, spider=None):
        """A pipeline raised (a bug): the item is lost, so it is a rejection."""
        adapter = ItemAdapter(item) if is_item(item) else None
        self.write({"url": getattr(response, "url", None) or (adapter.get("url") if adapter else None),
                    "article_id": adapter.get("article_id") if adapter else None,
                    "reason": f"internal_error:{failure.type.__name__}",
                    "reasons": [f"in an item pipeline: {failure.getErrorMessage()[:500]}"],
                    "item": adapter.asdict() if adapter else None})

    def spider_error(self, failure, response, spider=None):
        """A spider callback raised (a bug): what the page would have given is lost."""
        self.write({"url": response.url, "article_id": None,
                    "reason": f"internal_error:{failure.type.__name__}",
                    "reasons": [f"in the spider's callback: {failure.getErrorMessage()[:500]}"],
                    "item": None})

    def discovery_failed(self, url, kind, reason, detail):
        self.write({"url": url, "article_id": None, "reason": DISCOVERY, "discovery": kind,
                    "reasons": [f"{reason}: {detail}"], "item": None})

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
