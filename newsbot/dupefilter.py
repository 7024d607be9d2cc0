"""One download per article: requests are de-duplicated by article id, not only by URL.

``/middle-east/<slug>-17811425`` and ``/article/17811425`` are the same story (the gen-3
site serves migrated items under their CMS id), so the second one is never downloaded. A
redirect from a legacy URL to ``/article/<id>`` is the same download continuing, so it is
let through even though it carries an id already seen. So is an incremental crawl's
request for an article its planner skipped earlier in the run and now finds due after a
later, different hint (``newsbot_rescheduled``): the planner makes that request once only.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter

from newsbot.middlewares import RESCHEDULED_META
from newsbot.urls import article_id_from_path


class ArticleDupeFilter(RFPDupeFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.article_keys: set[str] = set()

    def request_seen(self, request: Request) -> bool:
        url_seen = super().request_seen(request)  # also records the URL (JOBDIR included)
        article_key = _article_key(request.url)
        if article_key is None:
            return url_seen
        redirected_from = {_article_key(url) for url in request.meta.get("redirect_urls", [])}
        if request.meta.get(RESCHEDULED_META):
            redirected_from.add(article_key)
        if article_key not in redirected_from and (url_seen or article_key in self.article_keys):
            return True
        self.article_keys.add(article_key)
        self.article_keys.update(key for key in redirected_from if key)
        return False


def _article_key(url: str) -> str | None:
    article_id = article_id_from_path(urlsplit(url).path.rstrip("/") or "/")
    return f"article:{article_id}" if article_id else None
