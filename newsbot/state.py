"""Run-to-run state of incremental crawls: an embedded SQLite store (standard library).

What it holds (schema version ``SCHEMA_VERSION``, in table ``meta``):

* ``articles``: per exported article (keyed by ``article_id``) first and last visit, the
  publication date (for the revisit schedule), the content hash and revision last exported,
  the run that exported it; ``identities``: the other URLs / ids / headline + day story keys
  the same story was seen under.
* ``links``: the link graph, each fetched article's outgoing article links (Explore block and
  body), so a known article that is not fetched again still leads to its children.
* ``hints``: the last change hint per article and source (``feed`` date, ``sitemap``
  ``lastmod``, the page's own ``dateModified`` as ``page``).
* ``frontier``: article URLs scheduled but not finished (``pending``), failed ones waiting for
  their back-off (``failed``) and those that answered 404/410 (``gone``).
* ``runs``: every run, with its verdict and counts; ``revision_floor``: the highest revision
  each identity had when the state was reset, so revisions never go back.

Everything about an article that depends on its page (its hints, its links) is *staged* when
the page is parsed and written only with ``record_exported()`` / ``touch()``, i.e. once the
run-file writer has made the article's line durable: the state is never ahead of the run files.

One component owns the open store: ``state_for(crawler)`` (the crawl command opens and
checks it before the crawl with ``open_checked_state()``, which raises ``BadState`` for a
corrupt, truncated, foreign or unreadable file instead of ever treating it as empty).
``StateBackend`` is the interface the rest of newsbot uses, for other backends (Redis).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from itemadapter import ItemAdapter
from scrapy import signals

from newsbot.paths import state_path
from newsbot.pipelines.dedupe import story_key

SCHEMA_VERSION = 2
EXIT_BAD_STATE = 65  # EX_DATAERR (sysexits.h): the state file cannot be used (74 is a full disk)
SQLITE_MAGIC = b"SQLite format 3\x00"
WHAT_TO_DO = "run `scrapy state check`, restore it from a backup, or start afresh with `scrapy state reset --yes`"

TABLES_V1 = """
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
MIGRATIONS = {  # version reached -> SQL from the version before (1: the unversioned schema)
    2: """
ALTER TABLE articles ADD COLUMN published TEXT;
ALTER TABLE articles ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE links (article_id TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (article_id, url)) WITHOUT ROWID;
CREATE TABLE hints (article_id TEXT NOT NULL, source TEXT NOT NULL, hint TEXT NOT NULL,
                    PRIMARY KEY (article_id, source)) WITHOUT ROWID;
CREATE TABLE frontier (
    url        TEXT PRIMARY KEY,
    status     TEXT NOT NULL,          -- 'pending', 'failed' or 'gone'
    since      TEXT NOT NULL,          -- when it was first scheduled
    attempts   INTEGER NOT NULL DEFAULT 0,
    next_after TEXT,                   -- a failed URL is retried from then on
    last_error TEXT,
    hints      TEXT                    -- JSON {source: hint} known when it failed
);
CREATE TABLE runs (run_id TEXT PRIMARY KEY, started TEXT, finished TEXT, verdict TEXT,
                   finish_reason TEXT, counts TEXT);
CREATE TABLE revision_floor (key TEXT PRIMARY KEY, revision INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO runs (run_id, started, verdict)
    SELECT exported_run, MIN(exported_at), 'unknown (recorded before state version 2)'
    FROM articles WHERE exported_run IS NOT NULL GROUP BY exported_run;
""",
}
EXPECTED_COLUMNS = {
    "articles": {"article_id", "url", "first_seen", "last_seen", "date_modified", "content_hash",
                 "revision", "exported_run", "exported_at", "published", "hash_version"},
    "identities": {"key", "article_id"},
    "meta": {"key", "value"},
    "links": {"article_id", "url"},
    "hints": {"article_id", "source", "hint"},
    "frontier": {"url", "status", "since", "attempts", "next_after", "last_error", "hints"},
    "runs": {"run_id", "started", "finished", "verdict", "finish_reason", "counts"},
    "revision_floor": {"key", "revision"},
}
# The content hash covers every exported field but these: which page (url, article_id: a copy
# of the story under another id is the same content), when (scraped_at), which export
# (revision), and which extraction layer produced a field (provenance: ours, not the article's).
UNHASHED_FIELDS = ("url", "article_id", "scraped_at", "revision", "provenance")
HASH_VERSION = 2
# Hash version 1 (state version 1) hashed only these; kept to upgrade old records silently.
HASHED_FIELDS_V1 = ("headline", "description", "section", "read_time_minutes", "date_published",
                    "date_modified", "authors", "sources", "image", "body", "tags", "language")


