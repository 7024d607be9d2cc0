"""Spider contracts (``SPIDER_CONTRACTS``) for ``scrapy check``."""

from __future__ import annotations

from scrapy.contracts import Contract


class PathContract(Contract):
    """``@path /article/13099992``: like ``@url``, a page under the spider's site root
    (``NEWSBOT_SITE_URL``), so ``scrapy check trtworld -s NEWSBOT_SITE_URL=http://127.0.0.1:8000``
    checks the callbacks against a local copy of the site, offline."""

    name = "path"

    def adjust_request_args(self, args: dict) -> dict:
        spider = args["callback"].__self__  # the callback is bound to the crawl's spider
        args["url"] = spider.site.url_for(self.args[0])
        self.spider = spider
        return args

    def pre_process(self, response) -> None:
        # Each contract checks one callback on its own page, as if it were the run's first:
        # the links other contracts' pages already asked for must not be dropped as seen.
        self.spider.requested.clear()
        self.spider.requested_listings.clear()
