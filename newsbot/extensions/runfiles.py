"""Run files (``NEWSBOT_RUN_FILES``): each run's articles, durable, with a manifest.

Each run writes ``runs/<YYYY>/<MM>/<DD>/<run-id>.jsonl`` (``.jsonl.gz`` with
``NEWSBOT_RUN_GZIP``) under ``NEWSBOT_DATA_DIR``, first as ``<name>.part``, renamed when the
run closes: a reader never sees a half-written file under the final name. Lines are
flushed and fsynced in batches (``NEWSBOT_SYNC_ITEMS`` items or ``NEWSBOT_SYNC_SECONDS``),
and only then recorded as exported in the incremental state. A run killed at any moment
leaves a readable ``.part`` file and no manifest; the next run exports again whatever was
not recorded, so the worst case is a duplicate line, never a missing article.

Beside the file, ``<run-id>.manifest.json`` says what the run did (see ``manifest()``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.exporters import JsonLinesItemExporter

from newsbot import __version__
from newsbot.items import SCHEMA_VERSION
from newsbot.paths import runs_dir, state_path
from newsbot.state import StateStore

logger = logging.getLogger(__name__)
PART_SUFFIX = ".part"


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{os.getpid()}"


class RunFiles:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.run_id = settings.get("NEWSBOT_RUN_ID") or new_run_id()
        self.started = datetime.now(timezone.utc)
        suffix = ".jsonl.gz" if settings.getbool("NEWSBOT_RUN_GZIP") else ".jsonl"
        day_dir = runs_dir(settings) / f"{self.started:%Y/%m/%d}"
        self.path = day_dir / f"{self.run_id}{suffix}"
        self.part_path = self.path.with_name(self.path.name + PART_SUFFIX)
        self.manifest_path = day_dir / f"{self.run_id}.manifest.json"
        self.sync_items = settings.getint("NEWSBOT_SYNC_ITEMS", 20)
        self.sync_seconds = settings.getfloat("NEWSBOT_SYNC_SECONDS", 5.0)
        self.store = StateStore(state_path(settings)) if settings.getbool("NEWSBOT_INCREMENTAL") else None
        self.pending: list = []
        self.lines = 0
        self.last_sync = time.monotonic()
        self.raw = self.stream = self.exporter = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_RUN_FILES"):
            raise NotConfigured("NEWSBOT_RUN_FILES is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider):
        self.part_path.parent.mkdir(parents=True, exist_ok=True)
        self.raw = self.part_path.open("wb")
        self.stream = gzip.GzipFile(fileobj=self.raw, mode="wb") if self.path.suffix == ".gz" else self.raw
        self.exporter = JsonLinesItemExporter(self.stream, encoding="utf-8", ensure_ascii=False)
        self.crawler.stats.set_value("newsbot/run/id", self.run_id)
        logger.info("Run %s writing %s", self.run_id, self.part_path)

    def item_scraped(self, item, response, spider):
        try:
            self.exporter.export_item(item)
            self.pending.append(item)
            self.lines += 1
            if len(self.pending) >= self.sync_items or time.monotonic() - self.last_sync >= self.sync_seconds:
                self.sync()
        except Exception:  # Scrapy would only log it: count it, so the health check fails the run
            self.crawler.stats.inc_value("newsbot/errors")
            logger.exception("Run %s: could not write or record an article", self.run_id)

    def sync(self) -> None:
        """Make the written lines durable, then record them as exported."""
        self.stream.flush()  # for gzip, a sync flush: everything so far is decodable
        self.raw.flush()
        os.fsync(self.raw.fileno())
        if self.store is not None and self.pending:
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.store.record_exported(self.pending, self.run_id, now)
        self.crawler.stats.inc_value("newsbot/run/synced_items", len(self.pending))
        self.pending.clear()
        self.last_sync = time.monotonic()

    def spider_closed(self, spider, reason):
        if self.raw is None:
            return
        try:
            self.close(reason)
        except Exception:
            self.crawler.stats.inc_value("newsbot/errors")
            logger.exception("Run %s: could not close the run file or write the manifest", self.run_id)

    def close(self, reason: str) -> None:
        self.sync()
        if self.stream is not self.raw:
            self.stream.close()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.part_path, self.path)
        _fsync_dir(self.path.parent)
        if self.store is not None:
            self.store.close()
        manifest = self.manifest(reason)
        tmp = self.manifest_path.with_name(self.manifest_path.name + PART_SUFFIX)
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, self.manifest_path)
        _fsync_dir(self.path.parent)
        logger.info("Run %s: %d article(s) in %s", self.run_id, self.lines, self.path)

    def manifest(self, finish_reason: str) -> dict:
        stats = self.crawler.stats.get_stats()
        spider = self.crawler.spider
        return {
            "run_id": self.run_id,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "arguments": {
                "spider": spider.name,
                "spider_arguments": getattr(spider, "arguments", {}),
                "settings": {name: value for name, value in self.crawler.settings.items()
                             if self.crawler.settings.getpriority(name) == 40},  # command line (-s)
            },
            "counts": {
                "exported": self.lines,
                "new": stats.get("newsbot/incremental/new", 0),
                "updated": stats.get("newsbot/incremental/updated", 0),
                "unchanged": stats.get("newsbot/incremental/unchanged", 0),
                "skipped_known": stats.get("newsbot/incremental/skipped_known", 0),
                "rejected": {key.split("/", 2)[2]: value for key, value in stats.items()
                             if key.startswith("newsbot/rejected/") and key.count("/") == 2},
                "http_errors": {key.rsplit("/", 1)[1]: value for key, value in stats.items()
                                if key.startswith("downloader/response_status_count/")
                                and key.rsplit("/", 1)[1] >= "400"},
                "requests": stats.get("downloader/request_count", 0),
            },
            "finish_reason": finish_reason,
            "health": {"verdict": stats.get("newsbot/health/verdict", "not judged"),
                       "reasons": list(stats.get("newsbot/health/reasons", []))},
            "newsbot_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "file": {"path": self.path.name, "sha256": _sha256(self.path), "lines": self.lines,
                     "gzip": self.path.suffix == ".gz"},
        }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
