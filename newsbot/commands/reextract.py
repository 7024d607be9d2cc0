"""``scrapy reextract WARC [WARC ...]``: extract archived article responses again, offline.

When the extractor or a pipeline is fixed, the pages a crawl archived (``NEWSBOT_WARC_ENABLED``,
see ``newsbot.extensions.warc``) are run again through the CURRENT extraction and item
pipelines, with no network, into a new run file (``newsbot.runfile.RunFileWriter``:
``<data dir>/runs/YYYY/MM/DD/<run id>.jsonl`` and its manifest, ``"source": "reextract"``).

Every ``response`` record with status 200 and an article URL
(``SiteRules(NEWSBOT_SITE_URL).is_article``) is
decided like the crawl's ``parse_article`` decides it (``newsbot.pages.decision.decide``:
not HTML, a bot wall, truncated, bad charset, an extraction error are rejections with the
crawl's reasons), through ``newsbot.offline.extract`` with the record's
``WARC-Date`` as ``scraped_at`` (the items say when the page was fetched, not re-read).
One ``OfflinePipelines`` serves all records, in archive order, so duplicates across records
are dropped as in a crawl, and with ``NEWSBOT_INCREMENTAL`` the state decides new, updated,
unchanged: after a parser fix only the repaired articles come out, with revision + 1. The
state is then changed, so the run lock is taken, as a scheduled crawl takes it.

The site root comes from the archive when ``NEWSBOT_SITE_URL`` does not cover its pages (an
archive of a local copy read with the default settings): its ``warcinfo`` record's
``newsbot-site-url``, else the root of its first response; the summary names it.

An archive cut short (the WARC of a killed crawl) is read up to its last whole record and the
damage is reported in the summary and the manifest, exit 0. An archive that cannot be read at
all (missing, not a WARC) stops the command before anything is written: exit 1. Usage errors
exit 2, a held run lock 75, a bad ``NEWSBOT_SITE_URL`` 78.
"""

from __future__ import annotations

import io
import sys
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_datetime

from newsbot.commands._usage import StrictOptions
from newsbot.commands.crawl import EXIT_BAD_CONFIGURATION
from newsbot.configuration import CannotWrite
from newsbot.extensions.warc import WARCINFO_SITE_URL
from newsbot.extensions.runfiles import CMDLINE_PRIORITY
from newsbot.lock import EXIT_LOCKED, take_run_lock
from newsbot.offline import OfflinePipelines, extract
from newsbot.pipelines.rejection import Skipped
from newsbot.runfile import RunFileWriter, new_run_id
from newsbot.state import EXIT_BAD_STATE, BadState
from newsbot.workers import SharedStateError, check_shared_state, open_state, redis_url
from newsbot.urls import SiteRules

EXIT_UNREADABLE = 1
SOURCE = "reextract"
OK_STATUS = 200
RESPONSE_RECORD = "response"


class Unreadable(Exception):
    """An archive that cannot be read at all: missing, not a file, not a WARC."""


@dataclass
class ArchivedResponse:
    url: str
    status: int
    headers: Headers
    body: bytes
    fetched: datetime | None


@dataclass
class ArchiveReport:
    """What was read from one archive, and the damage found, if any."""

    path: str
    records: int = 0
    responses: int = 0
    damage: str | None = None
    site_root: str | None = None  # set when taken from the archive, not NEWSBOT_SITE_URL

    def as_dict(self) -> dict:
        return {"path": self.path, "records": self.records, "responses": self.responses,
                "damage": self.damage, "site_root": self.site_root}


@dataclass
class Tally:
    responses: int = 0
    exported: int = 0
    rejected: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    errors: int = 0


