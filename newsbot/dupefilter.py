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
from scrapy_redis.dupefilter import RFPDupeFilter as ScrapyRedisDupeFilter

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


# KEYS: the run's seen set, its count of articles. ARGV: URL fingerprint, article key or '',
# the article keys of the URLs this request was redirected from. One script: two workers finding the same
# article under two URLs at the same moment cannot both be let through.
_SEEN = """
local seen, fp, article = KEYS[1], ARGV[1], ARGV[2]
local url_new = redis.call('SADD', seen, fp)
if article == '' then return url_new == 0 and 1 or 0 end
local continuing = false
for i = 3, #ARGV do if ARGV[i] == article then continuing = true end end
if not continuing and (url_new == 0 or redis.call('SISMEMBER', seen, article) == 1) then return 1 end
if redis.call('SADD', seen, article) == 1 then redis.call('INCR', KEYS[2]) end
if #ARGV >= 3 then redis.call('SADD', seen, unpack(ARGV, 3)) end
return 0
"""


class RedisArticleDupeFilter(ScrapyRedisDupeFilter):
    """``ArticleDupeFilter``'s rule on scrapy-redis's Redis set, shared by all workers.

    The set's key is the current shared run's (set by ``newsbot.scheduler.SharedScheduler``),
    so pages are de-duplicated per run, not forever."""

    def __init__(self, server, key, debug=False):
        super().__init__(server, key, debug)
        self._seen = server.register_script(_SEEN)

    def request_seen(self, request: Request) -> bool:
        article_key = _article_key(request.url) or ""
        redirected_from = {_article_key(url) for url in request.meta.get("redirect_urls", [])} - {None}
        return bool(self._seen(keys=[self.key, self.articles_key],
                               args=[self.request_fingerprint(request), article_key, *sorted(redirected_from)]))

    @property
    def articles_key(self) -> str:
        """How many articles the whole run found (for the health check of each worker)."""
        return f"{self.key}:articles"

    def close(self, reason=""):
        pass  # the seen set belongs to the shared run, not to this worker
