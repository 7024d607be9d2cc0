"""`scrapy dataset`: run files in, one deduplicated dataset with a card out.

Run files are built by hand in tmp_path from real records (tests/site/expected), shaped as
the cron crawl writes them: revisions in later runs, a story under two ids, a killed
run's .part with a cut last line, gzip files, a gzip .part without trailer, bad lines.
"""

from __future__ import annotations

import copy
import csv
import gzip
import json
import os
import random
import subprocess
import sys
import zlib
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import jsonschema
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import example, given, settings, strategies as st

from newsbot.dataset import CSV_COLUMNS, PARQUET_SCHEMA, Filters, NoRunFiles, build_dataset, card_path, chart_path
from newsbot.dataset.dates import When, parse_bound, parse_when
from newsbot.dataset.merge import MergeStore
from newsbot.dataset.records import ARTICLE_FIELDS
from newsbot.pipelines.dedupe import story_key
from newsbot.dataset.runs import RunFileReport, find_run_files, read_records
from newsbot.dataset.card import binned, chart_bins
from newsbot.dataset.writers import output_format, output_stem
from tests.conftest import REPO, SITE_DIR

SITE = "https://www.trtworld.com"
SCHEMA = json.loads((REPO / "newsbot" / "article.schema.json").read_text(encoding="utf-8"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SLUGS = {
    "iraq": "iraqi-forces-open-new-front-in-final-push-against-daesh-13099992",  # day-only 2017-11-25
    "bomb": "bomb-blast-at-pakistan-seminary-kills-top-cleric-4-others-18269747",  # 2025-02-28T11:30Z
    "glacier": "glacier-burst-in-indian-himalayas-leaving-dozens-trapped-18269728",  # +03:00
    "army": "israeli-army-admits-colossal-failure-in-october-7-probe-18269601",  # 04:19+03:00 = 02-28 01:19Z
    "india": "india-eu-agree-to-finalise-free-trade-pact-in-2025-18269673",
    "africa": "south-africas-ramaposa-rows-back-from-pledge-to-qu",  # prefix, day-only 2023-04-26
    "motherland": "return-to-the-motherland-8763",  # day-only, modified with time
}


def expected_record(prefix: str, **changes) -> dict:
    """A real record from the site copy, completed as a run file holds it."""
    [path] = sorted((SITE_DIR / "expected").glob(f"{prefix}*.json"))
    record = json.loads(path.read_text(encoding="utf-8").replace("{site}", SITE))
    record = {"provenance": {"headline": "flight"}, "scraped_at": "2025-03-01T09:00:00+00:00",
              "schema_version": 2, "revision": 1, **record}
    record = {name: record.get(name) for name in ARTICLE_FIELDS}
    record.update(changes)
    return record


def line(record: dict) -> bytes:
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def write_run(runs: Path, day: str, name: str, lines: list[bytes], gzip_member: bool = False,
              trailer: bool = True) -> Path:
    """A run file under runs/YYYY/MM/DD/; gzip with or without its trailer (a killed gzip run)."""
    path = runs / day / name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(lines)
    if gzip_member:
        compressor = zlib.compressobj(wbits=31)
        data = compressor.compress(data) + (compressor.flush() if trailer else compressor.flush(zlib.Z_SYNC_FLUSH))
    path.write_bytes(data)
    return path


@pytest.fixture
def records() -> dict:
    iraq = expected_record(SLUGS["iraq"])
    bomb = expected_record(SLUGS["bomb"])
    return {
        "iraq1": iraq,
        "iraq2": {**copy.deepcopy(iraq), "revision": 2, "description": "Updated standfirst.",
                  "scraped_at": "2025-03-01T10:00:00+00:00"},
        # The same revision 2 written again by the next run (a killed run's worst case).
        "iraq2_again": {**copy.deepcopy(iraq), "revision": 2, "description": "Updated: Türkiye’s view.",
                        "scraped_at": "2025-03-01T11:00:00+00:00"},
        "bomb": bomb,
        # The same story under another id (TRT Global edition): same headline, same day.
        "bomb_copy": {**copy.deepcopy(bomb), "article_id": "0a1b2c3d4e5f", "url": f"{SITE}/article/0a1b2c3d4e5f",
                      "date_published": "2025-02-28T14:00:00+03:00",
                      "scraped_at": "2025-03-01T11:00:00+00:00"},
        "glacier": expected_record(SLUGS["glacier"]),
        "glacier2": expected_record(SLUGS["glacier"], revision=2, section="World",
                                    scraped_at="2025-03-01T11:00:00+00:00"),
        "army": expected_record(SLUGS["army"]),
        "india": expected_record(SLUGS["india"]),
        # Same canonical URL, a legacy id: one story with india.
        "india_legacy": expected_record(SLUGS["india"], article_id="777001",
                                        headline="India and EU agree to finalise trade pact"),
        "africa": expected_record(SLUGS["africa"]),
        "motherland": expected_record(SLUGS["motherland"], authors=["Nadine Sayegh", "Staff Reporter"]),
    }


@pytest.fixture
def data_dir(tmp_path, records) -> Path:
    """Five runs: plain (two bad lines), gzip (one bad line), a killed .part and a killed gzip
    .part without trailer (each with a cut last line), and one filed under an earlier day."""
    data = tmp_path / "data"
    runs = data / "runs"
    r = records
    write_run(runs, "2025/03/01", "20250301T090000Z-100.jsonl",
              [line(r["iraq1"]), line(r["bomb"]), line(r["glacier"]), b"{not json\n",
               line({k: v for k, v in r["army"].items() if k != "article_id"}), b"\n", line(r["india_legacy"])])
    write_run(runs, "2025/03/01", "20250301T100000Z-101.jsonl.gz",
              [line(r["iraq2"]), line(r["india"]), line({**r["army"], "read_time_minutes": "4"})],
              gzip_member=True)
    write_run(runs, "2025/03/01", "20250301T110000Z-102.jsonl.part",
              [line(r["bomb_copy"]), line(r["army"]), line(r["motherland"])[:150]])
    write_run(runs, "2025/03/01", "20250301T110000Z-103.jsonl.gz.part",
              [line(r["iraq2_again"]), line(r["glacier2"]), line(r["africa"]), line(r["africa"])[:200]],
              gzip_member=True, trailer=False)
    # A day folder out of order: run order is the file name, not the folder.
    write_run(runs, "2025/02/28", "20250301T120000Z-104.jsonl", [line(r["motherland"])])
    (runs / "2025/03/01/20250301T100000Z-101.manifest.json").write_text("{}", encoding="utf-8")
    return data


def build(data_dir: Path, out: Path, **filters) -> tuple:
    result = build_dataset(data_dir / "runs", out, Filters.from_options(**filters))
    return result, out


def jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(text) for text in lines]


# --- reading ------------------------------------------------------------------------------

def test_run_files_are_found_in_run_order(data_dir):
    names = [run.path.name for run in find_run_files(data_dir / "runs")]
    assert names == ["20250301T090000Z-100.jsonl", "20250301T100000Z-101.jsonl.gz",
                     "20250301T110000Z-102.jsonl.part", "20250301T110000Z-103.jsonl.gz.part",
                     "20250301T120000Z-104.jsonl"]


def test_damaged_lines_are_counted_never_fatal(data_dir):
    runs = find_run_files(data_dir / "runs")
    for run in runs:
        list(read_records(run))
    counts = {run.path.name: (run.lines, run.records, run.bad, run.cut, run.partial, run.truncated) for run in runs}
    assert counts == {
        "20250301T090000Z-100.jsonl": (6, 4, 2, 0, False, False),  # not JSON, no article_id
        "20250301T100000Z-101.jsonl.gz": (3, 2, 1, 0, False, False),  # read_time_minutes "4"
        "20250301T110000Z-102.jsonl.part": (3, 2, 0, 1, True, False),
        "20250301T110000Z-103.jsonl.gz.part": (4, 3, 0, 1, True, True),
        "20250301T120000Z-104.jsonl": (1, 1, 0, 0, False, False),
    }
    assert any("missing article_id" in p for p in runs[0].problems)
    assert any("read_time_minutes" in p for p in runs[1].problems)


def test_a_part_its_run_renames_meanwhile_is_read_under_the_final_name(tmp_path, records):
    part = write_run(tmp_path / "runs", "2025/03/01", "20250301T090000Z-1.jsonl.part", [line(records["army"])])
    [report] = find_run_files(tmp_path / "runs")
    part.rename(part.with_name("20250301T090000Z-1.jsonl"))  # the crawl closed its run
    assert [r["article_id"] for _, r, _ in read_records(report)] == ["18269601"]
    assert report.display == "runs/2025/03/01/20250301T090000Z-1.jsonl" and not report.partial


def test_concatenated_gzip_members_are_all_read(tmp_path, records):
    path = tmp_path / "runs" / "20250301T090000Z-1.jsonl.gz"
    path.parent.mkdir()
    path.write_bytes(gzip.compress(line(records["army"])) + gzip.compress(line(records["bomb"])))
    report = RunFileReport(path, path.name)
    assert [r["article_id"] for _, r, _ in read_records(report)] == ["18269601", "18269747"]
    assert not report.truncated and not report.problems


def test_a_line_without_end_is_not_held_whole(tmp_path, records, monkeypatch):
    monkeypatch.setattr("newsbot.dataset.runs.MAX_LINE_BYTES", 20_000)
    monkeypatch.setattr("newsbot.dataset.runs.CHUNK_BYTES", 256)
    path = write_run(tmp_path / "runs", "2025/03/01", "20250301T090000Z-1.jsonl",
                     [b"x" * 50_000 + b"\n", line(records["army"]), b"y" * 30_000])
    report = RunFileReport(path, path.name)
    assert [r["article_id"] for _, r, _ in read_records(report)] == ["18269601"]
    assert (report.lines, report.records, report.bad, report.cut) == (3, 1, 2, 0)


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10_000), compress=st.booleans())
def test_a_killed_run_cut_anywhere_yields_a_prefix_of_its_records(tmp_path_factory, cut, compress):
    records = [expected_record(SLUGS[key]) for key in ("iraq", "bomb", "glacier")]
    data = b"".join(line(r) for r in records)
    if compress:  # a gzip run syncs after each line; the kill may land inside the deflate stream
        compressor = zlib.compressobj(wbits=31)
        data = b"".join(compressor.compress(line(r)) + compressor.flush(zlib.Z_SYNC_FLUSH) for r in records)
    path = tmp_path_factory.mktemp("cut") / ("run.jsonl.gz.part" if compress else "run.jsonl.part")
    path.write_bytes(data[:cut % (len(data) + 1)])
    report = RunFileReport(path, path.name)
    got = [record for _, record, _ in read_records(report)]
    assert got == records[:len(got)]
    assert report.bad == 0 and report.cut <= 1 and report.records == len(got)


