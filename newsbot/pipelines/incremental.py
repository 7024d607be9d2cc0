"""Incremental crawls (``NEWSBOT_INCREMENTAL``): export only new and changed articles.

An article the state does not know is new (revision 1). A known one is exported again,
with the next revision, when its normalised content hash changed (a newer ``date_modified``
changes it too); otherwise it is dropped as unchanged and only its ``last_seen`` moves. The state
records an export later, once the run-file writer has made the line durable.
"""

from __future__ import annotations

from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newsbot.paths import state_path
from newsbot.pipelines.rejection import Unchanged
from newsbot.state import StateStore, content_hash, identity_keys
from newsbot.pipelines.base import articles_only


class Incremental:
    def __init__(self, store: StateStore, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_INCREMENTAL"):
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        return cls(StateStore(state_path(crawler.settings)), crawler.stats)

    def close_spider(self):
        self.store.close()

    @articles_only
    def process_item(self, item):
        adapter = ItemAdapter(item)
        keys = identity_keys(item)
        known = self.store.find(keys)
        if known is None or known.revision == 0:
            adapter["revision"] = 1
            self.stats.inc_value("newsbot/incremental/new")
            return item
        if content_hash(item) != known.content_hash:  # the hash covers date_modified too
            adapter["revision"] = known.revision + 1
            self.stats.inc_value("newsbot/incremental/updated")
            return item
        self.store.touch(known.article_id, datetime.now(timezone.utc).isoformat(timespec="seconds"), keys)
        self.stats.inc_value("newsbot/incremental/unchanged")
        raise Unchanged(known.article_id)
