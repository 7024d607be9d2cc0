"""Required fields: an item without them is rejected (to the rejects file), not exported."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.items import REQUIRED_FIELDS
from newsbot.pipelines.base import StatsPipeline, articles_only
from newsbot.pipelines.rejection import Rejected


def missing_fields(item) -> list[str]:
    """The required fields an item lacks, in contract order."""
    adapter = ItemAdapter(item)
    return [field for field in REQUIRED_FIELDS if adapter.get(field) in (None, "", [])]


class Validate(StatsPipeline):
    @articles_only
    def process_item(self, item):
        missing = missing_fields(item)
        if missing:
            for field in missing:
                self.stats.inc_value(f"newsbot/rejected/missing/{field}")
            raise Rejected("invalid", [f"missing {field}" for field in missing])
        return item
