"""The rejects file: every article the crawl saw but did not export, with its reasons.

One JSON line per rejection: ``url`` (the page as requested), ``article_id``, ``reason`` (a
short kind), ``reasons`` (details), ``item`` (as far as the pipelines got), ``rejected_at``.
Rejections are items dropped by a pipeline (invalid, duplicate), article
pages that never became items (HTTP errors, not HTML, too large), and articles lost to an
exception inside newsbot: raised by a pipeline (Scrapy's ``item_error``) or by the spider's
callback for an article page (``spider_error``) or caught by ``decide()`` while extracting,
with the reason ``internal_error:<ExceptionType>``. Those are also counted in ``newsbot/errors``, which
fails the run (``newsbot.health``). A discovery page that failed (robots.txt, sitemap,
feed, homepage, listing) is a line too: ``reason`` ``discovery``, ``discovery`` its kind,
``reasons`` what went wrong. Opened on the first rejection only, so a clean crawl
leaves no empty file. Each rejection is also counted in ``newsbot/rejected/<reason>``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from itemadapter import ItemAdapter, is_item
from scrapy import signals
from scrapy.utils.serialize import ScrapyJSONEncoder

from newsbot.extensions import output_path
from newsbot.health import count_error, count_internal_error
from newsbot.middlewares import ARTICLE_META
from newsbot.pipelines.rejection import Rejected, Skipped
from newsbot.signals import article_rejected, discovery_failed

logger = logging.getLogger(__name__)

DISCOVERY = "discovery"
INTERNAL_ERROR = "internal_error:"


class RejectsFile:
    def __init__(self, crawler, path_template: str | None):
        self.crawler = crawler
        self.path_template = path_template
        self.path: Path | None = None
        self.file = None
        self.count = 0  # article rejections written
        self.discovery_count = 0  # failed discovery pages written
        self.encoder = ScrapyJSONEncoder(ensure_ascii=False)

    @classmethod
    def from_crawler(cls, crawler):
        # Off, rejections are still counted (and internal errors fail the run): only the
        # file is not written.
        enabled = crawler.settings.getbool("NEWSBOT_REJECTS_ENABLED", True)
        extension = cls(crawler, crawler.settings.get("NEWSBOT_REJECTS_PATH") if enabled else None)
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

    def item_error(self, item, response, spider, failure):
        """A pipeline raised: Scrapy logs it and drops the item; count it and record it."""
        adapter = ItemAdapter(item) if is_item(item) else None
        url = getattr(response, "url", None) or (adapter.get("url") if adapter else None)
        count_error(self.crawler.stats, failure.value, f"processing {url}")
        self.write({"url": url,
                    "article_id": adapter.get("article_id") if adapter else None,
                    "reason": internal_error(failure.value), "reasons": [_describe(failure.value)],
                    "item": adapter.asdict() if adapter else None})

    def spider_error(self, failure, response, spider):
        """The spider's callback raised (counted by Scrapy in ``spider_exceptions/count``);
        for an article page, the article is recorded as lost."""
        request = getattr(response, "request", None)
        if request is None or not request.meta.get(ARTICLE_META):
            return
        self.write({"url": request.url, "article_id": None, "reason": internal_error(failure.value),
                    "reasons": [_describe(failure.value)], "item": None})

    def article_rejected(self, url, reason, detail):
        if reason.startswith(INTERNAL_ERROR):  # extraction raised (caught by decide()): a bug, fail the run
            count_internal_error(self.crawler.stats, f"extracting {url}: {detail}")
        self.write({"url": url, "article_id": None, "reason": reason, "reasons": [detail], "item": None})

    def discovery_failed(self, url, kind, reason, detail):
        self.write({"url": url, "article_id": None, "reason": DISCOVERY, "discovery": kind,
                    "reasons": [f"{reason}: {detail}"], "item": None})

    def write(self, record: dict) -> None:
        record["rejected_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if record["reason"] != DISCOVERY:  # not an article: counted in newsbot/discovery/failed/
            self.crawler.stats.inc_value("newsbot/rejected")
            self.crawler.stats.inc_value(f"newsbot/rejected/{record['reason']}")
        if self.path_template is None:
            return
        try:
            if self.file is None:
                self.path = output_path(self.path_template, self.crawler)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.file = self.path.open("a", encoding="utf-8")
            self.file.write(self.encoder.encode(record) + "\n")
            self.file.flush()
        except OSError as error:  # counted (the run fails), the crawl goes on
            count_error(self.crawler.stats, error, f"writing the rejects file {self.path}")
            logger.error("Could not record the rejection of %s: %s", record["url"], error)
            return
        if record["reason"] == DISCOVERY:
            self.discovery_count += 1
        else:
            self.count += 1

    def spider_closed(self, spider, reason):
        if self.file is not None:
            self.file.close()
            logger.warning("%d rejected article(s) and %d failed discovery page(s) written to %s",
                           self.count, self.discovery_count, self.path)


def internal_error(exception: BaseException) -> str:
    """The rejection reason of an article lost to an exception: ``internal_error:KeyError``."""
    return f"{INTERNAL_ERROR}{type(exception).__name__}"


def _describe(exception: BaseException) -> str:
    return f"{type(exception).__name__}: {exception}"
