"""Find the run files under ``<data dir>/runs/`` and read their records, damaged ones too.

A run file is ``<run id>.jsonl`` or ``.jsonl.gz``, or the ``.part`` of either that a killed
run leaves. A part may end in a line cut short, and a gzip part has no trailer (its last
sync flush is decodable, whatever came after may not be). Reading never fails on that:
each line is classified and counted in the file's ``RunFileReport``:

* a *record*: an Article record (``newsbot.dataset.records``);
* a *cut* line: the unterminated last line of a file that does not parse (a killed write);
* a *bad* line: any other line that is not JSON or not an Article record.

Blank lines carry nothing and are skipped. Files are read in chunks (``CHUNK_BYTES``) and a
line longer than ``MAX_LINE_BYTES`` is counted bad without being kept, so memory does not
grow with the file. Run files are ordered by file name: run ids start with
a UTC timestamp (``YYYYMMDDTHHMMSSZ-pid``), so name order is run order, whatever the day
folders say.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsbot.dataset.records import BadRecord, normalise_record

PART_SUFFIX = ".part"
RUN_FILE_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.part", ".jsonl.gz.part")
CHUNK_BYTES = 1 << 18
GZIP_WBITS = 16 + zlib.MAX_WBITS  # a gzip header and trailer around deflate data
MAX_PROBLEMS_KEPT = 5  # per file, for the card; all problems are counted
# No record comes near this (a long article is ~50 kB); past it a "line" is garbage, and
# holding it whole would make memory grow with the file.
MAX_LINE_BYTES = 64 << 20


@dataclass
class RunFileReport:
    """One run file and what reading it found (filled in while it is read)."""

    path: Path
    display: str  # e.g. runs/2026/11/24/<run id>.jsonl: relative, the same on every machine
    lines: int = 0  # non-blank lines seen, whatever they held
    records: int = 0
    bad: int = 0
    cut: int = 0
    truncated: bool = False  # gzip data ends before its trailer (normal for a gzip part)
    renamed: bool = False  # a .part that its run renamed while this build was starting
    unknown_fields: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return self.path.name.endswith(PART_SUFFIX) and not self.renamed

    @property
    def gzip(self) -> bool:
        return self.path.name.endswith((".gz", ".gz" + PART_SUFFIX))

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(text)


def is_run_file(path: Path) -> bool:
    return path.name.endswith(RUN_FILE_SUFFIXES)


def find_run_files(runs_dir: Path) -> list[RunFileReport]:
    """Every run file under ``runs_dir``, in run order (file name, then path)."""
    if not runs_dir.is_dir():
        return []
    paths = [p for p in runs_dir.rglob("*") if is_run_file(p) and p.is_file()]
    paths.sort(key=lambda p: (p.name, p.as_posix()))
    return [RunFileReport(p, (Path(runs_dir.name) / p.relative_to(runs_dir)).as_posix()) for p in paths]


def read_records(report: RunFileReport) -> Iterator[tuple[int, dict, str | None]]:
    """``(line number, record, line text)`` for each record of the file; counts the rest in
    ``report``. The text is the line itself when it already is exactly the record (the usual
    case: the crawl wrote it), else ``None``, so the merge need not encode it again."""
    for number, line, terminated in _lines(report):
        if line is None:
            report.lines += 1
            report.bad += 1
            report.problem(f"line {number}: longer than {MAX_LINE_BYTES:,} bytes, not read")
            continue
        if not line.strip():
            continue
        report.lines += 1
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            if terminated:
                report.bad += 1
                report.problem(f"line {number}: not JSON")
            else:
                report.cut += 1
                report.problem(f"line {number}: cut short (last line)")
            continue
        try:
            record, unknown = normalise_record(value)
        except BadRecord as error:
            report.bad += 1
            report.problem(f"line {number}: {error}")
            continue
        report.unknown_fields.update(unknown)
        report.records += 1
        exact = not unknown and record == value and list(value) == list(record)
        yield number, record, line.decode("utf-8").strip() if exact else None


def _lines(report: RunFileReport) -> Iterator[tuple[int, bytes | None, bool]]:
    """``(line number, bytes, ends with a newline)`` for every line, blank ones included;
    ``None`` instead of the bytes of a line longer than ``MAX_LINE_BYTES`` (not kept)."""
    pending, number, oversized = b"", 0, False
    for chunk in _chunks(report):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            number += 1
            yield number, None if oversized else line, True
            oversized = False
        if len(pending) > MAX_LINE_BYTES:
            pending, oversized = b"", True
    if pending or oversized:
        yield number + 1, None if oversized else pending, False


def _chunks(report: RunFileReport) -> Iterator[bytes]:
    """The file's bytes, decompressed when gzip; stops, noting why, at damaged gzip data."""
    path = report.path
    try:
        file = path.open("rb")
    except FileNotFoundError:
        final = path.with_name(path.name[: -len(PART_SUFFIX)])
        if not path.name.endswith(PART_SUFFIX) or not final.is_file():
            raise
        # The run closed between listing and reading: its part is now the final file.
        report.path, report.display, report.renamed = final, report.display[: -len(PART_SUFFIX)], True
        file = final.open("rb")
    with file:
        blocks = iter(lambda: file.read(CHUNK_BYTES), b"")
        if not report.gzip:
            yield from blocks
            return
        yield from _gunzip(blocks, report)


def _gunzip(blocks: Iterator[bytes], report: RunFileReport) -> Iterator[bytes]:
    decompressor, fed, offset = zlib.decompressobj(GZIP_WBITS), False, 0
    for block in blocks:
        while block:
            try:
                data = decompressor.decompress(block)
            except zlib.error as error:
                report.problem(f"gzip data damaged after byte {offset}: {error}; rest of file skipped")
                report.truncated = True
                return
            yield data
            fed = True
            if decompressor.eof:
                # One gzip member ended; another may follow (as `cat a.gz b.gz` makes).
                rest = decompressor.unused_data
                offset += len(block) - len(rest)
                block, decompressor, fed = rest, zlib.decompressobj(GZIP_WBITS), False
            else:
                offset += len(block)
                block = b""
    if fed and not decompressor.eof:
        yield decompressor.flush()  # a killed run's gzip part: no trailer, data up to its last flush
        report.truncated = True
