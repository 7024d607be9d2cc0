"""The incremental state in Redis, shared by every worker (``NEWSBOT_REDIS_URL``).

Same interface and meaning as ``newsbot.state.StateStore`` (SQLite, the embedded default);
``newsbot.workers.open_state`` picks one. Keys, all under ``newsbot:state:``:

* ``article:<id>``: a hash per article (url, first_seen, last_seen, date_modified,
  published, content_hash, revision, exported_run, exported_at; ``links``: its outgoing
  article links as JSON; ``hint:<source>``: the last hint per source; while a revision is
  being exported also claim_hash, claim_rev, claim_owner);
* ``ids``: one hash, identity key (``url:...``, ``id:...``, ``story:...``) -> article id;
* ``meta``: counters and bounds for ``summary()``, and ``marker``, the id of this state
  (see ``newsbot.workers.check_shared_state``); ``markers``: every marker it ever had;
* ``frontier``: URL -> JSON row (pending, failed with its back-off, gone), as in SQLite;
* ``floor``: identity -> the highest revision it had when the state was reset;
* ``runs``: a sorted set of runs by start time, and ``run:<id>``, a hash per run.

Hints and links of a fetched page are staged in memory and written with the article's
record (``record_exported`` / ``touch``), never ahead of the run files, as in SQLite.

Every write is one Lua script, so it is atomic against the other workers. Revisions are
claimed (``claim_revision``) before the article's line is written: two workers exporting
the same changed content never both write the next revision, and two different contents
never share one. Redis Cluster is not supported (scripts touch keys they compute).
"""

from __future__ import annotations

from collections.abc import Iterable

from itemadapter import ItemAdapter

import json

from newsbot.state import HASH_VERSION, FrontierRow, KnownRecord, Staging, content_hash, identity_keys

PREFIX = "newsbot:state:"
ARTICLE = PREFIX + "article:"
IDS = PREFIX + "ids"
META = PREFIX + "meta"
MARKERS = PREFIX + "markers"
RUNS = PREFIX + "runs"
RUN = PREFIX + "run:"
FRONTIER = PREFIX + "frontier"
FLOOR = PREFIX + "floor"
RECORD_FIELDS = ("article_id", "url", "first_seen", "last_seen", "date_modified", "content_hash",
                 "revision", "exported_run", "exported_at", "published", "hash_version")

# Returns the article id the first known identity (ARGV[first..]) points at, or nil.
_RESOLVE = """
local function resolve(ids, first)
  for i = first, #ARGV do
    local found = redis.call('HGET', ids, ARGV[i])
    if found then return found end
  end
  return nil
end
local function write_page(key, hints, links)
  for source, hint in pairs(cjson.decode(hints)) do
    if hint ~= '' then redis.call('HSET', key, 'hint:' .. source, hint) end
  end
  if links ~= '' then redis.call('HSET', key, 'links', links) end
end
"""

# KEYS: ids, meta, runs. ARGV: prefix, candidate id, url, at, date_modified, hash, revision,
# run id, published, staged hints (JSON), staged links (JSON or ''), identity keys...
# The stored revision only ever grows.
_RECORD = _RESOLVE + """
local ids, meta = KEYS[1], KEYS[2]
local aid = resolve(ids, 12) or ARGV[2]
local key = ARGV[1] .. aid
local at, revision = ARGV[4], tonumber(ARGV[7])
local current = redis.call('HMGET', key, 'revision', 'claim_rev')
local stored = tonumber(current[1])
if not stored then
  redis.call('HSET', key, 'url', ARGV[3], 'first_seen', at, 'last_seen', at, 'date_modified', ARGV[5],
             'content_hash', ARGV[6], 'revision', revision, 'exported_run', ARGV[8], 'exported_at', at,
             'published', ARGV[9])
  redis.call('HINCRBY', meta, 'articles', 1)
  if revision > 1 then redis.call('HINCRBY', meta, 'revised', 1) end
  local first = redis.call('HGET', meta, 'first_seen')
  if not first or at < first then redis.call('HSET', meta, 'first_seen', at) end
else
  redis.call('HSET', key, 'last_seen', at)
  if revision > stored then
    redis.call('HSET', key, 'date_modified', ARGV[5], 'content_hash', ARGV[6], 'revision', revision,
               'exported_run', ARGV[8], 'exported_at', at, 'published', ARGV[9])
    if stored <= 1 and revision > 1 then redis.call('HINCRBY', meta, 'revised', 1) end
  end
end
redis.call('HSET', key, 'hash_version', HASH_VERSION)
local claimed = tonumber(current[2])
if claimed and claimed <= revision then redis.call('HDEL', key, 'claim_hash', 'claim_rev', 'claim_owner') end
for i = 12, #ARGV do redis.call('HSETNX', ids, ARGV[i], aid) end
write_page(key, ARGV[10], ARGV[11])
if ARGV[5] ~= '' then redis.call('HSET', key, 'hint:page', ARGV[5]) end
local last = redis.call('HGET', meta, 'last_seen')
if not last or at > last then redis.call('HSET', meta, 'last_seen', at, 'last_export', at) end
return aid
"""