# --- merging -------------------------------------------------------------------------------

def test_every_article_once_in_its_latest_revision(data_dir, tmp_path, records):
    result, out = build(data_dir, tmp_path / "out" / "articles.jsonl")
    rows = jsonl(out)
    ids = [row["article_id"] for row in rows]
    assert sorted(ids) == sorted(["13099992", "0a1b2c3d4e5f", "18269728", "18269601", "18269673",
                                  records["africa"]["article_id"], "8763"])
    by_id = {row["article_id"]: row for row in rows}
    # Revision 2 written twice: the later run file wins the tie.
    assert by_id["13099992"]["revision"] == 2
    assert by_id["13099992"]["description"] == "Updated: Türkiye’s view."
    assert by_id["18269728"]["revision"] == 2 and by_id["18269728"]["section"] == "World"
    # Same headline + day under two ids, both revision 1: the later run's copy stands for the story.
    assert "18269747" not in by_id
    # Same URL under a legacy id: one story; the later run file's record wins.
    assert by_id["18269673"]["headline"] == records["india"]["headline"]
    assert result.rows == len(rows) == 7
    assert (result.merge.records, result.merge.superseded, result.merge.merged_ids) == (12, 3, 2)


def test_ties_go_to_the_later_scraped_at_within_a_run(tmp_path, records):
    runs = tmp_path / "runs"
    early = {**records["bomb"], "scraped_at": "2025-03-01T12:00:00+03:00", "description": "early"}
    late = {**records["bomb"], "scraped_at": "2025-03-01T10:00:00+00:00", "description": "late"}
    write_run(runs, "2025/03/01", "20250301T090000Z-1.jsonl", [line(late), line(early)])
    build_dataset(runs, tmp_path / "out.jsonl")
    [row] = jsonl(tmp_path / "out.jsonl")
    assert row["description"] == "late"  # 10:00Z is after 12:00+03:00 (09:00Z), though listed first


