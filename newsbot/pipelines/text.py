"""Clean text fields: entities, stray tags and whitespace (w3lib); all-caps section labels."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.normalise.bylines import fix_name_case
from newsbot.normalise.text import clean_body, clean_text
from newsbot.pipelines.base import articles_only

LINE_FIELDS = ("headline", "description", "section", "byline_raw")


class CleanText:
    @articles_only
    def process_item(self, item):
        adapter = ItemAdapter(item)
        for field in LINE_FIELDS:
            adapter[field] = clean_text(adapter.get(field))
        if adapter["section"] and adapter["section"].isupper():
            # Labels are shown in capitals (CSS); `TÜRKİYE` -> `Türkiye`, Turkish-aware.
            adapter["section"] = fix_name_case(adapter["section"])
        adapter["body"] = clean_body(adapter.get("body"))
        adapter["tags"] = _unique(clean_text(tag) for tag in adapter.get("tags") or [])
        image = adapter.get("image")
        if image is not None:
            image.caption = clean_text(image.caption)
            image.credit = clean_text(image.credit)
        for link in adapter.get("related") or []:
            link.headline = clean_text(link.headline)
        return item


def _unique(values) -> list[str]:
    seen, result = set(), []
    for value in values:
        if value and value.casefold() not in seen:
            seen.add(value.casefold())
            result.append(value)
    return result
