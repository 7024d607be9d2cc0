"""Incremental crawls (``NEWSBOT_INCREMENTAL``): export only new and changed articles.

An article the state does not know is new (revision 1). A known one is exported again,
with the next revision, when its normalised content hash changed (a newer ``date_modified``
changes it too); otherwise it is dropped as unchanged and only its ``last_seen`` moves. The
revision is claimed from the state (atomically, with Redis: workers never share one); the
state records the export later, once the run-file writer has made the line durable.
"""

from __future__ import annotations

from datetime import datetime, timezone

from itemadapter import ItemAdapter
from scrapy.exceptions import NotConfigured

from newsbot.pipelines.rejection import Skipped, Unchanged
from newsbot.state import identity_keys
from newsbot.state_redis import ExportedElsewhere
from newsbot.workers import open_state


class Incremental:
    def __init__(self, store, stats):
        self.store = store
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_INCREMENTAL"):
            raise NotConfigured("NEWSBOT_INCREMENTAL is off")
        return cls(open_state(crawler.settings), crawler.stats)

    def close_spider(self):
        self.store.close()

    def process_item(self, item):
        adapter = ItemAdapter(item)
        keys = identity_keys(item)
        known = self.store.find(keys)
        try:
            revision = self.store.claim_revision(item)
        except ExportedElsewhere:
            self.stats.inc_value("newsbot/incremental/exported_elsewhere")
            raise Skipped(f"another worker is exporting this article now: {adapter['article_id']}",
                          log_level="INFO") from None
        if revision is None:
            known = known or self.store.find(keys)  # another worker recorded it just now
            self.store.touch(known.article_id, datetime.now(timezone.utc).isoformat(timespec="seconds"), keys)
            self.stats.inc_value("newsbot/incremental/unchanged")
            raise Unchanged(known.article_id)
        adapter["revision"] = revision
        self.stats.inc_value("newsbot/incremental/new" if known is None else "newsbot/incremental/updated")
        return item
