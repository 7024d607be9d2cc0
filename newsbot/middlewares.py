"""Downloader middleware of incremental crawls: a redirect to a known, unchanged article
is not followed.

The spider's planner (``newsbot.frontier``) decides about every article link before a
request exists. A redirect makes a request the spider never saw: a legacy URL answering
301 with ``/article/<id>``. This middleware puts those targets to the same decision
(``Planner.decide_redirect``); a known, unchanged one is dropped (``KnownArticle``, counted in
``newsbot/incremental/skipped_known``), the URLs it was reached from are remembered as
aliases (not requested next time), and the spider follows the links the state recorded for
it. Requests asked for by name (``start_urls``: ``dont_filter``) always pass.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest, NotConfigured

from newsbot.frontier import Planner

ARTICLE_META = "newsbot_article"
REQUESTED_META = "newsbot_requested"  # the article URL as the spider requested it (the frontier's key)
HINTS_META = "newsbot_hints"  # {source: hint} the planner had for it
RESCHEDULED_META = "newsbot_rescheduled"  # skipped earlier in the run, due after a later hint


class KnownArticle(IgnoreRequest):
    """The article is known and nothing says it changed."""

    def __init__(self, article_id: str):
        self.article_id = article_id
        super().__init__(f"known and unchanged: {article_id}")


class SkipKnownArticles:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_INCREMENTAL"):
            raise NotConfigured("NEWSBOT_INCREMENTAL is off")
        return cls(crawler)

    @property
    def planner(self) -> Planner:
        return self.crawler.spider.planner

    def process_request(self, request):
        redirected_from = request.meta.get("redirect_urls")
        if not request.meta.get(ARTICLE_META) or request.dont_filter or not redirected_from:
            return None
        decision, known = self.planner.decide_redirect(request.url, request.meta.get(HINTS_META) or {})
        if decision.fetch:
            return None
        site = self.planner.site
        keys = [f"url:{url}" for url in (site.canonical(u) for u in redirected_from) if url]
        if keys:
            self.planner.store.add_aliases(known.article_id, keys)
        self.crawler.stats.inc_value("newsbot/incremental/skipped_known")
        raise KnownArticle(known.article_id)