# KEYS: ids, workers. ARGV: prefix, candidate id, hash, worker id, proposed revision, identity keys...
# Returns the revision to export under; 0: unchanged (this content is the exported one);
# -1: another live worker is exporting this article now (under this or another URL or id).
# The identity keys point at the article from the claim on, so copies of it resolve to it.
_CLAIM = _RESOLVE + """
local aid = resolve(KEYS[1], 6) or ARGV[2]
local key = ARGV[1] .. aid
local a = redis.call('HMGET', key, 'revision', 'content_hash', 'claim_hash', 'claim_rev', 'claim_owner')
local stored, claimed, owner = tonumber(a[1]) or 0, tonumber(a[4]), a[5]
if claimed and owner ~= ARGV[4] then
  local alive = redis.call('ZSCORE', KEYS[2], owner)
  local t = redis.call('TIME')
  if alive and tonumber(alive) > tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) then
    return -1
  end
end
if stored > 0 and a[2] == ARGV[3] then return 0 end
for i = 6, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], aid) end
if claimed and a[3] == ARGV[3] then
  redis.call('HSET', key, 'claim_owner', ARGV[4])
  return claimed
end
local revision = math.max(tonumber(ARGV[5]), stored + 1, (claimed or 0) + 1)
redis.call('HSET', key, 'claim_hash', ARGV[3], 'claim_rev', revision, 'claim_owner', ARGV[4])
return revision
"""

# KEYS: ids, article key. ARGV: seen_at or '', prefix, published, new content hash or '',
# staged hints (JSON), staged links (JSON or ''), identity keys...
_TOUCH = _RESOLVE + """
local exported = redis.call('HEXISTS', KEYS[2], 'revision') == 1
if ARGV[1] ~= '' and exported then
  redis.call('HSET', KEYS[2], 'last_seen', ARGV[1])
  if ARGV[3] ~= '' then redis.call('HSET', KEYS[2], 'published', ARGV[3]) end
  if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], 'content_hash', ARGV[4], 'hash_version', HASH_VERSION) end
  write_page(KEYS[2], ARGV[5], ARGV[6])
end
local id = string.sub(KEYS[2], string.len(ARGV[2]) + 1)
for i = 7, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], id) end
"""

# KEYS: frontier. ARGV: url, at. A URL becomes pending (a gone one too); a failed one keeps its row.
_SCHEDULED = """
local row = redis.call('HGET', KEYS[1], ARGV[1])
if not row then
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode({status='pending', since=ARGV[2], attempts=0}))
else
  local data = cjson.decode(row)
  if data.status == 'gone' then data.status = 'pending'; redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(data)) end
end
"""

# KEYS: frontier. ARGV: url, status, at, next_after or '', error, hints (JSON).
_FAILED = """
local row = redis.call('HGET', KEYS[1], ARGV[1])
local data = row and cjson.decode(row) or {since=ARGV[3], attempts=0}
data.status, data.attempts, data.last_error, data.hints = ARGV[2], (data.attempts or 0) + 1, ARGV[5], ARGV[6]
if ARGV[4] ~= '' then data.next_after = ARGV[4] else data.next_after = nil end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(data))
"""


