"""newsbot's feed exporters on arbitrary articles (hypothesis): what the standard readers get
back is the article, within the documented limits of each format."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.exporters import (CSV_COLUMNS, JSON_COLUMNS, LIST_SEPARATOR, NOT_XML_CHARACTERS,
                               CsvItemExporter, XmlItemExporter, plain)
from newsbot.items import ARTICLE_FIELDS, IMAGE_FIELDS, LIST_FIELDS, Article, Image, RelatedLink

INT_FIELDS = ("read_time_minutes", "schema_version", "revision")
# Any text, commas, quotes, newlines, markup and control characters included (no lone surrogates:
# they cannot be UTF-8).
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
NAME = TEXT.filter(lambda t: ";" not in t)  # documented: a name never holds ";"
OPTIONAL = st.none() | TEXT

articles = st.builds(
    Article, url=TEXT, article_id=TEXT, headline=OPTIONAL, description=OPTIONAL, section=OPTIONAL,
    read_time_minutes=st.none() | st.integers(0, 999), date_published=OPTIONAL, date_modified=OPTIONAL,
    date_published_raw=OPTIONAL, authors=st.lists(NAME, max_size=3), byline_raw=OPTIONAL,
    sources=st.lists(NAME, max_size=3), body=OPTIONAL, tags=st.lists(NAME, max_size=3),
    image=st.none() | st.builds(Image, url=OPTIONAL, caption=OPTIONAL, credit=OPTIONAL),
    related=st.lists(st.builds(RelatedLink, url=TEXT, headline=OPTIONAL), max_size=3),
    language=OPTIONAL, provenance=st.dictionaries(st.sampled_from(ARTICLE_FIELDS), TEXT, max_size=3),
    scraped_at=OPTIONAL, schema_version=st.integers(1, 9), revision=st.integers(1, 99))


def export(exporter_class, items) -> bytes:
    buffer = io.BytesIO()
    exporter = exporter_class(buffer)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return buffer.getvalue()


def expected_csv(item: Article) -> dict:
    """What a CSV row can say: null and empty text are both the empty cell; an image with
    nothing set is no image."""
    record = plain(item)
    image = record["image"]
    record["image"] = image if image and any(image.values()) else None
    return record


def from_csv(row: dict) -> dict:
    record = {}
    for name in ARTICLE_FIELDS:
        if name == "image":
            image = {key: row[f"image_{key}"] or None for key in IMAGE_FIELDS}
            record[name] = image if any(image.values()) else None
        elif name in LIST_FIELDS:
            record[name] = row[name].split(LIST_SEPARATOR) if row[name] else []
        elif name in JSON_COLUMNS:
            record[name] = json.loads(row[name])
        elif name in INT_FIELDS:
            record[name] = int(row[name]) if row[name] else None
        else:
            record[name] = row[name] or None
    return record


@settings(max_examples=150, deadline=None)
@given(st.lists(articles, min_size=1, max_size=3))
def test_csv_reads_back_as_the_articles(items):
    text = export(CsvItemExporter, items).decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    assert [from_csv(row) for row in rows] == [expected_csv(item) for item in items]


def xml_text(value):
    """What an XML reader gives back for a text: forbidden characters gone, line ends
    normalised to \\n (XML 1.0, 2.11), empty text is no text."""
    if value is None:
        return None
    return NOT_XML_CHARACTERS.sub("", value).replace("\r\n", "\n").replace("\r", "\n") or None


def expected_xml(item: Article) -> dict:
    record = plain(item)
    for name in ARTICLE_FIELDS:
        value = record[name]
        if name in LIST_FIELDS:
            record[name] = [xml_text(v) for v in value]
        elif name == "image":
            record[name] = None if value is None else {k: xml_text(v) for k, v in value.items()}
        elif name == "related":
            record[name] = [{k: xml_text(v) for k, v in link.items()} for link in value]
        elif name == "provenance":
            record[name] = {k: xml_text(v) for k, v in value.items()}
        elif name not in INT_FIELDS:
            record[name] = xml_text(value)
    return record


def from_xml(element: ET.Element) -> dict:
    record = {}
    for name in ARTICLE_FIELDS:
        child = element.find(name)
        if name in LIST_FIELDS:
            record[name] = [] if child is None else [value.text for value in child.findall("value")]
        elif name == "related":
            record[name] = [] if child is None else [
                {"url": value.findtext("url") or None, "headline": value.findtext("headline") or None}
                for value in child.findall("value")]
        elif name == "image":
            record[name] = None if child is None else {key: child.findtext(key) or None for key in IMAGE_FIELDS}
        elif name == "provenance":
            record[name] = {} if child is None else {sub.tag: sub.text for sub in child}
        elif name in INT_FIELDS:
            record[name] = None if child is None else int(child.text)
        else:
            record[name] = None if child is None else child.text
    return record


@settings(max_examples=150, deadline=None)
@given(st.lists(articles, min_size=1, max_size=3))
def test_xml_parses_and_reads_back_as_the_articles(items):
    root = ET.fromstring(export(XmlItemExporter, items))
    assert [from_xml(element) for element in root.findall("item")] == [expected_xml(item) for item in items]


def test_other_items_are_exported_as_scrapy_would():
    text = export(CsvItemExporter, [{"text": "hello", "n": ["a", "b"]}]).decode("utf-8")
    assert text.splitlines() == ["text,n", 'hello,"a,b"']
