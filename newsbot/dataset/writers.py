"""Write records as JSONL, gzipped JSONL, CSV or Parquet, chosen by the output's extension.

Every writer writes a hidden temporary file beside the output and renames it over the
output only when complete (``close()``): a failed or killed build never leaves a
half-written dataset under the real name. Given the same records in the same order, JSONL
(plain and gzip) and CSV are byte-identical from one build to the next.

JSONL (``.jsonl``, ``.jsonl.gz``)
    Exactly the record: every Article field, in the dataclass's order, UTF-8 with
    ``ensure_ascii=False``, one object per line (``json.dumps`` default separators, as the
    crawl's own exporter). The gzip header has no file name and ``mtime`` 0, so the
    compressed bytes are stable too.

CSV (``.csv``)
    UTF-8 (no byte-order mark), a header row, RFC 4180 quoting (``csv`` module, ``excel``
    dialect: ``\\r\\n`` line ends, fields with commas, quotes or newlines quoted; ``body``
    keeps its blank lines inside quotes). Columns, in order (``CSV_COLUMNS``)::

        url, article_id, headline, description, section, section_raw, read_time_minutes,
        date_published, date_modified, date_published_raw, authors, byline_raw, sources,
        image_url, image_caption, image_credit, body, related, tags, language, provenance,
        scraped_at, schema_version, revision

    Null is the empty string. ``authors``, ``sources`` and ``tags`` are joined with ``"; "``
    (a name never contains ``;``; an empty list is empty). ``image`` is flattened to three
    columns. ``related`` (``[{"url": ..., "headline": ...}]``) and ``provenance``
    (``{"field": "layer"}``) are compact JSON (``separators=(",", ":")``, non-ASCII kept):
    ``[]`` and ``{}`` when empty. Dates are the record's ISO text.

Parquet (``.parquet``)
    pyarrow, Snappy compression, row groups of ``PARQUET_ROW_GROUP_ROWS`` rows, this schema
    (``PARQUET_SCHEMA``; "not null" marked, everything else nullable)::

        url                  string not null
        article_id           string not null
        headline             string
        description          string
        section              string
        section_raw          string
        read_time_minutes    int32
        date_published       timestamp[ms, tz=UTC]   null when only the day is known
        date_published_day   date32                  the day as published; set whenever a date is
        date_published_iso   string                  the record's ISO text, unchanged
        date_modified        timestamp[ms, tz=UTC]   (same three columns as date_published)
        date_modified_day    date32
        date_modified_iso    string
        date_published_raw   string
        authors              list<string> not null
        byline_raw           string
        sources              list<string> not null
        image                struct<url: string, caption: string, credit: string>
        body                 string
        related              list<struct<url: string not null, headline: string>> not null
        tags                 list<string> not null
        language             string
        provenance           map<string, string> not null
        scraped_at           timestamp[ms, tz=UTC]
        schema_version       int32 not null
        revision             int32 not null

    Timestamps are the UTC instant (sub-millisecond digits floored); the source's own
    offset survives in ``*_iso``. The ``*_day`` column is the calendar day as published
    (``newsbot.dataset.dates``), so ``2025-02-28T01:00:00+03:00`` has day 2025-02-28.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsbot.dataset.dates import parse_when
from newsbot.dataset.records import ARTICLE_FIELDS, IMAGE_FIELDS, LIST_FIELDS

FORMATS = {".jsonl": "jsonl", ".jsonl.gz": "jsonl.gz", ".csv": "csv", ".parquet": "parquet"}
GZIP_LEVEL = 6  # zlib's default: most of level 9's size at a fraction of its time
LIST_SEPARATOR = "; "
JSON_COLUMNS = ("related", "provenance")
COMPACT_JSON = {"ensure_ascii": False, "separators": (",", ":")}
DATE_FIELDS = ("date_published", "date_modified")
ARROW_BATCH_ROWS = 1_000
PARQUET_ROW_GROUP_ROWS = 10_000  # ~30-50 MB of article text per row group
PARQUET_COMPRESSION = "snappy"  # what every Parquet reader reads

CSV_COLUMNS = tuple(column for name in ARTICLE_FIELDS
                    for column in ([f"image_{key}" for key in IMAGE_FIELDS] if name == "image" else [name]))

_TEXT, _INT32 = pa.string(), pa.int32()
_TIMESTAMP = pa.timestamp("ms", tz="UTC")
_STRINGS = pa.list_(pa.field("element", _TEXT))
_PARQUET_TYPES = {
    "read_time_minutes": _INT32, "schema_version": _INT32, "revision": _INT32,
    **{name: _STRINGS for name in LIST_FIELDS},
    "image": pa.struct([pa.field(key, _TEXT) for key in IMAGE_FIELDS]),
    "related": pa.list_(pa.field("element", pa.struct([pa.field("url", _TEXT, nullable=False),
                                                         pa.field("headline", _TEXT)]))),
    "provenance": pa.map_(_TEXT, _TEXT),
    "scraped_at": _TIMESTAMP,
}
_NOT_NULL = {"url", "article_id", *LIST_FIELDS, "related", "provenance", "schema_version", "revision"}


def _parquet_fields() -> list[pa.Field]:
    fields = []
    for name in ARTICLE_FIELDS:
        if name in DATE_FIELDS:
            fields += [pa.field(name, _TIMESTAMP), pa.field(f"{name}_day", pa.date32()),
                       pa.field(f"{name}_iso", _TEXT)]
        else:
            fields.append(pa.field(name, _PARQUET_TYPES.get(name, _TEXT), nullable=name not in _NOT_NULL))
    return fields


PARQUET_SCHEMA = pa.schema(_parquet_fields())


def output_format(path: Path) -> str:
    """The format named by the path's extension; ``ValueError`` listing the known ones."""
    for suffix in sorted(FORMATS, key=len, reverse=True):
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            return FORMATS[suffix]
    raise ValueError(f"unknown output format for {path.name!r}: the name must end in "
                     + ", ".join(FORMATS))