class BadState(Exception):
    """The state file cannot be used; the message names it and says what to do, in one line
    (SQLite's own reports, such as ``quick_check``'s, span several lines: they are folded)."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


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
    published: str | None = None
    hash_version: int = HASH_VERSION


@dataclass
class FrontierRow:
    url: str
    status: str  # 'pending', 'failed', 'gone'
    since: str
    attempts: int
    next_after: str | None
    last_error: str | None
    hints: dict


def content_hash(item, version: int = HASH_VERSION) -> str:
    """A stable hash of the article's exported content (see ``UNHASHED_FIELDS``)."""
    data = ItemAdapter(item).asdict()
    if version == 1:
        content = {field: data.get(field) for field in HASHED_FIELDS_V1}
    else:
        content = {field: value for field, value in data.items() if field not in UNHASHED_FIELDS}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def identity_keys(item) -> list[str]:
    adapter = ItemAdapter(item)
    keys = [f"id:{adapter.get('article_id')}", f"url:{adapter.get('url')}"]
    story = story_key(adapter.get("headline"), adapter.get("date_published"))
    if story:
        keys.append(f"story:{story}")
    return keys


class StateBackend(Protocol):
    """What newsbot needs from a state store (``StateStore`` is the SQLite one)."""

    def find(self, keys: Iterable[str]) -> KnownRecord | None: ...
    def links(self, article_id: str) -> list[str]: ...
    def hints(self, article_id: str) -> dict[str, str]: ...
    def frontier(self) -> list[FrontierRow]: ...
    def revision_floor(self, keys: Iterable[str]) -> int: ...
    def stage(self, article_id: str, hints: dict[str, str], links: list[str]) -> None: ...
    def note_hints(self, article_id: str, hints: dict[str, str]) -> None: ...
    def late_hints(self, article_id: str, hints: dict[str, str]) -> None: ...
    def scheduled(self, url: str, at: str) -> None: ...
    def finished(self, url: str) -> None: ...
    def failed(self, url: str, error: str, gone: bool, at: str, next_after: str | None, hints: dict) -> None: ...
    def add_aliases(self, article_id: str, keys: Iterable[str]) -> None: ...
    def touch(self, article_id: str, seen_at: str, keys: Iterable[str] = (), published: str | None = None,
              content_hash: str | None = None) -> None: ...
    def record_exported(self, items: Iterable, run_id: str, at: str) -> None: ...
    def claim_revision(self, item, revision: int) -> int | None: ...
    def start_run(self, run_id: str, started: str) -> None: ...
    def finish_run(self, run_id: str, finished: str, verdict: str, finish_reason: str | None, counts: dict) -> None: ...
    def flush(self) -> None: ...
    def close(self) -> None: ...


# --- opening ---------------------------------------------------------------------------


