"""Run-to-run state of incremental crawls: an embedded SQLite store (standard library).

Keyed by ``article_id``. For each article it keeps the other identities the same story was
seen under (URLs, other ids, the headline + day story key), first and last seen, the
``date_modified`` and content hash last exported, the revision, and the run that last
exported it. An article counts as exported only once ``record_exported()`` ran, which the
run-file writer calls after the article's line was flushed and fsynced.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from itemadapter import ItemAdapter

from newsbot.pipelines.dedupe import story_key

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id    TEXT PRIMARY KEY,
    url           TEXT NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    date_modified TEXT,
    content_hash  TEXT,
    revision      INTEGER NOT NULL DEFAULT 0,
    exported_run  TEXT,
    exported_at   TEXT
);
CREATE TABLE IF NOT EXISTS identities (
    key        TEXT PRIMARY KEY,   -- 'url:<canonical url>', 'id:<article id>', 'story:<key>'
    article_id TEXT NOT NULL REFERENCES articles(article_id)
);
CREATE INDEX IF NOT EXISTS identities_article ON identities(article_id);
"""
# The normalised content whose change makes a new revision (Explore links change all the time).
HASHED_FIELDS = ("headline", "description", "section", "read_time_minutes", "date_published",
                 "date_modified", "authors", "sources", "image", "body", "tags", "language")


@dataclass
class KnownRecord:
    article_id: str
    url: str
    first_seen: str
    last_seen: str
    date_modified: str | None
    content_hash: str | None
    revision: int
    exported_run: str | None
    exported_at: str | None


def content_hash(item) -> str:
    """A stable hash of the article's normalised content."""
    data = ItemAdapter(item).asdict()
    content = {field: data.get(field) for field in HASHED_FIELDS}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def identity_keys(item) -> list[str]:
    adapter = ItemAdapter(item)
    keys = [f"id:{adapter.get('article_id')}", f"url:{adapter.get('url')}"]
    story = story_key(adapter.get("headline"), adapter.get("date_published"))
    if story:
        keys.append(f"story:{story}")
    return keys


class StateStore:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    # --- reading -------------------------------------------------------------------------

    def find(self, keys: Iterable[str]) -> KnownRecord | None:
        """The known article behind any of these identity keys, or None."""
        for key in keys:
            row = self.db.execute(
                "SELECT a.* FROM identities i JOIN articles a USING (article_id) WHERE i.key = ?",
                (key,)).fetchone()
            if row:
                return KnownRecord(**dict(row))
        return None

    def summary(self) -> dict:
        row = self.db.execute(
            "SELECT COUNT(*) AS articles, COALESCE(SUM(revision > 1), 0) AS revised,"
            " MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen,"
            " MAX(exported_at) AS last_export FROM articles").fetchone()
        identities = self.db.execute("SELECT COUNT(*) FROM identities").fetchone()[0]
        runs = [r[0] for r in self.db.execute(
            "SELECT DISTINCT exported_run FROM articles WHERE exported_run IS NOT NULL"
            " ORDER BY exported_run DESC LIMIT 5")]
        return {"path": str(self.path), **dict(row), "identities": identities, "recent_runs": runs}

    # --- writing -------------------------------------------------------------------------

    def claim_revision(self, item) -> int | None:
        """The revision this item is exported under, or None when its content is the one
        exported last (one run at a time uses this store: the run lock)."""
        known = self.find(identity_keys(item))
        if known is None or known.revision == 0:
            return 1
        if content_hash(item) == known.content_hash:  # the hash covers date_modified too
            return None
        return known.revision + 1

    def add_aliases(self, article_id: str, keys: Iterable[str]) -> None:
        """Other URLs / ids a page of this article was fetched under (redirects, canonical
        copies); they count once the article itself has been exported."""
        with self.db:
            self._add_identities(article_id, keys)

    def touch(self, article_id: str, seen_at: str, keys: Iterable[str] = ()) -> None:
        """An already exported article was seen again, unchanged."""
        with self.db:
            self.db.execute("UPDATE articles SET last_seen = ? WHERE article_id = ?", (seen_at, article_id))
            self._add_identities(article_id, keys)

    def record_exported(self, items: Iterable, run_id: str, at: str) -> None:
        """Record items (with their ``revision``) as durably exported, in one transaction."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for item in items:
                adapter = ItemAdapter(item)
                revision, digest = adapter.get("revision") or 1, content_hash(item)
                known = self.find(identity_keys(item))
                article_id = known.article_id if known else adapter["article_id"]
                self.db.execute(
                    "INSERT INTO articles (article_id, url, first_seen, last_seen, date_modified,"
                    " content_hash, revision, exported_run, exported_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET last_seen = excluded.last_seen,"
                    " date_modified = excluded.date_modified, content_hash = excluded.content_hash,"
                    " revision = excluded.revision, exported_run = excluded.exported_run,"
                    " exported_at = excluded.exported_at",
                    (article_id, adapter["url"], at, at, adapter.get("date_modified"), digest,
                     revision, run_id, at))
                self._add_identities(article_id, identity_keys(item))

    def _add_identities(self, article_id: str, keys: Iterable[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO identities (key, article_id) VALUES (?, ?)",
                            [(key, article_id) for key in keys])