def test_output_order_is_day_then_instant_then_id_undated_last(tmp_path, records):
    runs = tmp_path / "runs"
    base = records["bomb"]
    shapes = [("b", "2025-02-28T10:00:00+00:00"), ("a", "2025-02-28T09:00:00+00:00"),
              ("c", "2025-02-28"), ("d", None), ("e", "2025-02-27T23:30:00-05:00"), ("f", "2017-11-25")]
    write_run(runs, "2025/03/01", "20250301T090000Z-1.jsonl",
              [line({**base, "article_id": key, "url": f"{SITE}/article/{key}", "headline": f"Story {key}",
                     "date_published": when}) for key, when in shapes])
    build_dataset(runs, tmp_path / "out.jsonl")
    # e is 2025-02-28T04:30Z but published on the 27th (its own offset): its day comes first.
    assert [row["article_id"] for row in jsonl(tmp_path / "out.jsonl")] == ["f", "e", "c", "a", "b", "d"]


def test_a_record_joining_two_stories_makes_them_one(tmp_path, records):
    base = records["bomb"]
    a = {**base, "article_id": "a", "url": f"{SITE}/a", "headline": "First headline", "revision": 3}
    b = {**base, "article_id": "b", "url": f"{SITE}/b", "headline": "Second headline"}
    c = {**base, "article_id": "c", "url": f"{SITE}/a", "headline": "Second headline"}  # a's URL, b's headline
    store = MergeStore(tmp_path / "merge.sqlite3")
    for line_no, record in enumerate((a, b, c), 1):
        store.add(record, 0, line_no)
    counts = store.finish()
    assert [row["article_id"] for row in store.winners()] == ["a"]  # revision 3 outranks the later lines
    assert (counts.records, counts.article_ids, counts.stories) == (3, 3, 1)
    assert store.merged_examples(10) == [("a", ["b", "c"])]
    store.close()


