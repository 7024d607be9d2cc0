"""The incremental state in Redis, shared by every worker (``NEWSBOT_REDIS_URL``).

Same interface and meaning as ``newsbot.state.StateStore`` (SQLite, the embedded default);
``newsbot.workers.open_state`` picks one. Keys, all under ``newsbot:state:``:

* ``article:<id>``: a hash per article (url, first_seen, last_seen, date_modified,
  content_hash, revision, exported_run, exported_at; while a revision is being exported
  also claim_hash, claim_rev, claim_owner);
* ``ids``: one hash, identity key (``url:...``, ``id:...``, ``story:...``) -> article id;
* ``meta``: counters and bounds for ``summary()``, and ``marker``, the id of this state
  (see ``newsbot.workers.check_shared_state``); ``markers``: every marker it ever had;
* ``runs``: a sorted set of the runs that exported, by time.

Every write is one Lua script, so it is atomic against the other workers. Revisions are
claimed (``claim_revision``) before the article's line is written: two workers exporting
the same changed content never both write the next revision, and two different contents
never share one. Redis Cluster is not supported (scripts touch keys they compute).
"""

from __future__ import annotations

from collections.abc import Iterable

from itemadapter import ItemAdapter

from newsbot.state import KnownRecord, content_hash, identity_keys

PREFIX = "newsbot:state:"
ARTICLE = PREFIX + "article:"
IDS = PREFIX + "ids"
META = PREFIX + "meta"
MARKERS = PREFIX + "markers"
RUNS = PREFIX + "runs"
RECORD_FIELDS = ("article_id", "url", "first_seen", "last_seen", "date_modified", "content_hash",
                 "revision", "exported_run", "exported_at")

# ARGV[1] article key prefix; ARGV[2] the candidate article id; ARGV[3..] identity keys.
# Returns the article id the first known identity points at, or the candidate.
_RESOLVE = """
local function resolve(ids, first)
  for i = first, #ARGV do
    local found = redis.call('HGET', ids, ARGV[i])
    if found then return found end
  end
  return nil
end
"""

# KEYS: ids, meta, runs. ARGV: prefix, candidate id, url, at, date_modified, hash, revision,
# run id, identity keys... The stored revision only ever grows.
_RECORD = _RESOLVE + """
local ids, meta, runs = KEYS[1], KEYS[2], KEYS[3]
local aid = resolve(ids, 9) or ARGV[2]
local key = ARGV[1] .. aid
local at, revision = ARGV[4], tonumber(ARGV[7])
local current = redis.call('HMGET', key, 'revision', 'claim_rev')
local stored = tonumber(current[1])
if not stored then
  redis.call('HSET', key, 'url', ARGV[3], 'first_seen', at, 'last_seen', at, 'date_modified', ARGV[5],
             'content_hash', ARGV[6], 'revision', revision, 'exported_run', ARGV[8], 'exported_at', at)
  redis.call('HINCRBY', meta, 'articles', 1)
  if revision > 1 then redis.call('HINCRBY', meta, 'revised', 1) end
  local first = redis.call('HGET', meta, 'first_seen')
  if not first or at < first then redis.call('HSET', meta, 'first_seen', at) end
else
  redis.call('HSET', key, 'last_seen', at)
  if revision > stored then
    redis.call('HSET', key, 'date_modified', ARGV[5], 'content_hash', ARGV[6], 'revision', revision,
               'exported_run', ARGV[8], 'exported_at', at)
    if stored <= 1 and revision > 1 then redis.call('HINCRBY', meta, 'revised', 1) end
  end
end
local claimed = tonumber(current[2])
if claimed and claimed <= revision then redis.call('HDEL', key, 'claim_hash', 'claim_rev', 'claim_owner') end
for i = 9, #ARGV do redis.call('HSETNX', ids, ARGV[i], aid) end
local last = redis.call('HGET', meta, 'last_seen')
if not last or at > last then redis.call('HSET', meta, 'last_seen', at, 'last_export', at) end
redis.call('ZADD', runs, 'GT', redis.call('TIME')[1], ARGV[8])
return aid
"""