def open_checked_state(path: str | Path, create: bool = True) -> StateStore:
    """Open the state at ``path``, checked and migrated; create it when absent (``create``).

    Raises ``BadState`` when the file exists but cannot be used: unreadable, 0 bytes (a state
    that existed was truncated: never taken as empty), not SQLite, failing ``PRAGMA
    quick_check``, or another application's database. Nothing is written to a bad file.
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        if not create:
            raise BadState(f"no state at {path}")
        return _create(path)
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BadState(f"cannot read the state file {path} ({error.strerror or error}): "
                       f"fix its permissions, or {WHAT_TO_DO}") from None
    if not header:
        raise BadState(f"the state file {path} is empty (0 bytes: truncated?): restore it from a "
                       f"backup or start afresh with `scrapy state reset --yes`")
    if header != SQLITE_MAGIC:
        raise BadState(f"the state file {path} is not an SQLite database (foreign or corrupt): {WHAT_TO_DO}")
    try:
        db = _connect(path)
    except sqlite3.Error as error:
        raise BadState(f"cannot open the state file {path} ({error}): {WHAT_TO_DO}") from None
    try:
        version = _check(db, path)
        if version < SCHEMA_VERSION:
            _migrate(db, version)
        db.execute("PRAGMA journal_mode=WAL")
    except BadState:
        db.close()
        raise
    except sqlite3.Error as error:
        db.close()
        raise BadState(f"the state file {path} is corrupt ({error}): {WHAT_TO_DO}") from None
    return StateStore(path, db)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.row_factory = sqlite3.Row
    return db


def _check(db: sqlite3.Connection, path: Path) -> int:
    """The schema version of a sound newsbot state, else ``BadState``. Reads only."""
    problems = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise BadState(f"the state file {path} is corrupt (quick_check: {problems[0]}): {WHAT_TO_DO}")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "meta" in tables:
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else 0
        if version > SCHEMA_VERSION:
            raise BadState(f"the state file {path} has schema version {version}, newer than this newsbot "
                           f"knows ({SCHEMA_VERSION}): upgrade newsbot")
    elif {"articles", "identities"} <= tables:
        version = 1  # before versions were recorded
    else:
        version = 0
    if version == 1:
        expected = {table: EXPECTED_COLUMNS[table] - {"published", "hash_version"} for table in ("articles", "identities")}
    else:
        expected = EXPECTED_COLUMNS
    missing = [table for table, columns in expected.items()
               if not columns <= {row[1] for row in db.execute(f"PRAGMA table_info({table})")}]
    if version == 0 or missing:
        found = ", ".join(sorted(tables)) or "none"
        raise BadState(f"the state file {path} is not a newsbot state (tables: {found}): use another "
                       f"NEWSBOT_STATE_PATH, or {WHAT_TO_DO}")
    return version


def _migrate(db: sqlite3.Connection, version: int) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in filter(str.strip, MIGRATIONS[target].split(";\n")):
                db.execute(statement)
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _create(path: Path) -> StateStore:
    """A new, empty state, built aside and renamed in place (never a half-made file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.new-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    db = _connect(tmp)
    db.executescript(TABLES_V1)
    _migrate(db, 1)
    db.close()
    os.replace(tmp, path)
    return open_checked_state(path, create=False)


def state_for(crawler) -> StateBackend:
    """The crawl's one state store: the one the crawl command checked and attached, else
    opened (and checked) here on first use. Closed when the engine stops."""
    store = getattr(crawler, "newsbot_state", None)
    if store is None:
        from newsbot.workers import open_state  # Redis when NEWSBOT_REDIS_URL is set

        store = open_state(crawler.settings)
        attach_state(crawler, store)
    return store


def attach_state(crawler, store: StateBackend) -> None:
    crawler.newsbot_state = store
    dispatcher = getattr(crawler, "signals", None)  # the offline pipelines have no engine
    if dispatcher is not None:
        # engine_stopped comes after every spider_closed handler (run files, pipelines).
        dispatcher.connect(store.close, signal=signals.engine_stopped, weak=False)


# --- the SQLite store ------------------------------------------------------------------


class Staging:
    """What both stores do alike with a run's staged hints and links: kept in ``staged``
    until the article is recorded (``find`` and ``note_hints`` are the store's own)."""

    staged: dict[str, tuple[dict, list]]

    def stage(self, article_id: str, hints: dict[str, str], links: list[str]) -> None:
        """A page of this article was parsed: its hints and links, written with its record
        (two pages of one article in a run, e.g. a copy with a canonical link: both count)."""
        old_hints, old_links = self.staged.get(article_id, ({}, []))
        self.staged[article_id] = ({**old_hints, **hints}, list(dict.fromkeys([*old_links, *links])))

    def late_hints(self, article_id: str, hints: dict[str, str]) -> None:
        """Hints that reached this run after the article's page was parsed (the sitemap read
        after the homepage led to it): written with its record, or now when it already is."""
        if article_id in self.staged:
            self.stage(article_id, hints, [])
            return
        known = self.find([f"id:{article_id}"])  # not staged any more: recorded in this run
        if known is not None:
            self.note_hints(known.article_id, hints)


class StateStore(Staging):
    """The SQLite state. Open it with ``open_checked_state()``, not directly."""

    # Frontier changes are buffered (at most this many, or this long): a killed run loses at
    # most these, and the link graph leads to those articles again, so none is lost for good.
    FLUSH_OPS = 500
    FLUSH_SECONDS = 2.0

    def __init__(self, path: str | Path, db: sqlite3.Connection):
        self.path = Path(path)
        self.db = db
        self.db.execute("PRAGMA synchronous=FULL")
        self.staged: dict[str, tuple[dict, list]] = {}
        self.recorded: set[str] = set()  # articles recorded by this process (exported or touched)
        self.ops: list[tuple[str, tuple]] = []
        self.last_flush = time.monotonic()

    def close(self) -> None:
        if self.db is None:
            return
        try:
            self._write_leftovers()
            self.flush()
        finally:
            self.db.close()
            self.db = None

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

    def links(self, article_id: str) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT url FROM links WHERE article_id = ?", (article_id,))]

    def hints(self, article_id: str) -> dict[str, str]:
        return dict(self.db.execute("SELECT source, hint FROM hints WHERE article_id = ?", (article_id,)).fetchall())

    def frontier(self) -> list[FrontierRow]:
        """Every URL left pending, failed or gone by earlier runs."""
        self.flush()
        return [_frontier_row(row) for row in self.db.execute("SELECT * FROM frontier ORDER BY since, url")]

    def revision_floor(self, keys: Iterable[str]) -> int:
        """The highest revision any of these identities had before a reset (0: none)."""
        keys = list(keys)
        row = self.db.execute(f"SELECT MAX(revision) FROM revision_floor WHERE key IN ({','.join('?' * len(keys))})",
                              keys).fetchone()
        return row[0] or 0

    def summary(self) -> dict:
        row = self.db.execute(
            "SELECT COUNT(*) AS articles, COALESCE(SUM(revision > 1), 0) AS revised,"
            " MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen,"
            " MAX(exported_at) AS last_export FROM articles").fetchone()
        count = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        frontier = dict(self.db.execute("SELECT status, COUNT(*) FROM frontier GROUP BY status").fetchall())
        return {"path": str(self.path), "schema_version": SCHEMA_VERSION, **dict(row),
                "identities": count("SELECT COUNT(*) FROM identities"),
                "links": count("SELECT COUNT(*) FROM links"),
                "hints": count("SELECT COUNT(*) FROM hints"),
                "frontier": {status: frontier.get(status, 0) for status in ("pending", "failed", "gone")},
                "revision_floor": count("SELECT COUNT(*) FROM revision_floor")}

    def runs(self) -> list[dict]:
        """Every run recorded, oldest first (a run that never closed: killed, or still going)."""
        return [{**dict(row), "verdict": row["verdict"] or "unfinished (killed, or still going)",
                 "counts": json.loads(row["counts"]) if row["counts"] else None}
                for row in self.db.execute("SELECT * FROM runs ORDER BY started, run_id")]

    # --- writing -------------------------------------------------------------------------

    def note_hints(self, article_id: str, hints: dict[str, str]) -> None:
        """First hints of a source for a known article that they do not make due."""
        self._op("INSERT OR IGNORE INTO hints (article_id, source, hint) VALUES (?, ?, ?)",
                 *[(article_id, source, hint) for source, hint in hints.items()])

    def scheduled(self, url: str, at: str) -> None:
        self._op("INSERT INTO frontier (url, status, since) VALUES (?, 'pending', ?)"
                 " ON CONFLICT(url) DO UPDATE SET status = CASE status WHEN 'gone' THEN 'pending' ELSE status END",
                 (url, at))

    def finished(self, url: str) -> None:
        self._op("DELETE FROM frontier WHERE url = ?", (url,))

    def failed(self, url: str, error: str, gone: bool, at: str, next_after: str | None, hints: dict) -> None:
        self._op("INSERT INTO frontier (url, status, since, attempts, next_after, last_error, hints)"
                 " VALUES (?, ?, ?, 1, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET status = excluded.status,"
                 " attempts = attempts + 1, next_after = excluded.next_after, last_error = excluded.last_error,"
                 " hints = excluded.hints",
                 (url, "gone" if gone else "failed", at, next_after, error, json.dumps(hints, sort_keys=True)))

    def flush(self) -> None:
        """Write the buffered frontier changes, in order, in one transaction."""
        self.last_flush = time.monotonic()
        if not self.ops:
            return
        ops, self.ops = self.ops, []
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for sql, params in ops:
                self.db.execute(sql, params)

    def add_aliases(self, article_id: str, keys: Iterable[str]) -> None:
        """Other URLs / ids a page of this article was fetched under (redirects, canonical
        copies); they count once the article itself has been exported."""
        with self.db:
            self._add_identities(article_id, keys)

    def touch(self, article_id: str, seen_at: str, keys: Iterable[str] = (), published: str | None = None,
              content_hash: str | None = None) -> None:
        """An already exported article was fetched again, unchanged (``content_hash``: its
        hash under the current hash version, when the record had an older one)."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("UPDATE articles SET last_seen = ?, published = COALESCE(?, published) WHERE article_id = ?",
                            (seen_at, published, article_id))
            if content_hash:
                self.db.execute("UPDATE articles SET content_hash = ?, hash_version = ? WHERE article_id = ?",
                                (content_hash, HASH_VERSION, article_id))
            keys = list(keys)
            self._add_identities(article_id, keys)
            staged = next((key[3:] for key in [f"id:{article_id}", *keys] if key[3:] in self.staged
                           and key.startswith("id:")), article_id)
            self._write_staged(staged, article_id)
            self.recorded.add(article_id)

    def claim_revision(self, item, revision: int) -> int | None:
        """The revision this item is exported under: the one proposed (one run at a time
        writes this store: the run lock; ``RedisStateStore`` arbitrates between workers)."""
        return revision

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
                    " content_hash, revision, exported_run, exported_at, published, hash_version)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(article_id) DO UPDATE SET last_seen = excluded.last_seen,"
                    " date_modified = excluded.date_modified, content_hash = excluded.content_hash,"
                    " revision = excluded.revision, exported_run = excluded.exported_run,"
                    " exported_at = excluded.exported_at, published = excluded.published,"
                    " hash_version = excluded.hash_version",
                    (article_id, adapter["url"], at, at, adapter.get("date_modified"), digest,
                     revision, run_id, at, adapter.get("date_published"), HASH_VERSION))
                self._add_identities(article_id, identity_keys(item))
                self._write_staged(adapter["article_id"], article_id)
                self.recorded.add(article_id)
                if adapter.get("date_modified"):
                    self.db.execute("INSERT OR REPLACE INTO hints (article_id, source, hint) VALUES (?, 'page', ?)",
                                    (article_id, adapter["date_modified"]))

    def start_run(self, run_id: str, started: str) -> None:
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO runs (run_id, started) VALUES (?, ?)", (run_id, started))

    def finish_run(self, run_id: str, finished: str, verdict: str, finish_reason: str | None, counts: dict) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO runs (run_id, finished, verdict, finish_reason, counts) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(run_id) DO UPDATE SET finished = excluded.finished, verdict = excluded.verdict,"
                " finish_reason = excluded.finish_reason, counts = excluded.counts",
                (run_id, finished, verdict, finish_reason, json.dumps(counts, sort_keys=True, default=str)))

    def revision_floor_entries(self) -> dict[str, int]:
        """Every identity with the highest revision it reached (for a reset to keep)."""
        floor = dict(self.db.execute("SELECT key, revision FROM revision_floor").fetchall())
        for key, revision in self.db.execute(
                "SELECT i.key, a.revision FROM identities i JOIN articles a USING (article_id) WHERE a.revision > 0"):
            floor[key] = max(revision, floor.get(key, 0))
        return floor

    def keep_after_reset(self, floor: dict[str, int], runs: list[dict]) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany("INSERT OR REPLACE INTO revision_floor (key, revision) VALUES (?, ?)", floor.items())
            self.db.executemany(
                "INSERT OR IGNORE INTO runs (run_id, started, finished, verdict, finish_reason, counts)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(r["run_id"], r["started"], r["finished"], r["verdict"], r["finish_reason"],
                  json.dumps(r["counts"], sort_keys=True) if r["counts"] is not None else None) for r in runs])

    def backup(self, target: str | Path) -> None:
        """A consistent copy of the state (SQLite's online backup), safe while a run writes."""
        self.flush()
        copy = sqlite3.connect(target)
        try:
            self.db.backup(copy)
        finally:
            copy.close()

    def _write_staged(self, staged_id: str, article_id: str) -> None:
        hints, links = self.staged.pop(staged_id, ({}, None))
        self.db.executemany("INSERT OR REPLACE INTO hints (article_id, source, hint) VALUES (?, ?, ?)",
                            [(article_id, source, hint) for source, hint in hints.items() if hint])
        if links is not None:
            self.db.execute("DELETE FROM links WHERE article_id = ?", (article_id,))
            self.db.executemany("INSERT OR IGNORE INTO links (article_id, url) VALUES (?, ?)",
                                [(article_id, url) for url in links])

    def _write_leftovers(self) -> None:
        """Pages parsed after their article was recorded in this run (a second copy of the
        story, dropped as a duplicate): their hints and links fill in what is missing."""
        with self.db:
            for staged_id, (hints, links) in self.staged.items():
                known = self.find([f"id:{staged_id}"])
                if known is None or known.article_id not in self.recorded:
                    continue  # not recorded (not durable, over the limit, rejected): nothing
                self.db.executemany("INSERT OR IGNORE INTO hints (article_id, source, hint) VALUES (?, ?, ?)",
                                    [(known.article_id, source, hint) for source, hint in hints.items() if hint])
                self.db.executemany("INSERT OR IGNORE INTO links (article_id, url) VALUES (?, ?)",
                                    [(known.article_id, url) for url in links])
        self.staged.clear()

    def _add_identities(self, article_id: str, keys: Iterable[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO identities (key, article_id) VALUES (?, ?)",
                            [(key, article_id) for key in keys])

    def _op(self, sql: str, *params: tuple) -> None:
        self.ops.extend((sql, p) for p in params)
        if len(self.ops) >= self.FLUSH_OPS or time.monotonic() - self.last_flush >= self.FLUSH_SECONDS:
            self.flush()


def _frontier_row(row) -> FrontierRow:
    data = dict(row)
    data["hints"] = json.loads(data["hints"]) if data["hints"] else {}
    return FrontierRow(**data)