def reference_merge(offers: list[tuple[dict, tuple]]) -> set[tuple]:
    """The merge, naively in memory: connected components over shared keys, best rank wins."""
    parent = list(range(len(offers)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i
    owner: dict = {}
    for i, (record, _) in enumerate(offers):
        for key in (("id", record["article_id"]), ("url", record["url"]),
                    ("story", story_key(record["headline"], record["date_published"]))):
            if key[1] is not None:
                if key in owner:
                    parent[root(i)] = root(owner[key])
                owner.setdefault(key, i)
    groups: dict = {}
    for i, offer in enumerate(offers):
        groups.setdefault(root(i), []).append(offer)
    return {(best[0]["article_id"], *best[1]) for best in (max(g, key=lambda o: o[1]) for g in groups.values())}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 8), st.integers(1, 5), st.integers(1, 4), st.integers(1, 4),
                          st.integers(0, 2)), min_size=1, max_size=24),
       st.randoms(use_true_random=False))
# Two stories, the best record in the smaller one, then a record joining them.
@example([(2, 2, 2, 1, 0), (1, 1, 1, 3, 0), (3, 1, 2, 1, 0)], random.Random(0))
def test_the_merge_matches_a_naive_reference_in_any_order(tmp_path_factory, shapes, rnd):
    """Any records, in any order: the same winners as connected components + max rank."""
    offers = []
    for line_no, (article, url, headline, revision, run) in enumerate(shapes, 1):
        record = {"article_id": str(article), "url": f"{SITE}/{url}", "headline": f"Headline {headline}",
                  "date_published": "2025-02-28", "scraped_at": None, "revision": revision}
        offers.append((record, (revision, run, -(2**62), line_no)))
    if rnd.random() < 0.5:  # else keep the generated order, so the @example's order holds
        rnd.shuffle(offers)
    store = MergeStore(tmp_path_factory.mktemp("merge") / "merge.sqlite3")
    for record, (_, run, _, line_no) in offers:
        store.add(record, run, line_no)
    store.finish()
    got = {(r["article_id"], r["revision"]) for r in store.winners()}
    store.close()
    assert got == {(article_id, revision) for article_id, revision, *_ in reference_merge(offers)}