def _script(source: str) -> str:
    return source.replace("HASH_VERSION", str(HASH_VERSION))


class RedisStateStore(Staging):
    """The state of ``newsbot.state.StateStore``, in Redis; ``worker`` owns its claims."""

    def __init__(self, server, worker: str, workers_key: str, url: str = ""):
        self.server = server
        self.worker = worker
        self.workers_key = workers_key
        self.url = url
        self.staged: dict[str, tuple[dict, list]] = {}
        self._record = server.register_script(_script(_RECORD))
        self._claim = server.register_script(_script(_CLAIM))
        self._touch = server.register_script(_script(_TOUCH))
        self._scheduled = server.register_script(_SCHEDULED)
        self._failed = server.register_script(_FAILED)

    def close(self) -> None:
        self.staged.clear()  # pages never recorded (rejected, over the limit): nothing to write

    def flush(self) -> None:
        pass  # every write goes to Redis at once

    # --- reading -------------------------------------------------------------------------

    def find(self, keys: Iterable[str]) -> KnownRecord | None:
        keys = list(keys)
        if not keys:
            return None
        article_id = next((found for found in self.server.hmget(IDS, keys) if found), None)
        if article_id is None:
            return None
        article_id = _text(article_id)
        values = self.server.hmget(ARTICLE + article_id, RECORD_FIELDS[1:])
        record = dict(zip(RECORD_FIELDS[1:], (_text(v) if v is not None else None for v in values)))
        if record["revision"] is None:
            return None  # only aliases or a claim so far: not exported yet
        return KnownRecord(article_id=article_id, **{
            **record, "revision": int(record["revision"]), "date_modified": record["date_modified"] or None,
            "published": record["published"] or None, "hash_version": int(record["hash_version"] or 1)})

    def links(self, article_id: str) -> list[str]:
        links = self.server.hget(ARTICLE + article_id, "links")
        return json.loads(links) if links else []

    def hints(self, article_id: str) -> dict[str, str]:
        return {_text(k)[5:]: _text(v) for k, v in self.server.hgetall(ARTICLE + article_id).items()
                if _text(k).startswith("hint:")}

    def frontier(self) -> list[FrontierRow]:
        rows = []
        for url, raw in self.server.hgetall(FRONTIER).items():
            data = json.loads(raw)
            hints = data.get("hints")
            rows.append(FrontierRow(url=_text(url), status=data["status"], since=data["since"],
                                    attempts=int(data.get("attempts", 0)), next_after=data.get("next_after"),
                                    last_error=data.get("last_error"),
                                    hints=json.loads(hints) if isinstance(hints, str) and hints else {}))
        return sorted(rows, key=lambda row: (row.since, row.url))

    def revision_floor(self, keys: Iterable[str]) -> int:
        keys = list(keys)
        return max((int(v) for v in self.server.hmget(FLOOR, keys) if v), default=0) if keys else 0

    def summary(self) -> dict:
        meta = {_text(k): _text(v) for k, v in self.server.hgetall(META).items()}
        statuses = [json.loads(raw)["status"] for raw in self.server.hvals(FRONTIER)]
        return {"path": self.url, "articles": int(meta.get("articles", 0)), "revised": int(meta.get("revised", 0)),
                "first_seen": meta.get("first_seen"), "last_seen": meta.get("last_seen"),
                "last_export": meta.get("last_export"), "identities": self.server.hlen(IDS),
                "frontier": {status: statuses.count(status) for status in ("pending", "failed", "gone")},
                "revision_floor": self.server.hlen(FLOOR)}

    def runs(self) -> list[dict]:
        out = []
        for run_id in self.server.zrange(RUNS, 0, -1):
            row = {_text(k): _text(v) for k, v in self.server.hgetall(RUN + _text(run_id)).items()}
            out.append({"run_id": _text(run_id), "started": row.get("started"), "finished": row.get("finished"),
                        "verdict": row.get("verdict") or "unfinished (killed, or still going)",
                        "finish_reason": row.get("finish_reason"),
                        "counts": json.loads(row["counts"]) if row.get("counts") else None})
        return out

    # --- writing -------------------------------------------------------------------------

    def claim_revision(self, item, revision: int) -> int | None:
        """The revision this item is exported under (at least ``revision``), or None when its
        content is the one exported last. Raises ``ExportedElsewhere`` when another live
        worker is exporting this article right now (under another URL or id, or in a race)."""
        adapter = ItemAdapter(item)
        claimed = self._claim(keys=[IDS, self.workers_key],
                              args=[ARTICLE, adapter["article_id"], content_hash(item), self.worker, revision,
                                    *identity_keys(item)])
        if claimed == -1:
            raise ExportedElsewhere(adapter["article_id"])
        return claimed or None

    def note_hints(self, article_id: str, hints: dict[str, str]) -> None:
        pipe = self.server.pipeline(transaction=False)
        for source, hint in hints.items():
            pipe.hsetnx(ARTICLE + article_id, f"hint:{source}", hint)
        pipe.execute()

    def scheduled(self, url: str, at: str) -> None:
        self._scheduled(keys=[FRONTIER], args=[url, at])

    def finished(self, url: str) -> None:
        self.server.hdel(FRONTIER, url)

    def failed(self, url: str, error: str, gone: bool, at: str, next_after: str | None, hints: dict) -> None:
        self._failed(keys=[FRONTIER], args=[url, "gone" if gone else "failed", at, next_after or "", error,
                                            json.dumps(hints, sort_keys=True)])

    def add_aliases(self, article_id: str, keys: Iterable[str]) -> None:
        self._touch(keys=[IDS, ARTICLE + article_id], args=["", ARTICLE, "", "", "{}", "", *keys])

    def touch(self, article_id: str, seen_at: str, keys: Iterable[str] = (), published: str | None = None,
              content_hash: str | None = None) -> None:
        keys = list(keys)
        staged = next((key[3:] for key in [f"id:{article_id}", *keys]
                       if key.startswith("id:") and key[3:] in self.staged), article_id)
        hints, links = self.staged.pop(staged, ({}, None))
        self._touch(keys=[IDS, ARTICLE + article_id],
                    args=[seen_at, ARTICLE, published or "", content_hash or "", json.dumps(hints),
                          "" if links is None else json.dumps(links), *keys])

    def record_exported(self, items: Iterable, run_id: str, at: str) -> None:
        pipe = self.server.pipeline(transaction=False)
        for item in items:
            adapter = ItemAdapter(item)
            hints, links = self.staged.pop(adapter["article_id"], ({}, None))
            self._record(keys=[IDS, META, RUNS], client=pipe,
                         args=[ARTICLE, adapter["article_id"], adapter["url"], at, adapter.get("date_modified") or "",
                               content_hash(item), adapter.get("revision") or 1, run_id,
                               adapter.get("date_published") or "", json.dumps(hints),
                               "" if links is None else json.dumps(links), *identity_keys(item)])
        pipe.execute()

    def start_run(self, run_id: str, started: str) -> None:
        pipe = self.server.pipeline(transaction=False)
        pipe.hsetnx(RUN + run_id, "started", started)
        pipe.zadd(RUNS, {run_id: _epoch(started)}, nx=True)
        pipe.execute()

    def finish_run(self, run_id: str, finished: str, verdict: str, finish_reason: str | None, counts: dict) -> None:
        self.server.hset(RUN + run_id, mapping={"finished": finished, "verdict": verdict,
                                                "finish_reason": finish_reason or "",
                                                "counts": json.dumps(counts, sort_keys=True, default=str)})
        self.server.zadd(RUNS, {run_id: _epoch(finished)}, nx=True)


class ExportedElsewhere(Exception):
    """Another live worker is exporting this article now."""


def _epoch(iso: str) -> float:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return 0.0


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
