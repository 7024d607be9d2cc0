"""JSON rendering shared by the commands."""

from __future__ import annotations

import json

from itemadapter import ItemAdapter
from scrapy.utils.serialize import ScrapyJSONEncoder

from newsbot.offline import Extraction

def extraction_record(extraction: Extraction) -> dict:
    """The item as exported, or (when rejected) the item so far plus the reasons."""
    item = extraction.item
    record = json.loads(ScrapyJSONEncoder().encode(ItemAdapter(item).asdict())) if item is not None else {}
    if extraction.rejection is not None:
        stopped = extraction.rejection
        record["rejected"] = {"reason": getattr(stopped, "kind", type(stopped).__name__.lower()),
                              "reasons": getattr(stopped, "reasons", [str(stopped)])}
    return record


def dumps_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)