def output_stem(path: Path) -> Path:
    """The output path without its format extension (``out.jsonl.gz`` -> ``out``)."""
    suffix = next(s for s in sorted(FORMATS, key=len, reverse=True) if path.name.endswith(s))
    return path.with_name(path.name[: -len(suffix)])


def csv_row(record: dict) -> list[str]:
    """One CSV row (``CSV_COLUMNS``) from a record."""
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


def parquet_values(record: dict) -> dict:
    """A record's values by Parquet column (timestamps as epoch ms, days as epoch days)."""
    values = {}
    for name in ARTICLE_FIELDS:
        value = record[name]
        if name in DATE_FIELDS:
            when = parse_when(value)
            values[name] = when.instant_ms if when else None
            values[f"{name}_day"] = when.epoch_day if when else None
            values[f"{name}_iso"] = value
        elif name == "scraped_at":
            when = parse_when(value)
            values[name] = when.instant_ms if when else None
        elif name == "provenance":
            values[name] = list(value.items())
        else:
            values[name] = value
    return values


class _AtomicOutput:
    """A temporary file beside ``path``, renamed over it by ``commit()``."""

    def __init__(self, path: Path):
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.raw = self.temporary.open("wb")

    def commit(self) -> None:
        self.raw.close()
        os.replace(self.temporary, self.path)

    def abort(self) -> None:
        self.raw.close()
        self.temporary.unlink(missing_ok=True)


class JsonlWriter:
    def __init__(self, path: Path, compress: bool = False):
        self.output = _AtomicOutput(path)
        self.stream = (gzip.GzipFile(filename="", mode="wb", fileobj=self.output.raw,
                                     compresslevel=GZIP_LEVEL, mtime=0) if compress else None)
        self.text = io.TextIOWrapper(self.stream or self.output.raw, encoding="utf-8", newline="\n")

    def write(self, record: dict) -> None:
        self.text.write(json.dumps(record, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.text.flush()
        self.text.detach()
        if self.stream is not None:
            self.stream.close()
        self.output.commit()

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # already failing: the error being raised matters
            self.text.close()
        self.output.abort()


class CsvWriter:
    def __init__(self, path: Path):
        self.output = _AtomicOutput(path)
        self.text = io.TextIOWrapper(self.output.raw, encoding="utf-8", newline="")
        self.writer = csv.writer(self.text)
        self.writer.writerow(CSV_COLUMNS)

    def write(self, record: dict) -> None:
        self.writer.writerow(csv_row(record))

    def close(self) -> None:
        self.text.flush()
        self.text.detach()
        self.output.commit()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.text.close()
        self.output.abort()


class ParquetWriter:
    """Rows become Arrow data every ``ARROW_BATCH_ROWS`` (Python objects cost several times
    the text they hold), and Arrow batches a row group every ``PARQUET_ROW_GROUP_ROWS``."""

    def __init__(self, path: Path):
        self.output = _AtomicOutput(path)
        self.writer = pq.ParquetWriter(self.output.raw, PARQUET_SCHEMA, compression=PARQUET_COMPRESSION)
        self.columns: dict[str, list] = {name: [] for name in PARQUET_SCHEMA.names}
        self.rows = 0
        self.batches: list[pa.RecordBatch] = []
        self.batched_rows = 0

    def write(self, record: dict) -> None:
        for name, value in parquet_values(record).items():
            self.columns[name].append(value)
        self.rows += 1
        if self.rows == ARROW_BATCH_ROWS:
            self._to_arrow()

    def _to_arrow(self) -> None:
        if self.rows:
            self.batches.append(pa.RecordBatch.from_pydict(self.columns, schema=PARQUET_SCHEMA))
            self.batched_rows += self.rows
            for values in self.columns.values():
                values.clear()
            self.rows = 0
        if self.batched_rows >= PARQUET_ROW_GROUP_ROWS:
            self._write_row_group()

    def _write_row_group(self) -> None:
        if self.batches:
            table = pa.Table.from_batches(self.batches, schema=PARQUET_SCHEMA)
            self.writer.write_table(table, row_group_size=table.num_rows)
            self.batches, self.batched_rows = [], 0

    def close(self) -> None:
        self._to_arrow()
        self._write_row_group()
        self.writer.close()
        self.output.commit()

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.writer.close()
        self.output.abort()


def open_writer(path: Path):
    """A writer for ``path``'s format, with ``write(record)``, ``close()`` and ``abort()``."""
    kind = output_format(path)
    if kind == "parquet":
        return ParquetWriter(path)
    if kind == "csv":
        return CsvWriter(path)
    return JsonlWriter(path, compress=kind == "jsonl.gz")
