"""Run files: a run's articles, durable, with a manifest; no Scrapy engine needed.

A run writes ``<data dir>/runs/<YYYY>/<MM>/<DD>/<run id>.jsonl`` (``.jsonl.gz`` with
``NEWSBOT_RUN_GZIP``), first as ``<name>.part``, renamed when the run closes: a reader
never sees a half-written file under the final name. Lines are flushed and fsynced in
batches (``NEWSBOT_SYNC_ITEMS`` items or ``NEWSBOT_SYNC_SECONDS``), and only then recorded
as exported in the incremental state (when ``NEWSBOT_INCREMENTAL`` is on; a failed write or
fsync records nothing: the state is never ahead of the run files). A run killed at
any moment leaves a readable ``.part`` file and no manifest; the next run exports again
whatever was not recorded, so the worst case is a duplicate line, never a missing article.

Beside the file, ``<run id>.manifest.json`` says what the run did; the state's ``runs``
table records the run when it starts and its verdict and counts when it closes. The crawl writes run
files through ``newsbot.extensions.runfiles``; ``scrapy reextract`` writes one directly.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from scrapy.exporters import JsonLinesItemExporter

from newsbot import __version__
from newsbot.items import SCHEMA_VERSION
from newsbot.paths import runs_dir
from newsbot.state import StateBackend
from newsbot.workers import open_state, run_suffix

PART_SUFFIX = ".part"


def new_run_id(now: datetime | None = None, suffix: str | None = None) -> str:
    """``<UTC time>-<pid>``, or ``<UTC time>-<worker id>`` for workers sharing Redis."""
    now = now or datetime.now(timezone.utc)
    return f"{now:%Y%m%dT%H%M%SZ}-{suffix or os.getpid()}"


class RunFileWriter:
    """Writes one run file; call ``write()`` per item, then ``close(manifest)``."""

    def __init__(self, settings, run_id: str | None = None, store: StateBackend | None = None):
        """``store``: the crawl's state (else, when ``NEWSBOT_INCREMENTAL``, opened here and
        closed by ``close()``)."""
        self.run_id = run_id or settings.get("NEWSBOT_RUN_ID") or new_run_id(suffix=run_suffix(settings))
        self.started = datetime.now(timezone.utc)
        suffix = ".jsonl.gz" if settings.getbool("NEWSBOT_RUN_GZIP") else ".jsonl"
        day_dir = runs_dir(settings) / f"{self.started:%Y/%m/%d}"
        self.path = day_dir / f"{self.run_id}{suffix}"
        self.part_path = self.path.with_name(self.path.name + PART_SUFFIX)
        self.manifest_path = day_dir / f"{self.run_id}.manifest.json"
        self.sync_items = settings.getint("NEWSBOT_SYNC_ITEMS", 20)
        self.sync_seconds = settings.getfloat("NEWSBOT_SYNC_SECONDS", 5.0)
        self.own_store = store is None and settings.getbool("NEWSBOT_INCREMENTAL")
        self.store = open_state(settings) if self.own_store else store
        self.pending: list = []
        self.lines = 0
        self.synced = 0
        self.last_sync = time.monotonic()
        self.part_path.parent.mkdir(parents=True, exist_ok=True)
        self.raw = self.part_path.open("wb")
        self.stream = gzip.GzipFile(fileobj=self.raw, mode="wb") if self.gzip else self.raw
        self.exporter = JsonLinesItemExporter(self.stream, encoding="utf-8", ensure_ascii=False)
        if self.store is not None:
            self.store.start_run(self.run_id, self.started.isoformat(timespec="seconds"))

    @property
    def gzip(self) -> bool:
        return self.path.suffix == ".gz"

    def write(self, item) -> None:
        self.exporter.export_item(item)
        self.pending.append(item)
        self.lines += 1
        if len(self.pending) >= self.sync_items or time.monotonic() - self.last_sync >= self.sync_seconds:
            self.sync()

    def sync(self) -> None:
        """Make the written lines durable, then record them as exported."""
        self.stream.flush()  # for gzip, a sync flush: everything so far is decodable
        self.raw.flush()
        os.fsync(self.raw.fileno())
        if self.store is not None and self.pending:
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.store.record_exported(self.pending, self.run_id, now)
        self.synced += len(self.pending)
        self.pending.clear()
        self.last_sync = time.monotonic()

    def close(self, manifest: dict) -> dict:
        """Finish the file, rename it to its final name, write the manifest, record the run in
        the state; return the manifest. When this fails, the run is recorded as failed."""
        try:
            manifest = self._close(manifest)
            if self.store is not None:
                self._record_run(manifest, manifest.get("health", {}).get("verdict", "not judged"))
        except BaseException as error:
            if self.store is not None:
                self._record_run(manifest, "failed", f"{type(error).__name__}: {error}")
            raise
        finally:
            if self.own_store:
                self.store.close()
        return manifest

    def _record_run(self, manifest: dict, verdict: str, problem: str | None = None) -> None:
        counts = dict(manifest.get("counts") or {})
        if problem:
            counts["problem"] = problem
        try:
            self.store.finish_run(self.run_id, datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                  verdict, manifest.get("finish_reason"), counts)
        except Exception:
            if problem is None:
                raise  # else: the first failure is the one to report

    def _close(self, manifest: dict) -> dict:
        self.sync()
        if self.stream is not self.raw:
            self.stream.close()
        os.fsync(self.raw.fileno())
        self.raw.close()
        os.replace(self.part_path, self.path)
        _fsync_dir(self.path.parent)
        manifest = {
            "run_id": self.run_id,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **manifest,
            "newsbot_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "file": {"path": self.path.name, "sha256": _sha256(self.path), "lines": self.lines,
                     "gzip": self.gzip},
        }
        tmp = self.manifest_path.with_name(self.manifest_path.name + PART_SUFFIX)
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, self.manifest_path)
        _fsync_dir(self.path.parent)
        return manifest


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
