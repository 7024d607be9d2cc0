"""What the counting pipelines share."""

from __future__ import annotations

import functools

from newsbot.items import Article


class StatsPipeline:
    """A pipeline that counts what it sees in the crawl's stats, under ``newsbot/...``."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)


def articles_only(process_item):
    """Decorates ``process_item``: newsbot's pipelines act on ``Article`` items only, and pass
    any other item (a spider of your own in this project) through untouched."""

    @functools.wraps(process_item)
    def wrapper(self, item, *args, **kwargs):
        if not isinstance(item, Article):
            return item
        return process_item(self, item, *args, **kwargs)

    return wrapper
