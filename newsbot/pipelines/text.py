"""Clean text fields: entities, stray tags and whitespace (w3lib); one name per section."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.normalise.sections import canonical_section
from newsbot.normalise.text import clean_body, clean_text

LINE_FIELDS = ("headline", "description", "section", "section_raw", "byline_raw")


class CleanText:
    def process_item(self, item):
        adapter = ItemAdapter(item)
        for field in LINE_FIELDS:
            adapter[field] = clean_text(adapter.get(field))
        # One name per section (`Turkiye`, `TÜRKİYE` -> `Türkiye`); the label stays in section_raw.
        adapter["section"] = canonical_section(adapter["section"])
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
