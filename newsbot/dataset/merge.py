"""Keep one record per story, on disk: the latest revision, whichever id it came under.

Identity. Two records are the same story when they share an ``article_id``, a canonical
``url``, or a ``story_key(headline, date_published)`` (the crawl's own duplicate rule,
``newsbot.pipelines.dedupe``: TRT Global editions republish stories under new ids). The
relation is closed transitively over every record read, older revisions included: if id A
once carried the headline that id B carries, A and B are one story. Each story is one row.

Winner. Within a story the record with the highest rank wins: ``revision``, then the later
run file (run order, ``runs.find_run_files``), then the later ``scraped_at`` (as an instant),
then the later line of the file. Rank is a total order, so the winner does not depend on
the order records arrive in.

Memory. Everything lives in a SQLite database (standard library) in a scratch directory:
``identity`` maps each key to its story (article ids as text, URLs and story keys as
16-byte BLAKE2 digests: a collision needs ~2^64 keys), ``story`` holds the winner's rank,
its sort columns and its JSON. Python holds one record at a time; SQLite holds its page
cache (``CACHE_KIB``). Stories join by pointing the smaller one's keys at the larger
(union by size), so each key moves O(log n) times at most, and merges are rare anyway.

Order. ``winners()`` yields the stories by day published, day-only dates before timed ones
of the same day, then by instant, then ``article_id``; undated records last. Ties are
impossible (``article_id`` is unique), so the order, and the output bytes, are stable.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsbot.dataset.dates import parse_when
from newsbot.pipelines.dedupe import story_key

ID_PREFIX, URL_PREFIX, STORY_PREFIX = b"i", b"u", b"s"
DIGEST_BYTES = 16
CACHE_KIB = 32 * 1024
PAGE_BYTES = 8192  # records are a few kB: fewer overflow pages than the default 4096
COMMIT_EVERY = 20_000
NO_INSTANT = -(2**62)  # rank of a record without a readable scraped_at: below any real one
RANK_COLUMNS = ("revision", "run_index", "scraped_ms", "line_no")
ROW_COLUMNS = (*RANK_COLUMNS, "undated", "day", "instant_ms", "article_id", "record")

SCHEMA = """
CREATE TABLE story (
    id INTEGER PRIMARY KEY,
    revision INTEGER NOT NULL, run_index INTEGER NOT NULL,
    scraped_ms INTEGER NOT NULL, line_no INTEGER NOT NULL,
    undated INTEGER NOT NULL, day TEXT, instant_ms INTEGER, article_id TEXT NOT NULL,
    record TEXT NOT NULL,
    keys INTEGER NOT NULL
);
CREATE TABLE identity (key BLOB PRIMARY KEY, story INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX identity_story ON identity (story);
"""
OUTPUT_ORDER = "undated, day, instant_ms, article_id"


def identity_keys(record: dict) -> list[bytes]:
    """The keys a record is known by: its id, its URL, its story key (headline + day)."""
    keys = [ID_PREFIX + record["article_id"].encode("utf-8"), URL_PREFIX + _digest(record["url"])]
    story = story_key(record.get("headline"), record.get("date_published"))
    if story:
        keys.append(STORY_PREFIX + _digest(story))
    return keys


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_BYTES).digest()


@dataclass(frozen=True)
class MergeCounts:
    records: int  # records added
    article_ids: int  # distinct article ids among them
    stories: int  # rows: one per story

    @property
    def superseded(self) -> int:
        """Older revisions and repeated lines of the same article id."""
        return self.records - self.article_ids

    @property
    def merged_ids(self) -> int:
        """Article ids folded into a story kept under another id."""
        return self.article_ids - self.stories


class MergeStore:
    """The winning record of each story, in a SQLite file at ``path`` (created, not kept)."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in (f"page_size = {PAGE_BYTES}", "journal_mode = OFF", "synchronous = OFF",
                       f"cache_size = -{CACHE_KIB}", "temp_store = FILE"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(SCHEMA)
        self.db.execute("BEGIN")
        self.added = 0

    def add(self, record: dict, run_index: int, line_no: int, text: str | None = None) -> None:
        """Offer one record: it becomes its story's winner if it outranks the current one.

        ``text``: the record's JSON when the caller has it already (saves encoding it again)."""
        keys = identity_keys(record)
        found = self.db.execute(f"SELECT key, story FROM identity WHERE key IN ({', '.join('?' * len(keys))})",
                                keys).fetchall()
        row = _row(record, run_index, line_no, text)
        stories = sorted({story for _, story in found})
        if not stories:
            story = self.db.execute(f"INSERT INTO story ({', '.join(ROW_COLUMNS)}, keys) "
                                    f"VALUES ({', '.join('?' * len(ROW_COLUMNS))}, ?)", (*row, len(keys))).lastrowid
            self.db.executemany("INSERT INTO identity VALUES (?, ?)", [(key, story) for key in keys])
        else:
            story = self._union(stories) if len(stories) > 1 else stories[0]
            current = self.db.execute(f"SELECT {', '.join(RANK_COLUMNS)} FROM story WHERE id = ?", (story,)).fetchone()
            if row[:len(RANK_COLUMNS)] > current:
                self.db.execute(f"UPDATE story SET {', '.join(c + ' = ?' for c in ROW_COLUMNS)} WHERE id = ?",
                                (*row, story))
            known = {key for key, _ in found}
            new = [(key, story) for key in keys if key not in known]
            if new:
                self.db.executemany("INSERT INTO identity VALUES (?, ?)", new)
                self.db.execute("UPDATE story SET keys = keys + ? WHERE id = ?", (len(new), story))
        self.added += 1
        if self.added % COMMIT_EVERY == 0:
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")

    def _union(self, stories: list[int]) -> int:
        """Join stories into the one with most keys (lowest id on a tie), keeping the best winner."""
        rows = self.db.execute(f"SELECT id, keys, {', '.join(RANK_COLUMNS)} FROM story "
                               f"WHERE id IN ({', '.join('?' * len(stories))})", stories).fetchall()
        target = min(rows, key=lambda r: (-r[1], r[0]))[0]
        best = max(rows, key=lambda r: r[2:])[0]
        if best != target:
            self.db.execute(f"UPDATE story SET ({', '.join(ROW_COLUMNS)}) = "
                            f"(SELECT {', '.join(ROW_COLUMNS)} FROM story WHERE id = ?) WHERE id = ?", (best, target))
        for story, keys, *_ in rows:
            if story != target:
                self.db.execute("UPDATE identity SET story = ? WHERE story = ?", (target, story))
                self.db.execute("UPDATE story SET keys = keys + ? WHERE id = ?", (keys, target))
                self.db.execute("DELETE FROM story WHERE id = ?", (story,))
        return target

    def finish(self) -> MergeCounts:
        """End the loading; index the output order. Call once, before ``winners()``."""
        self.db.execute("COMMIT")
        self.db.execute(f"CREATE INDEX story_order ON story ({OUTPUT_ORDER})")
        stories = self.db.execute("SELECT count(*) FROM story").fetchone()[0]
        return MergeCounts(records=self.added, article_ids=self._count_ids(), stories=stories)

    def _count_ids(self) -> int:
        return self.db.execute("SELECT count(*) FROM identity WHERE key >= ? AND key < ?", _id_range()).fetchone()[0]

    def winners(self) -> Iterator[dict]:
        """The winning records, in output order, one at a time."""
        for (text,) in self.db.execute(f"SELECT record FROM story ORDER BY {OUTPUT_ORDER}"):
            yield json.loads(text)

    def merged_examples(self, limit: int) -> list[tuple[str, list[str]]]:
        """Up to ``limit`` stories found under several ids: ``(id kept, [ids folded into it])``."""
        rows = self.db.execute(
            "SELECT story.article_id, identity.key FROM identity JOIN story ON story.id = identity.story "
            "WHERE identity.key >= ? AND identity.key < ? AND CAST(substr(identity.key, 2) AS TEXT) != story.article_id "
            "ORDER BY story.article_id, identity.key", _id_range())
        examples: dict[str, list[str]] = {}
        for kept, key in rows:
            if kept not in examples and len(examples) == limit:
                break
            examples.setdefault(kept, []).append(key[len(ID_PREFIX):].decode("utf-8"))
        return list(examples.items())

    def close(self) -> None:
        self.db.close()


def _id_range() -> tuple[bytes, bytes]:
    return ID_PREFIX, bytes([ID_PREFIX[0] + 1])


def _row(record: dict, run_index: int, line_no: int, text: str | None) -> tuple:
    published = parse_when(record["date_published"])
    scraped = parse_when(record["scraped_at"])
    scraped_ms = scraped.instant_ms if scraped and scraped.instant_ms is not None else NO_INSTANT
    text = text or json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return (record["revision"], run_index, scraped_ms, line_no,
            int(published is None), published.day.isoformat() if published else None,
            published.instant_ms if published else None, record["article_id"], text)
