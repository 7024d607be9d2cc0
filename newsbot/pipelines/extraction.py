"""Counts, per field, which extraction layer produced it (or that none did)."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.pipelines.base import StatsPipeline, articles_only

COUNTED_FIELDS = ("headline", "description", "section", "read_time_minutes", "date_published",
                  "date_modified", "authors", "sources", "image", "body", "related", "tags",
                  "language")


class ExtractionStats(StatsPipeline):
    """``newsbot/extract/<field>/<source>``, and ``.../missing`` when no layer had it:
    a fallback that never wins, or a field that goes missing, shows in the stats."""

    @articles_only
    def process_item(self, item):
        provenance = ItemAdapter(item).get("provenance") or {}
        for field in COUNTED_FIELDS:
            self.stats.inc_value(f"newsbot/extract/{field}/{provenance.get(field, 'missing')}")
        return item