def check_readable(path: Path) -> None:
    """Raise ``Unreadable`` unless ``path`` opens and its first WARC record parses."""
    try:
        with path.open("rb") as file:
            records = ArchiveIterator(file)
            try:
                first = next(records, None)
            except Exception as error:  # warcio raises ArchiveLoadFailed and parser errors
                raise Unreadable(f"not a WARC archive ({error})") from None
            if first is None:
                raise Unreadable("not a WARC archive (no record in it)")
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None


def archive_site_root(path: Path) -> str | None:
    """The site root an archive was crawled from: its warcinfo's ``newsbot-site-url``, else the
    root of its first response's URL; None when it has neither (or they cannot be read)."""
    try:
        with path.open("rb") as file:
            for record in ArchiveIterator(file):
                if record.rec_type == "warcinfo":
                    fields = dict(line.split(":", 1) for line in
                                  record.content_stream().read().decode("utf-8", "replace").splitlines()
                                  if ":" in line)
                    if fields.get(WARCINFO_SITE_URL, "").strip():
                        return fields[WARCINFO_SITE_URL].strip()
                elif record.rec_type == RESPONSE_RECORD:
                    parts = urlsplit(record.rec_headers.get_header("WARC-Target-URI") or "")
                    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None
    except Exception:  # damage is reported by read_responses; this only guesses a root
        return None
    return None


def read_responses(path: Path, report: ArchiveReport) -> Iterator[ArchivedResponse]:
    """The whole ``response`` records of an archive, in order; damage goes to ``report``.

    warcio yields a record cut short by the end of the file as if it were whole (its reader
    just stops at the end of the data), so each record is checked (``_damage``) and the first
    damaged one ends the reading. Bytes left after the last whole record (a record cut so
    early that warcio skips it in silence) are damage too."""
    size = path.stat().st_size
    end = 0
    with path.open("rb") as file:
        records = ArchiveIterator(file, check_digests=True)
        try:
            for record in records:
                payload = record.raw_stream.read()
                problem = _damage(record)
                if problem:
                    report.damage = (f"record {report.records + 1} ({record.rec_type or 'no type'}, "
                                     f"{record.rec_headers.get_header('WARC-Target-URI') or 'no URI'}, "
                                     f"byte {end}) {problem}")
                    return
                records.read_to_end()  # past the record's end (and its blank lines)
                end = records.offset
                report.records += 1
                if record.rec_type != RESPONSE_RECORD or not record.http_headers:
                    continue
                report.responses += 1
                yield ArchivedResponse(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    status=_status(record.http_headers.get_statuscode()),
                    headers=_headers(record.http_headers.headers),
                    body=_decoded(record, payload),
                    fetched=_warc_date(record.rec_headers.get_header("WARC-Date")))
        except Exception as error:  # warcio: ArchiveLoadFailed, header parser errors, zlib errors
            report.damage = (f"unreadable after record {report.records} (byte {end}): "
                             f"{type(error).__name__}: {error}")
            return
    if end < size:
        report.damage = (f"{size - end} byte(s) after record {report.records} (byte {end}) "
                         f"are not a whole record: the last record is cut short")


def _damage(record) -> str | None:
    """Why a record just read to its end is not whole, or None.

    Every WARC record has a ``Content-Length`` (the last header warcio writes): a record
    without a valid one was cut inside its headers. A block shorter than its
    ``Content-Length`` was cut inside its content. A block whose digest (``WARC-Block-Digest``,
    ``WARC-Payload-Digest``, when the writer gave them) does not match was corrupted."""
    length = record.rec_headers.get_header("Content-Length")
    if length is None or not length.strip().isdigit():
        return "is cut short inside its headers"
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return f"is cut short: {missing} of its {length.strip()} bytes missing"
    if record.digest_checker is not None and record.digest_checker.passed is False:
        return f"is corrupt: {'; '.join(record.digest_checker.problems)}"
    return None


