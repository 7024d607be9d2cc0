"""What the counting pipelines share."""

from __future__ import annotations


class StatsPipeline:
    """A pipeline that counts what it sees in the crawl's stats, under ``newsbot/...``."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)