# KEYS: ids, workers. ARGV: prefix, candidate id, hash, worker id, identity keys...
# Returns the revision to export under; 0: unchanged (this content is the exported one);
# -1: another live worker is exporting this article now (under this or another URL or id).
# The identity keys point at the article from the claim on, so copies of it resolve to it.
_CLAIM = _RESOLVE + """
local aid = resolve(KEYS[1], 5) or ARGV[2]
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
for i = 5, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], aid) end
if claimed and a[3] == ARGV[3] then
  redis.call('HSET', key, 'claim_owner', ARGV[4])
  return claimed
end
local revision = math.max(stored, claimed or 0) + 1
redis.call('HSET', key, 'claim_hash', ARGV[3], 'claim_rev', revision, 'claim_owner', ARGV[4])
return revision
"""

# KEYS: ids, article key prefix + id. ARGV: seen_at or '', identity keys...
_TOUCH = """
if ARGV[1] ~= '' and redis.call('HEXISTS', KEYS[2], 'revision') == 1 then
  redis.call('HSET', KEYS[2], 'last_seen', ARGV[1])
end
local id = string.sub(KEYS[2], string.len(ARGV[2]) + 1)
for i = 3, #ARGV do redis.call('HSETNX', KEYS[1], ARGV[i], id) end
"""


class RedisStateStore:
    """The state of ``newsbot.state.StateStore``, in Redis; ``worker`` owns its claims."""

    def __init__(self, server, worker: str, workers_key: str, url: str = ""):
        self.server = server
        self.worker = worker
        self.workers_key = workers_key
        self.url = url
        self._record = server.register_script(_RECORD)
        self._claim = server.register_script(_CLAIM)
        self._touch = server.register_script(_TOUCH)

    def close(self) -> None:
        pass  # the connection pool belongs to the client; nothing is buffered here

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
        if values[RECORD_FIELDS.index("revision") - 1] is None:
            return None  # only aliases or a claim so far: not exported yet
        record = dict(zip(RECORD_FIELDS[1:], (_text(v) if v is not None else None for v in values)))
        return KnownRecord(article_id=article_id, **{**record, "revision": int(record["revision"]),
                                                    "date_modified": record["date_modified"] or None})

    def summary(self) -> dict:
        meta = {_text(k): _text(v) for k, v in self.server.hgetall(META).items()}
        return {"path": self.url, "articles": int(meta.get("articles", 0)), "revised": int(meta.get("revised", 0)),
                "first_seen": meta.get("first_seen"), "last_seen": meta.get("last_seen"),
                "last_export": meta.get("last_export"), "identities": self.server.hlen(IDS),
                "recent_runs": [_text(r) for r in self.server.zrevrange(RUNS, 0, 4)]}

    # --- writing -------------------------------------------------------------------------

    def claim_revision(self, item) -> int | None:
        """The revision this item is exported under, or None when its content is the one
        exported last. Raises ``ExportedElsewhere`` when another live worker is exporting
        this article right now (it fetched it under another URL or id, or in a race)."""
        adapter = ItemAdapter(item)
        claimed = self._claim(keys=[IDS, self.workers_key],
                              args=[ARTICLE, adapter["article_id"], content_hash(item), self.worker,
                                    *identity_keys(item)])
        if claimed == -1:
            raise ExportedElsewhere(adapter["article_id"])
        return claimed or None

    def add_aliases(self, article_id: str, keys: Iterable[str]) -> None:
        self._touch(keys=[IDS, ARTICLE + article_id], args=["", ARTICLE, *keys])

    def touch(self, article_id: str, seen_at: str, keys: Iterable[str] = ()) -> None:
        self._touch(keys=[IDS, ARTICLE + article_id], args=[seen_at, ARTICLE, *keys])

    def record_exported(self, items: Iterable, run_id: str, at: str) -> None:
        pipe = self.server.pipeline(transaction=False)
        for item in items:
            adapter = ItemAdapter(item)
            self._record(keys=[IDS, META, RUNS], client=pipe,
                         args=[ARTICLE, adapter["article_id"], adapter["url"], at, adapter.get("date_modified") or "",
                               content_hash(item), adapter.get("revision") or 1, run_id, *identity_keys(item)])
        pipe.execute()


class ExportedElsewhere(Exception):
    """Another live worker is exporting this article now."""


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
