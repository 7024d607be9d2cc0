"""Counts how many extracted articles carry each important field (``newsbot/coverage/...``).

It runs after normalisation and before validation, so rejected articles count too: a
layout change that empties a field shows as falling coverage, which the health check of
scheduled runs compares with its floors.
"""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.pipelines.base import StatsPipeline, articles_only

COVERED_FIELDS = ("headline", "description", "section", "date_published", "date_modified",
                  "authors", "sources", "image", "body", "related", "tags")


class FieldCoverage(StatsPipeline):
    @articles_only
    def process_item(self, item):
        adapter = ItemAdapter(item)
        self.stats.inc_value("newsbot/coverage/items")
        for field in COVERED_FIELDS:
            if adapter.get(field) not in (None, "", [], {}):
                self.stats.inc_value(f"newsbot/coverage/{field}")
        return item
