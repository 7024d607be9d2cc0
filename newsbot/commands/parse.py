"""``scrapy parse URL``: Scrapy's own, with two newsbot touches.

* A production URL (``https://www.trtworld.com/...``) is fetched from ``NEWSBOT_SITE_URL``,
  as in a crawl (the production hosts are aliases of the site root), so
  ``NEWSBOT_SITE_URL=http://127.0.0.1:8000 scrapy parse https://www.trtworld.com/article/13099992``
  reads the local copy.
* The items printed are the spider's, before the item pipelines: a note says how to see the
  item as exported (``scrapy extract``).
"""

from __future__ import annotations

from newsbot.commands._usage import StrictOptions
from scrapy.commands.parse import Command as ScrapyParseCommand

PIPELINES_NOTE = ("# These are the spider's items BEFORE the item pipelines (raw dates and bylines). "
                  "The item as exported: scrapy fetch --nolog URL > page.html && "
                  "scrapy extract page.html --url URL")


class Command(StrictOptions, ScrapyParseCommand):
    def prepare_request(self, spider, request, opts):
        site = getattr(spider, "site", None)
        canonical = site.canonical(request.url) if site is not None else None
        if canonical and canonical != request.url:
            request = request.replace(url=canonical)
        return super().prepare_request(spider, request, opts)

    def print_items(self, lvl=None, colour=True) -> None:
        super().print_items(lvl, colour)
        items = self.items.get(lvl, []) if lvl is not None else [i for level in self.items.values() for i in level]
        if items:
            print(PIPELINES_NOTE)