# --- filters -------------------------------------------------------------------------------

@pytest.mark.parametrize("filters, expected", [
    ({"since": "2025-02-28"}, {"0a1b2c3d4e5f", "18269728", "18269601", "18269673"}),
    ({"until": "2023-04-26"}, {"13099992", "SA", "8763"}),
    ({"since": "2023-04-26", "until": "2023-04-26"}, {"SA"}),
    # 18269601 is 2025-02-28T04:19+03:00 = 01:19Z; 18269673 07:50Z; glacier 12:29+03:00 = 09:29Z.
    ({"since": "2025-02-28T05:00:00Z", "until": "2025-02-28T09:29:02Z"}, {"18269673", "18269728"}),
    ({"section": ["middle east"]}, {"18269601"}),
    ({"section": ["asia"]}, {"0a1b2c3d4e5f"}),  # glacier was Asia in revision 1 only
    ({"section": ["WORLD", "Asia"]}, {"13099992", "18269728", "0a1b2c3d4e5f"}),
    ({"author": ["staff reporter"]}, {"13099992", "8763"}),
    ({"source": ["anadolu agency"], "author": ["Noureldein Ghanem"]}, {"18269601"}),
    ({"source": ["Reuters"], "since": "2025-01-01"}, {"18269673"}),
])
def test_filters(data_dir, tmp_path, records, filters, expected):
    expected = {records["africa"]["article_id"] if e == "SA" else e for e in expected}
    keys = {"section": "sections", "author": "authors", "source": "sources"}
    result, out = build(data_dir, tmp_path / "f.jsonl", **{keys.get(k, k): v for k, v in filters.items()})
    assert {row["article_id"] for row in jsonl(out)} == expected
    assert result.filtered_out == 7 - len(expected)


def test_date_bounds_compare_instants_and_days():
    timed = parse_when("2025-02-28T01:00:00+03:00")  # 2025-02-27T22:00Z, published on the 28th
    day_only = parse_when("2025-02-28")
    assert timed == When(date(2025, 2, 28), int(datetime(2025, 2, 27, 22, tzinfo=timezone.utc).timestamp() * 1000))
    window = Filters.from_options(since="2025-02-28", until="2025-02-28")
    assert window.matches({}, timed) and window.matches({}, day_only)
    late = Filters.from_options(since="2025-02-27T23:00:00Z")
    assert not late.matches({}, timed) and late.matches({}, day_only)
    assert not Filters.from_options(until="2025-02-27T21:59:59.999Z").matches({}, timed)
    assert not Filters.from_options(since="2025-01-01").matches({}, None)  # undated: not in any window
    assert Filters.from_options(sections=["TÜRKİYE"]).matches({"section": "Türkiye"}, None)
    for bad in ("yesterday", "2025-02-28T10:00", "2025-13-01"):
        with pytest.raises(ValueError):
            parse_bound(bad)
    with pytest.raises(ValueError):
        Filters.from_options(since="2025-03-01", until="2025-02-01")


# --- formats -------------------------------------------------------------------------------

def test_jsonl_lines_are_the_record_and_validate(data_dir, tmp_path):
    _, out = build(data_dir, tmp_path / "out.jsonl.gz")
    with gzip.open(out, "rb") as lines:
        raw = lines.read().decode("utf-8").splitlines()
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for text in raw:
        record = json.loads(text)
        assert list(record) == list(ARTICLE_FIELDS)
        validator.validate(record)
        assert text == json.dumps(record, ensure_ascii=False)
    assert any("Updated: Türkiye’s view." in text for text in raw)  # UTF-8, not \\u escapes


