"""``-a max_articles=N``: exactly N articles are exported.

The spider also sets ``CLOSESPIDER_ITEMCOUNT`` so the crawl stops; responses already on
their way when it does still make items, and this last pipeline drops them (counted in
``newsbot/skipped/max_articles``), so the output never holds more than N.
"""

from __future__ import annotations

from newsbot.pipelines.base import StatsPipeline, articles_only
from newsbot.pipelines.rejection import OverLimit


class LimitArticles(StatsPipeline):
    def __init__(self, stats, limit: int | None = None):
        super().__init__(stats)
        self.limit = limit
        self.passed = 0

    @classmethod
    def from_crawler(cls, crawler):
        spider = getattr(crawler, "spider", None)
        return cls(crawler.stats, getattr(spider, "max_articles", None))

    @articles_only
    def process_item(self, item):
        if self.limit is not None and self.passed >= self.limit:
            self.stats.inc_value("newsbot/skipped/max_articles")
            raise OverLimit(self.limit)
        self.passed += 1
        return item
