"""Components that fail on purpose, injected into test crawls with ``-s`` (never in the
project settings): they stand for a bug in a pipeline or in the spider's callback."""

from __future__ import annotations

FAILING_ARTICLE_ID = "13099992"  # the seed article of the site copy


class RaisingPipeline:
    """Raises for one article, as a buggy pipeline would."""

    def process_item(self, item):
        if getattr(item, "article_id", None) == FAILING_ARTICLE_ID:
            raise ValueError(f"injected failure for {FAILING_ARTICLE_ID}")
        return item


class RaisingCallback:
    """Spider middleware: the article callback raises for one page, as a bug in
    extraction would."""

    def process_spider_output(self, response, result):
        if response.meta.get("newsbot_article") and response.url.endswith(FAILING_ARTICLE_ID):
            raise KeyError("injected failure in the article callback")
        yield from result

    async def process_spider_output_async(self, response, result):
        if response.meta.get("newsbot_article") and response.url.endswith(FAILING_ARTICLE_ID):
            raise KeyError("injected failure in the article callback")
        async for entry in result:
            yield entry


class BrokenAtStart:
    """A pipeline that cannot be created: a bug that stops the crawl before it starts."""

    @classmethod
    def from_crawler(cls, crawler):
        raise RuntimeError("broken on purpose")
