"""Every stock feed format, written by Scrapy's own exporters in one real crawl of the site
copy, read back with the standard reader of the format; Parquet and CSV via `scrapy dataset`."""

from __future__ import annotations

import csv
import json
import marshal
import os
import pickle
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsbot.exporters import CSV_COLUMNS, JSON_COLUMNS, LIST_SEPARATOR
from newsbot.items import ARTICLE_FIELDS, IMAGE_FIELDS, LIST_FIELDS
from tests.conftest import REPO

pytestmark = pytest.mark.e2e

FEED_FORMATS = ("jsonl", "json", "csv", "xml", "pickle", "marshal")
TEXT_FORMATS = ("jsonl", "json", "csv", "xml")
INT_FIELDS = ("read_time_minutes", "schema_version", "revision")


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}


@pytest.fixture(scope="module")
def feeds(site, tmp_path_factory) -> Path:
    """One crawl writing every stock format at once (and run files for `scrapy dataset`)."""
    out = tmp_path_factory.mktemp("feeds")
    outputs = [arg for fmt in FEED_FORMATS for arg in ("-O", str(out / f"articles.{fmt}"))]
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "trtworld", *outputs,
         "-s", f"NEWSBOT_SITE_URL={site.url}", "-s", f"NEWSBOT_DATA_DIR={out / 'data'}",
         "-s", "NEWSBOT_RUN_FILES=True", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING: Disabled" not in done.stderr
    for fmt in ("parquet", "csv"):
        built = subprocess.run([sys.executable, "-m", "scrapy", "dataset", "-o", str(out / f"dataset.{fmt}"),
                                "-s", f"NEWSBOT_DATA_DIR={out / 'data'}"],
                               cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=600)
        assert built.returncode == 0, built.stderr
    return out


@pytest.fixture(scope="module")
def records(feeds) -> dict[str, dict]:
    """The JSON lines feed, the reference every other format must match."""
    lines = (feeds / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) > 10
    return {record["article_id"]: record for record in map(json.loads, lines)}


def by_id(rows) -> dict[str, dict]:
    return {row["article_id"]: row for row in rows}


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_no_python_repr_in_any_text_output(feeds, fmt):
    text = (feeds / f"articles.{fmt}").read_text(encoding="utf-8")
    for marker in ("Image(", "RelatedLink(", "{'", "[{'"):
        assert marker not in text, (fmt, marker)


def test_json_array_equals_the_lines(feeds, records):
    assert by_id(json.loads((feeds / "articles.json").read_text(encoding="utf-8"))) == records


def from_csv(row: dict) -> dict:
    """An Article record from a CSV row of the documented columns."""
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


def test_csv_has_the_documented_columns_and_every_value(feeds, records):
    with (feeds / "articles.csv").open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    assert by_id(map(from_csv, rows)) == records


def test_crawl_csv_and_dataset_csv_are_the_same_table(feeds):
    def table(name):
        with (feeds / name).open(encoding="utf-8", newline="") as file:
            return by_id(csv.DictReader(file))

    crawl, dataset = table("articles.csv"), table("dataset.csv")
    assert list(next(iter(crawl.values()))) == list(next(iter(dataset.values())))
    assert crawl == dataset


def from_xml(element: ET.Element) -> dict:
    record = {}
    for name in ARTICLE_FIELDS:
        child = element.find(name)
        if child is None:
            record[name] = [] if name in (*LIST_FIELDS, "related") else {} if name == "provenance" else None
        elif name in LIST_FIELDS:
            record[name] = [value.text for value in child.findall("value")]
        elif name == "related":
            record[name] = [{key: value.findtext(key) for key in ("url", "headline")}
                            for value in child.findall("value")]
        elif name == "image":
            record[name] = {key: child.findtext(key) for key in IMAGE_FIELDS}
        elif name == "provenance":
            record[name] = {sub.tag: sub.text for sub in child}
        elif name in INT_FIELDS:
            record[name] = int(child.text)
        else:
            record[name] = child.text
    return record


def test_xml_has_nested_elements_and_every_value(feeds, records):
    root = ET.parse(feeds / "articles.xml").getroot()
    items = root.findall("item")
    assert by_id(map(from_xml, items)) == records
    seed = next(item for item in items if item.findtext("article_id") == "13099992")
    assert seed.find("image/url").text.startswith("https://")
    assert seed.find("related/value/url") is not None
    assert seed.find("date_modified") is None  # null: no element, never the text "None"
    assert "None" not in [element.text for element in root.iter()]


def load_all(path: Path, load) -> list:
    loaded = []
    with path.open("rb") as file:
        while True:
            try:
                loaded.append(load(file))
            except EOFError:
                return loaded


def plain_types_only(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_types_only(v) for v in value)
    return value is None or isinstance(value, (str, int))


@pytest.mark.parametrize("fmt, load", [("pickle", pickle.load), ("marshal", marshal.load)])
def test_pickle_and_marshal_hold_plain_values(feeds, records, fmt, load):
    loaded = load_all(feeds / f"articles.{fmt}", load)
    assert all(plain_types_only(record) for record in loaded)
    assert by_id(loaded) == records


def test_parquet_dataset_reads_back_typed(feeds, records):
    table = pq.read_table(feeds / "dataset.parquet")
    rows = by_id(table.to_pylist())
    assert set(rows) == set(records)
    seed, expected = rows["13099992"], records["13099992"]
    assert seed["image"] == expected["image"]
    assert seed["related"] == expected["related"]
    assert dict(seed["provenance"]) == expected["provenance"]
    assert seed["authors"] == expected["authors"]
    assert seed["date_published_iso"] == expected["date_published"]
    for value in table.column("headline").to_pylist():
        assert not any(marker in (value or "") for marker in ("Image(", "RelatedLink("))
