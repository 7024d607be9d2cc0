"""One download per article: requests are de-duplicated by article id, not only by URL.

``/middle-east/<slug>-17811425`` and ``/article/17811425`` are the same story (the gen-3
site serves migrated items under their CMS id), so the second one is never downloaded. A
redirect from a legacy URL to ``/article/<id>`` is the same download continuing, so it is
let through even though it carries an id already seen.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter

from newsbot.urls import article_id_from_path
from urllib.parse import urlsplit


class ArticleDupeFilter(RFPDupeFilter):
    def request_seen(self, request: Request) -> bool:
        article_key = _article_key(request.url)
        if article_key is None:
            return super().request_seen(request)
        redirected_from = {_article_key(url) for url in request.meta.get("redirect_urls", [])}
        if article_key in self.fingerprints and article_key not in redirected_from:
            return True
        self.fingerprints.add(article_key)
        for url in request.meta.get("redirect_urls", []):
            key = _article_key(url)
            if key:
                self.fingerprints.add(key)
        if self.file:
            self.file.write(article_key + "\n")
        return False


def _article_key(url: str) -> str | None:
    article_id = article_id_from_path(urlsplit(url).path.rstrip("/") or "/")
    return f"article:{article_id}" if article_id else None
