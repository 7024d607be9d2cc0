"""Feed exporters (``FEED_EXPORTERS``): Scrapy's own, told what an Article's nested fields are.

Scrapy's JSON and JSON lines exporters already write an Article right (its encoder turns the
nested dataclasses into objects). The others would write Python reprs (``Image(url=...)``,
``[RelatedLink(...)]``, ``{'url': ...}``) or fail, so for Article items:

csv
    The columns of ``scrapy dataset -o x.csv`` (``CSV_COLUMNS``): ``image`` is flattened to
    ``image_url``, ``image_caption``, ``image_credit``; ``authors``, ``sources``, ``tags`` are
    joined with ``"; "``; ``related`` and ``provenance`` are compact JSON text; null is empty.
    ``FEED_EXPORT_FIELDS`` selects among these columns.
xml
    One element per field; ``image`` and ``provenance`` have a child element per key,
    ``related`` and the string lists a ``<value>`` per entry (Scrapy's layout for lists);
    a null field has no element. Characters XML 1.0 cannot hold (C0 controls other than
    tab and newlines) are left out, or the file would not parse.
pickle, marshal
    Plain dicts, lists and strings (no newsbot class needed to load them).

Any other item (a spider of your own in this project) is exported as Scrapy would.
"""

from __future__ import annotations

import json
import re

from itemadapter import ItemAdapter
from scrapy import exporters

from newsbot.items import ARTICLE_FIELDS, IMAGE_FIELDS, LIST_FIELDS, Article

LIST_SEPARATOR = "; "
JSON_COLUMNS = ("related", "provenance")
COMPACT_JSON = {"ensure_ascii": False, "separators": (",", ":")}
NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CSV_COLUMNS = tuple(column for name in ARTICLE_FIELDS
                    for column in ([f"image_{key}" for key in IMAGE_FIELDS] if name == "image" else [name]))


def csv_row(record: dict) -> list[str]:
    """One CSV row (``CSV_COLUMNS``) from a record (the Article as plain JSON values)."""
    row = []
    for name in ARTICLE_FIELDS:
        value = record[name]
        if name == "image":
            row += ["" if value is None or value[key] is None else value[key] for key in IMAGE_FIELDS]
        elif name in LIST_FIELDS:
            row.append(LIST_SEPARATOR.join(value))
        elif name in JSON_COLUMNS:
            row.append(json.dumps(value, **COMPACT_JSON))
        else:
            row.append("" if value is None else str(value))
    return row


def plain(item) -> dict:
    """The Article as plain dicts, lists and scalars."""
    return ItemAdapter(item).asdict()


def _for_xml(value):
    """Plain values as XML can hold them: no null fields, no characters XML forbids."""
    if isinstance(value, dict):
        return {key: _for_xml(v) for key, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_for_xml(v) for v in value]
    if isinstance(value, str):
        return NOT_XML_CHARACTERS.sub("", value)
    return value


class CsvItemExporter(exporters.CsvItemExporter):
    def export_item(self, item) -> None:
        if isinstance(item, Article):
            item = dict(zip(CSV_COLUMNS, csv_row(plain(item))))
        super().export_item(item)


class XmlItemExporter(exporters.XmlItemExporter):
    def export_item(self, item) -> None:
        super().export_item(_for_xml(plain(item)) if isinstance(item, Article) else item)


class PickleItemExporter(exporters.PickleItemExporter):
    def export_item(self, item) -> None:
        super().export_item(plain(item) if isinstance(item, Article) else item)


class MarshalItemExporter(exporters.MarshalItemExporter):
    def export_item(self, item) -> None:
        super().export_item(plain(item) if isinstance(item, Article) else item)