def _decoded(record, payload: bytes) -> bytes:
    """The body with whatever the HTTP headers say is still applied to it undone.

    newsbot's own records carry the body Scrapy decoded (no ``Transfer-Encoding``; a
    ``Content-Encoding`` only when Scrapy could not decode it), so this is usually the
    payload as is; WARCs of other tools hold wire bytes, which warcio decodes here."""
    record.raw_stream = io.BytesIO(payload)
    try:
        return record.content_stream().read()
    except Exception:  # a coding warcio cannot undo either: the crawl saw these bytes too
        return payload


def _headers(pairs: list[tuple[str, str]]) -> Headers:
    headers = Headers()
    for name, value in pairs:
        headers.appendlist(name, value)
    return headers


def _status(code) -> int:
    try:
        return int(code)
    except (TypeError, ValueError):
        return 0


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return iso_date_to_datetime(value).replace(tzinfo=timezone.utc)
    except ValueError:
        return None


class Command(StrictOptions, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "WARC [WARC ...]"

    def short_desc(self) -> str:
        return "Re-extract archived article responses (WARC) into a new run file, offline"

    def long_desc(self) -> str:
        return __doc__.split("\n\n", 1)[1]

    def run(self, args: list[str], opts) -> None:
        if not args:
            raise UsageError("give at least one WARC file")
        paths = [Path(arg) for arg in args]
        try:
            site = SiteRules(self.settings.get("NEWSBOT_SITE_URL"))
        except ValueError as error:
            print(f"newsbot: bad configuration: {error}", file=sys.stderr)
            self.exitcode = EXIT_BAD_CONFIGURATION
            return
        unreadable = []
        for path in paths:
            try:
                check_readable(path)
            except Unreadable as error:
                unreadable.append(f"newsbot: cannot read {path}: {error}")
        if unreadable:
            print("\n".join(unreadable), file=sys.stderr)
            self.exitcode = EXIT_UNREADABLE
            return
        lock = None
        run_id = self.settings.get("NEWSBOT_RUN_ID") or new_run_id()
        if self.settings.getbool("NEWSBOT_INCREMENTAL"):  # the state changes: one run at a time
            lock = take_run_lock(self.settings, run_id)
            if lock is None:
                self.exitcode = EXIT_LOCKED
                return
        store = None
        try:
            if self.settings.getbool("NEWSBOT_INCREMENTAL"):
                try:  # opened once, here, and handed to the pipelines and the run file
                    if redis_url(self.settings):
                        check_shared_state(self.settings)  # reachable, and not emptied
                    store = open_state(self.settings)
                except (BadState, SharedStateError) as error:
                    print("newsbot: " + " ".join(str(error).split()), file=sys.stderr)
                    self.exitcode = EXIT_BAD_STATE
                    return
                except CannotWrite as error:
                    print(f"newsbot: {error.line}", file=sys.stderr)
                    self.exitcode = error.exit_code
                    return
            self.reextract(paths, site, run_id, store)
        finally:
            if store is not None:
                store.close()
            if lock is not None:
                lock.release()

    def reextract(self, paths: list[Path], site: SiteRules, run_id: str, store=None) -> None:
        pipelines = OfflinePipelines(self.settings, store=store)
        writer = RunFileWriter(self.settings, run_id=run_id, store=store)
        tally = Tally()
        reports = []
        try:
            for path in paths:
                report = ArchiveReport(str(path.resolve()))
                reports.append(report)
                archive_site, settings = self.site_of(path, site, report)
                for response in read_responses(path, report):
                    tally.responses += 1
                    self.reextract_one(response, archive_site, pipelines, writer, tally, settings)
        finally:
            for pipeline in pipelines.pipelines:
                if hasattr(pipeline, "close_spider"):
                    pipeline.close_spider()
        writer.close(self.manifest(paths, reports, tally, pipelines))
        print(summary(reports, tally, writer.path))

    def site_of(self, path: Path, site: SiteRules, report: ArchiveReport):
        """The site rules and settings to read this archive with: NEWSBOT_SITE_URL's when they
        cover the archive's pages, else the archive's own root."""
        root = archive_site_root(path)
        if root is None or site.canonical(root + "/") is not None:
            return site, self.settings
        try:
            archive_site = SiteRules(root)
        except ValueError:
            return site, self.settings
        report.site_root = archive_site.root
        settings = self.settings.copy()
        settings.set("NEWSBOT_SITE_URL", archive_site.root, priority="cmdline")
        return archive_site, settings

    def reextract_one(self, response: ArchivedResponse, site: SiteRules, pipelines: OfflinePipelines,
                      writer: RunFileWriter, tally: Tally, settings=None) -> None:
        """What the crawl's ``parse_article`` and pipelines would do with this response."""
        if response.status != OK_STATUS:
            tally.skipped[f"http_{response.status}"] += 1
            return
        if not response.url or not site.is_article(response.url):
            tally.skipped["not_article"] += 1
            return
        cls = responsetypes.from_args(headers=response.headers, url=response.url, body=response.body)
        archived = cls(url=response.url, status=response.status, headers=response.headers,
                       body=response.body)
        try:
            extraction = extract(response.body, response.url, settings or self.settings, pipelines,
                                 scraped_at=response.fetched, response=archived)
        except Exception:  # a bug in a pipeline must not lose the other pages (a crawl goes on too)
            tally.errors += 1
            print(f"newsbot: extraction failed for {response.url}:\n{traceback.format_exc()}",
                  file=sys.stderr)
            return
        if isinstance(extraction.rejection, Skipped):
            return  # unchanged for the incremental state: counted by its pipeline
        if extraction.rejection is not None:
            tally.rejected[extraction.rejection.kind] += 1
            return
        writer.write(extraction.item)
        tally.exported += 1

    def manifest(self, paths: list[Path], reports: list[ArchiveReport], tally: Tally,
                 pipelines: OfflinePipelines) -> dict:
        stats = pipelines.stats
        return {
            "source": SOURCE,
            "arguments": {
                "command": "reextract",
                "archives": [str(path) for path in paths],
                "settings": {name: value for name, value in self.settings.items()
                             if self.settings.getpriority(name) == CMDLINE_PRIORITY},
            },
            "archives": [report.as_dict() for report in reports],
            "counts": {
                "records": sum(report.records for report in reports),
                "responses": tally.responses,
                "exported": tally.exported,
                "new": stats.get_value("newsbot/incremental/new", 0),
                "updated": stats.get_value("newsbot/incremental/updated", 0),
                "unchanged": stats.get_value("newsbot/incremental/unchanged", 0),
                "rejected": dict(sorted(tally.rejected.items())),
                "skipped": dict(sorted(tally.skipped.items())),
                "errors": tally.errors,
                "damaged_archives": sum(1 for report in reports if report.damage),
            },
            "finish_reason": "finished",
            "health": {"verdict": "not judged", "reasons": []},
        }


def summary(reports: list[ArchiveReport], tally: Tally, run_file: Path) -> str:
    """One line: what was read, what came out, where, and any damage."""

    def breakdown(counter: Counter, what: str) -> str:
        detail = ", ".join(f"{name} {count}" for name, count in sorted(counter.items()))
        return f"{sum(counter.values())} {what}" + (f" ({detail})" if detail else "")

    records = sum(report.records for report in reports)
    line = (f"reextract: {len(reports)} archive(s), {records} records, {tally.responses} responses: "
            f"{tally.exported} exported, {breakdown(tally.rejected, 'rejected')}, "
            f"{breakdown(tally.skipped, 'skipped')}")
    if tally.errors:
        line += f", {tally.errors} extraction error(s)"
    line += f"; run file {run_file}"
    for report in reports:
        if report.site_root:
            line += f"; site root {report.site_root} taken from {report.path}"
        if report.damage:
            line += f"; DAMAGED {report.path}: {report.damage}"
    return line