def test_csv_reads_back_with_the_csv_module(data_dir, tmp_path):
    _, out = build(data_dir, tmp_path / "out.csv")
    jsonl_rows = jsonl(build(data_dir, tmp_path / "same.jsonl")[1])
    with out.open(encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        header = next(reader)
        rows = [dict(zip(header, row)) for row in reader]
    assert tuple(header) == CSV_COLUMNS
    assert len(rows) == len(jsonl_rows) == 7
    for row, record in zip(rows, jsonl_rows):
        assert row["article_id"] == record["article_id"]
        assert row["body"] == record["body"]  # blank lines inside the quoted field survive
        assert row["authors"] == "; ".join(record["authors"])
        assert row["sources"].split("; ") == (record["sources"] or [""])
        assert row["image_url"] == ((record["image"] or {}).get("url") or "")
        assert json.loads(row["related"]) == record["related"]
        assert json.loads(row["provenance"]) == record["provenance"]
        assert row["date_modified"] == (record["date_modified"] or "")
        assert int(row["revision"]) == record["revision"]
        assert row["read_time_minutes"] == ("" if record["read_time_minutes"] is None else str(record["read_time_minutes"]))


def test_parquet_types_and_values(data_dir, tmp_path):
    _, out = build(data_dir, tmp_path / "out.parquet")
    table = pq.read_table(out)
    schema = table.schema
    utc_ms = pa.timestamp("ms", tz="UTC")
    assert schema.names == PARQUET_SCHEMA.names
    assert schema.field("date_published").type == utc_ms and schema.field("date_modified").type == utc_ms
    assert schema.field("scraped_at").type == utc_ms
    assert schema.field("date_published_day").type == pa.date32()
    assert schema.field("date_published_iso").type == pa.string()
    for name in ("read_time_minutes", "revision", "schema_version"):
        assert schema.field(name).type == pa.int32()
    for name in ("authors", "sources", "tags"):
        assert pa.types.is_list(schema.field(name).type) and schema.field(name).type.value_type == pa.string()
    assert pa.types.is_struct(schema.field("image").type)
    assert [f.name for f in schema.field("image").type] == ["url", "caption", "credit"]
    related = schema.field("related").type
    assert pa.types.is_list(related) and [f.name for f in related.value_type] == ["url", "headline"]
    assert pa.types.is_map(schema.field("provenance").type)
    assert not schema.field("article_id").nullable

    rows = {row["article_id"]: row for row in table.to_pylist()}
    assert len(rows) == 7
    iraq = rows["13099992"]  # only the day is known
    assert iraq["date_published"] is None
    assert iraq["date_published_day"] == date(2017, 11, 25) and iraq["date_published_iso"] == "2017-11-25"
    glacier = rows["18269728"]  # 2025-02-28T12:29:02+03:00
    assert glacier["date_published"] == datetime(2025, 2, 28, 9, 29, 2, tzinfo=timezone.utc)
    assert glacier["date_published"].utcoffset().total_seconds() == 0
    assert glacier["date_published_iso"] == "2025-02-28T12:29:02+03:00"
    assert glacier["date_modified"] == datetime(2025, 2, 28, 10, 5, tzinfo=timezone.utc)
    army = rows["18269601"]  # 2025-02-28T04:19:43.276+03:00: the 27th in UTC, the 28th as published
    assert army["date_published"] == datetime(2025, 2, 28, 1, 19, 43, 276000, tzinfo=timezone.utc)
    assert army["date_published_day"] == date(2025, 2, 28)
    motherland = rows["8763"]  # a day-only publication, a timed modification
    assert motherland["date_published"] is None and motherland["date_modified_day"] == date(2017, 7, 5)
    assert iraq["authors"] == ["Staff Reporter"] and iraq["image"]["credit"] == "AFP"
    assert iraq["related"][0]["url"].startswith(SITE) and iraq["read_time_minutes"] == 4
    assert dict(iraq["provenance"]) == {"headline": "flight"} and iraq["revision"] == 2


def test_outputs_are_byte_identical_from_one_build_to_the_next(data_dir, tmp_path):
    for name in ("out.jsonl", "out.jsonl.gz", "out.csv"):
        first, second = tmp_path / "a" / name, tmp_path / "b" / name
        build(data_dir, first)
        build(data_dir, second)
        assert first.read_bytes() == second.read_bytes(), name
        assert card_path(first).read_bytes() == card_path(second).read_bytes()
        assert chart_path(first).read_bytes() == chart_path(second).read_bytes()
    with gzip.open(tmp_path / "a" / "out.jsonl.gz", "rb") as unzipped:
        assert unzipped.read() == (tmp_path / "a" / "out.jsonl").read_bytes()
    header = (tmp_path / "a" / "out.jsonl.gz").read_bytes()[:10]
    assert header[3] & 0x08 == 0 and header[4:8] == b"\0\0\0\0"  # no file name, mtime 0


def test_unknown_extension_and_output_among_run_files_are_refused(data_dir, tmp_path):
    for name in ("out.json", "out.txt", "out.csv.gz", ".jsonl"):
        with pytest.raises(ValueError, match="unknown output format"):
            build(data_dir, tmp_path / name)
    with pytest.raises(ValueError, match="inside the run files"):
        build(data_dir, data_dir / "runs" / "all.jsonl")
    with pytest.raises(NoRunFiles):
        build_dataset(tmp_path / "nothing", tmp_path / "out.jsonl")
    assert output_format(Path("x.jsonl.gz")) == "jsonl.gz" and output_stem(Path("d/x.jsonl.gz")) == Path("d/x")


def test_a_failed_build_leaves_the_previous_dataset_and_no_debris(data_dir, tmp_path, monkeypatch):
    out = tmp_path / "out" / "articles.csv"
    out.parent.mkdir()
    out.write_text("the previous dataset", encoding="utf-8")
    calls = []

    def fail_on_third_row(self, record, published):
        calls.append(record)
        if len(calls) == 3:
            raise OSError("disk full")
    monkeypatch.setattr("newsbot.dataset.build.CardStats.add", fail_on_third_row)
    with pytest.raises(OSError, match="disk full"):
        build(data_dir, out)
    assert out.read_text(encoding="utf-8") == "the previous dataset"
    assert sorted(p.name for p in out.parent.iterdir()) == ["articles.csv"]


# --- the card --------------------------------------------------------------------------------

def test_card_and_chart(data_dir, tmp_path):
    result, out = build(data_dir, tmp_path / "articles.parquet", since="2017-01-01")
    card = card_path(out)
    assert card == tmp_path / "articles.parquet.card.md" and chart_path(out) == tmp_path / "articles.parquet.png"
    text = card.read_text(encoding="utf-8")
    assert "| rows | 7 |" in text
    assert "| date range (day published) | 2017-07-04 to 2025-02-28 |" in text
    assert "![Articles per month published, by section](articles.parquet.png)" in text  # 2017 to 2025
    assert "| 2025-02 | 4 |" in text and "| 2017-11 | 1 |" in text  # per month
    assert "| Asia | 1 |" in text and "| World | 2 |" in text and "| Anadolu Agency |" in text  # per section, per source
    assert "| Staff Reporter | 2 |" in text  # top authors
    assert "| `headline` | 7 | 100.0% |" in text and "| `date_modified` |" in text  # coverage
    assert "| runs/2025/03/01/20250301T110000Z-103.jsonl.gz.part | 4 | 3 | 0 | 1 | yes (no gzip trailer) |" in text
    assert "| runs/2025/03/01/20250301T090000Z-100.jsonl | 6 | 4 | 2 | 0 | no |" in text
    assert "| bad lines (skipped) | 3 |" in text and "| cut lines of killed runs (skipped) | 2 |" in text
    assert "`--since 2017-01-01`" in text and "2: 7 rows" in text
    assert "| 0a1b2c3d4e5f | 18269747 |" in text  # the story kept under its later id
    assert str(tmp_path) not in text  # no machine paths
    assert chart_path(out).read_bytes().startswith(PNG_SIGNATURE)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left behind


def test_two_outputs_in_one_folder_keep_their_own_card_and_chart(data_dir, tmp_path):
    build(data_dir, tmp_path / "x.parquet", since="2025-01-01")
    build(data_dir, tmp_path / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("x")) == [
        "x.csv", "x.csv.card.md", "x.csv.png", "x.parquet", "x.parquet.card.md", "x.parquet.png"]
    parquet_card = (tmp_path / "x.parquet.card.md").read_text(encoding="utf-8")
    csv_card = (tmp_path / "x.csv.card.md").read_text(encoding="utf-8")
    assert "# Dataset `x.parquet`" in parquet_card and "(x.parquet.png)" in parquet_card
    assert "`--since 2025-01-01`" in parquet_card
    assert "# Dataset `x.csv`" in csv_card and "(x.csv.png)" in csv_card and "| filters | none |" in csv_card
    assert (tmp_path / "x.parquet.png").read_bytes() != (tmp_path / "x.csv.png").read_bytes()


@pytest.mark.parametrize("first, last, unit", [
    (date(2025, 2, 1), date(2025, 2, 1), "day"),
    (date(2025, 1, 1), date(2025, 3, 3), "day"),  # 62 days
    (date(2025, 1, 1), date(2025, 3, 4), "week"),
    (date(2024, 1, 1), date(2025, 12, 30), "week"),  # 730 days
    (date(2017, 1, 1), date(2025, 12, 31), "month"),
])
def test_chart_bins_follow_the_span(first, last, unit):
    assert chart_bins(first, last) == unit


def test_chart_series_are_per_bin_and_section():
    per_day_section = Counter({(date(2025, 2, 3), "World"): 2, (date(2025, 2, 9), "World"): 1,  # one ISO week
                               (date(2025, 2, 10), "Asia"): 4, (date(2025, 4, 30), "World"): 1})
    unit, bins, series = binned(per_day_section)
    assert unit == "week" and bins[0] == date(2025, 2, 3) and bins[-1] == date(2025, 4, 28)
    assert len(bins) == 13  # every week of the span, empty ones too
    assert series["World"][:2] == [3, 0] and series["Asia"][:2] == [0, 4] and series["World"][-1] == 1
    many = Counter({(date(2025, 2, 1), f"S{i:02}"): 100 - i for i in range(12)})
    _, _, series = binned(many)
    assert list(series) == [f"S{i:02}" for i in range(8)] + ["Other"]
    assert series["Other"] == [sum(100 - i for i in range(8, 12))]


def test_empty_result_still_writes_a_card(data_dir, tmp_path):
    result, out = build(data_dir, tmp_path / "none.csv", sections=["Sports"])
    assert result.rows == 0
    with out.open(encoding="utf-8", newline="") as file:
        assert list(csv.reader(file)) == [list(CSV_COLUMNS)]
    assert "| rows | 0 |" in card_path(out).read_text(encoding="utf-8")
    assert chart_path(out).read_bytes().startswith(PNG_SIGNATURE)


# --- the command, end to end ------------------------------------------------------------------

def test_scrapy_dataset_command(data_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    out = tmp_path / "out.jsonl"
    done = subprocess.run([sys.executable, "-m", "scrapy", "dataset", "-o", str(out),
                           "-s", f"NEWSBOT_DATA_DIR={data_dir}", "--section", "world"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(jsonl(out)) == 2
    [summary] = done.stdout.strip().splitlines()
    assert summary.startswith("newsbot: 2 rows -> ") and str(out) in summary
    assert str(tmp_path / "out.jsonl.card.md") in summary and "skipped 3 bad and 2 cut line(s)" in summary

    empty_data = tmp_path / "empty"
    (empty_data / "runs").mkdir(parents=True)
    empty = subprocess.run([sys.executable, "-m", "scrapy", "dataset", "-o", str(out),
                            "-s", f"NEWSBOT_DATA_DIR={empty_data}"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert empty.returncode == 66 and "no run files under" in empty.stderr
