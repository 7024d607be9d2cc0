"""Several workers, one crawl: the frontier, the state and the politeness budget in Redis.

``NEWSBOT_REDIS_URL`` (a setting or the environment) turns it on; then ``SharedCrawl`` (an
add-on, listed in ``ADDONS``) swaps in the scrapy-redis scheduler (``newsbot.scheduler``)
and its dupefilter (``newsbot.dupefilter.RedisArticleDupeFilter``), ``open_state`` hands
out the Redis state instead of the SQLite one, and ``newsbot.ratelimit`` shares one token
bucket per host. Each worker has an id (``NEWSBOT_WORKER_ID``, default ``<host>-<pid>``)
that names its run files, its run lock and its leases.

Redis losing its data must not look like a fresh start (everything would be exported
again as revision 1): the state carries a marker, and each data dir keeps a record of the
state it last used (``redis-state.json``); ``check_shared_state`` refuses to crawl when
Redis is empty but the record says it held a state.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import uuid
from datetime import datetime, timezone

from newsbot.paths import data_dir, state_path, write_atomically

WORKER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
RECORD_NAME = "redis-state.json"


class SharedStateError(Exception):
    """Redis cannot be reached, or does not hold the state it should."""


def redis_url(settings) -> str:
    return (settings.get("NEWSBOT_REDIS_URL") or "").strip()


def worker_id(settings) -> str:
    return settings.get("NEWSBOT_WORKER_ID") or f"{socket.gethostname().split('.')[0]}-{os.getpid()}"


def run_suffix(settings) -> str:
    """What a run id ends with: the worker id with Redis, else the pid."""
    return worker_id(settings) if redis_url(settings) else str(os.getpid())


def check_settings(settings) -> None:
    """Raise ValueError for Redis settings that cannot work (called before the crawl)."""
    url = redis_url(settings)
    if not url:
        return
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"NEWSBOT_REDIS_URL must look like redis://host:port/db, got {url!r}")
    if not WORKER_ID.match(worker_id(settings)):
        raise ValueError(f"NEWSBOT_WORKER_ID must be letters, digits, '.', '_' or '-', got {worker_id(settings)!r}")
    if settings.get("NEWSBOT_GLOBAL_RATE") not in (None, "") and settings.getfloat("NEWSBOT_GLOBAL_RATE") < 0:
        raise ValueError("NEWSBOT_GLOBAL_RATE must be 0 (off) or positive")
    if settings.getfloat("NEWSBOT_GLOBAL_BURST", 1) < 1:
        raise ValueError("NEWSBOT_GLOBAL_BURST must be at least 1")
    if settings.getfloat("NEWSBOT_REDIS_LEASE_SECONDS", 60) <= 0:
        raise ValueError("NEWSBOT_REDIS_LEASE_SECONDS must be positive")


def redis_client(settings):
    """A client for ``NEWSBOT_REDIS_URL`` (scrapy-redis's defaults: bytes, 30 s timeouts)."""
    from scrapy_redis.connection import get_redis

    return get_redis(url=redis_url(settings), socket_timeout=30, socket_connect_timeout=10,
                     retry_on_timeout=True)


def workers_key(spider_name: str) -> str:
    return f"newsbot:{spider_name}:workers"


def open_state(settings, spider_name: str = "trtworld"):
    """The incremental state: Redis when ``NEWSBOT_REDIS_URL`` is set, else SQLite."""
    if redis_url(settings):
        from newsbot.state_redis import RedisStateStore

        return RedisStateStore(redis_client(settings), worker_id(settings), workers_key(spider_name),
                               url=_public(redis_url(settings)))
    from newsbot.state import open_checked_state

    return open_checked_state(state_path(settings))


class SharedCrawl:
    """Add-on: with ``NEWSBOT_REDIS_URL`` set, the settings of a shared crawl."""

    def update_settings(self, settings) -> None:
        url = redis_url(settings)
        if not url:
            return
        # "project": above the base settings' own DUPEFILTER_CLASS; -s still wins.
        settings.set("SCHEDULER", "newsbot.scheduler.SharedScheduler", priority="project")
        settings.set("SCHEDULER_QUEUE_CLASS", "newsbot.scheduler.LeasedPriorityQueue", priority="project")
        settings.set("SCHEDULER_QUEUE_KEY", "newsbot:%(spider)s:requests", priority="project")
        settings.set("SCHEDULER_PERSIST", True, priority="project")
        settings.set("DUPEFILTER_CLASS", "newsbot.dupefilter.RedisArticleDupeFilter", priority="project")
        settings.set("REDIS_URL", url, priority="project")


# --- the state's marker and this data dir's record of it ------------------------------------

def check_shared_state(settings) -> None:
    """Refuse (``SharedStateError``) an unreachable Redis, or one that lost the state this
    data dir used before; otherwise make sure the state has a marker and record it
    (``CannotWrite`` when the record cannot be written)."""
    from newsbot.state_redis import MARKERS, META

    url = _public(redis_url(settings))
    server = redis_client(settings)
    try:
        server.ping()
        marker = server.hget(META, "marker")
        if marker is None:
            marker = uuid.uuid4().hex.encode()
            if server.hsetnx(META, "marker", marker):
                server.sadd(MARKERS, marker)
            marker = server.hget(META, "marker")
        marker = marker.decode()
        known_markers = {m.decode() for m in server.smembers(MARKERS)}
        articles = int(server.hget(META, "articles") or 0)
    except Exception as error:  # redis.ConnectionError, TimeoutError, AuthenticationError...
        raise SharedStateError(f"cannot use Redis at {url}: {error}") from None
    record_path = data_dir(settings) / RECORD_NAME
    record = _read_record(record_path)
    if record and record.get("marker") not in known_markers:
        if articles == 0:
            raise SharedStateError(
                f"Redis at {url} holds no newsbot state, but {record_path} says it held "
                f"{record['articles']} article(s) on {record.get('at')}: Redis lost its data (restarted "
                f"without AOF?). Restore its dump/AOF, or run `scrapy state reset --yes` to start over")
        raise SharedStateError(
            f"Redis at {url} holds another newsbot state than the one {record_path} records: "
            f"check NEWSBOT_REDIS_URL, or delete that file to join this state")
    record = {"redis": url, "marker": marker, "articles": articles,
              "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    try:
        # Every worker on this data dir writes it as it starts: each through its own temporary.
        record_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(record_path, lambda temporary: temporary.write_text(json.dumps(record) + "\n",
                                                                             encoding="utf-8"))
    except OSError as error:  # read-only data dir, disk full: the caller's one line and exit code
        from newsbot.configuration import CannotWrite  # it imports this module

        raise CannotWrite("the Redis state record", record_path, error) from None


def reset_shared_state(settings) -> tuple[int, int]:
    """Start the shared state afresh, like ``scrapy state reset`` does the SQLite one: the
    articles, identities, frontier, queue and seen sets go; the run history and, for every
    identity, the highest revision it had (``floor``) stay, so revisions never go back. The
    state gets a new marker that data dirs which knew the old one accept. Refused while
    workers run. Returns (revision floor entries, keys deleted)."""
    from newsbot.state_redis import ARTICLE, FLOOR, IDS, MARKERS, META, RUN, RUNS

    server = redis_client(settings)
    now_ms = time.time() * 1000
    running = sum(server.zcount(key, now_ms, "+inf") for key in server.scan_iter(match="newsbot:*:workers"))
    if running:
        raise SharedStateError(f"{running} worker(s) are running on this Redis: stop them first")
    floor = {k: int(v) for k, v in server.hgetall(FLOOR).items()}
    for key, article_id in server.hscan_iter(IDS, count=1000):
        revision = server.hget(ARTICLE.encode() + article_id, "revision")
        if revision:
            floor[key] = max(int(revision), floor.get(key, 0))
    kept = {MARKERS.encode(), RUNS.encode(), FLOOR.encode()}
    deleted = 0
    for key in server.scan_iter(match="newsbot:*", count=1000):
        if key not in kept and not key.startswith(RUN.encode()):
            deleted += server.delete(key)
    for start in range(0, len(floor), 1000):
        server.hset(FLOOR, mapping=dict(list(floor.items())[start:start + 1000]))
    marker = uuid.uuid4().hex
    server.hset(META, "marker", marker)
    # Data dirs that recorded the old state (this one too, even if Redis had lost it) accept the new one.
    old = _read_record(data_dir(settings) / RECORD_NAME).get("marker")
    server.sadd(MARKERS, marker, *([old] if old else []))
    return len(floor), deleted


def _read_record(path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _public(url: str) -> str:
    """The URL without a password, for messages and records."""
    return re.sub(r"//[^@/]*@", "//", url)
