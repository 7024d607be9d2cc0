"""Incremental crawls (``NEWSBOT_INCREMENTAL``): export only new and changed articles.

An article the state does not know is new (revision 1, or one more than the revision it
had before a ``scrapy state reset``: revisions never go back). A known one is exported
again, with the next revision, when its content hash (every exported field but
``scraped_at``, ``revision`` and ``provenance``) changed; otherwise it is dropped as
unchanged and only its last visit moves. The revision is claimed from the state (with
Redis, atomically: workers never share one); the state records the export later, once the
run-file writer has made the line durable.
"""

from __future__ import annotations

from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newsbot.pipelines.rejection import Skipped, Unchanged
from newsbot.state import HASH_VERSION, StateBackend, content_hash, identity_keys, state_for
from newsbot.pipelines.base import articles_only
from newsbot.state_redis import ExportedElsewhere


class Incremental:
    def __init__(self, store: StateBackend, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_INCREMENTAL"):
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        return cls(state_for(crawler), crawler.stats)

    def close_spider(self):
        self.store.flush()  # the store itself is closed by its owner (newsbot.state.state_for)

    @articles_only
    def process_item(self, item):
        adapter = ItemAdapter(item)
        keys = identity_keys(item)
        known = self.store.find(keys)
        if known is None or known.revision == 0:
            if self.claim(item, self.store.revision_floor(keys) + 1):
                self.stats.inc_value("newsbot/incremental/new")
                return item
            known = self.store.find(keys)  # another worker recorded this very content just now
        digest = content_hash(item)
        upgraded = known.hash_version != HASH_VERSION and content_hash(item, known.hash_version) == known.content_hash
        if digest != known.content_hash and not upgraded and self.claim(item, known.revision + 1):
            self.stats.inc_value("newsbot/incremental/updated")
            return item
        self.store.touch(known.article_id, datetime.now(timezone.utc).isoformat(timespec="seconds"), keys,
                         published=adapter.get("date_published"), content_hash=digest if upgraded else None)
        self.stats.inc_value("newsbot/incremental/unchanged")
        raise Unchanged(known.article_id)

    def claim(self, item, revision: int) -> bool:
        """Set the item's revision as the state grants it (with Redis: atomically, never one
        revision for two workers); False when its content is the one exported already."""
        try:
            granted = self.store.claim_revision(item, revision)
        except ExportedElsewhere:
            self.stats.inc_value("newsbot/incremental/exported_elsewhere")
            raise Skipped(f"another worker is exporting this article now: {ItemAdapter(item)['article_id']}",
                          log_level="INFO") from None
        if not granted:
            return False
        ItemAdapter(item)["revision"] = granted
        return True
