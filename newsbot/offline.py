"""Extraction and the item pipelines without a crawl: for ``scrapy extract``,
``scrapy savefixture``, tests and benchmarks.

It runs exactly the pipelines of ``ITEM_PIPELINES``, in their order, built with their own
``from_crawler``; only the engine is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from types import SimpleNamespace

from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import HtmlResponse
from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object

from newsbot.items import Article
from newsbot.pages.decision import decide
from newsbot.pipelines.rejection import Rejected, Skipped
from newsbot.urls import SiteRules


@dataclass
class Extraction:
    """The item after the pipelines (as far as they got), and the rejection if one stopped it.
    A page ``decide()`` rejected has no item (``item`` is None) and a ``Rejected`` with the
    decision's reason; a page it skips (older than ``since``) a ``Skipped``."""

    item: Article | None
    rejection: DropItem | None = None
    stats: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class OfflinePipelines:
    """The project's item pipelines, built once, applied to one item at a time."""

    def __init__(self, settings: BaseSettings, store=None):
        """``store``: the incremental state, opened and closed by the caller
        (``scrapy reextract``). Without one the state is neither read nor changed, whatever
        ``NEWSBOT_INCREMENTAL`` says: ``scrapy extract``, ``probe`` and ``savefixture`` preview."""
        if store is None and settings.getbool("NEWSBOT_INCREMENTAL"):
            settings = settings.copy()
            settings.set("NEWSBOT_INCREMENTAL", False, priority=max(SETTINGS_PRIORITIES.values()))
        self.stats = MemoryStatsCollector(SimpleNamespace(settings=settings))
        crawler = SimpleNamespace(settings=settings, stats=self.stats, newsbot_state=store)
        self.pipelines = []
        for path, order in sorted(settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1]):
            if order is None:
                continue
            cls = load_object(path)
            try:
                self.pipelines.append(cls.from_crawler(crawler) if hasattr(cls, "from_crawler") else cls())
            except NotConfigured:
                continue  # off, as Scrapy itself would leave it

    def process(self, item: Article) -> tuple[Article, DropItem | None]:
        """The processed item and None, or the item as far as it got and why it stopped
        (``Rejected``; or ``Skipped``: unchanged for the incremental state)."""
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as stopped:
                # Kept for its reason only: its traceback would hold this call's frames, and
                # through them the page's parsed tree, until the next garbage collection.
                return item, stopped.with_traceback(None)
        return item, None


def extract(body: bytes, url: str, settings: BaseSettings, pipelines: OfflinePipelines | None = None,
            scraped_at: datetime | None = None, headers=None, response=None) -> Extraction:
    """The item the crawl would export for ``body`` served at ``url`` (or why it would not),
    decided by ``newsbot.pages.decision.decide`` as the crawl decides it. Pass the HTTP
    ``headers`` when known (a charset may be declared only there), or the ``response``."""
    pipelines = pipelines or OfflinePipelines(settings)
    if response is None:
        response = HtmlResponse(url=url, body=body, headers=headers)
    decision = decide(response, _site_rules(settings.get("NEWSBOT_SITE_URL")), stats=pipelines.stats,
                      scraped_at=scraped_at)
    if decision.item is None:
        stopped = (Rejected(decision.reason, [decision.detail]) if decision.rejected
                   else Skipped(decision.skip))
        return Extraction(item=None, rejection=stopped, stats=pipelines.stats.get_stats(),
                          problems=decision.problems)
    item, rejection = pipelines.process(decision.item)
    return Extraction(item=item, rejection=rejection, stats=pipelines.stats.get_stats(),
                      problems=decision.problems)


@lru_cache(maxsize=16)
def _site_rules(site_url: str | None) -> SiteRules:
    """One ``SiteRules`` per site root, so that its URL cache lasts across pages."""
    return SiteRules(site_url) if site_url else SiteRules()
