"""JSON rendering shared by the commands."""

from __future__ import annotations

import json

from itemadapter import ItemAdapter
from scrapy.utils.serialize import ScrapyJSONEncoder

from newsbot.offline import Extraction

def extraction_record(extraction: Extraction) -> dict:
    """The item as exported, or (when rejected) the item so far plus the reasons."""
    record = json.loads(ScrapyJSONEncoder().encode(ItemAdapter(extraction.item).asdict()))
    if extraction.rejection is not None:
        record["rejected"] = {"reason": extraction.rejection.kind, "reasons": extraction.rejection.reasons}
    return record


def dumps_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)
