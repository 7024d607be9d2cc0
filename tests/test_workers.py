"""Workers sharing Redis, piece by piece, against a real redis-server (tests/redis_server.py):
the state behind the SQLite store's interface, atomic revision claims, the shared
dupefilter, leases of the frontier, the token bucket and the marker check."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
import redis
from scrapy import Request
from scrapy.settings import BaseSettings, Settings
from scrapy.utils.test import get_crawler

from newsbot.dupefilter import RedisArticleDupeFilter
from newsbot.scheduler import POLL_SECONDS, LeasedPriorityQueue, SharedScheduler
from newsbot.items import Article
from newsbot.ratelimit import _TAKE, GlobalRateLimit, global_rate
from newsbot.spiders.trtworld import TrtWorldSpider
from newsbot.state import content_hash, identity_keys, open_checked_state
from newsbot.state_redis import ExportedElsewhere, RedisStateStore
from newsbot.workers import SharedCrawl, SharedStateError, check_shared_state, reset_shared_state, workers_key

WORKERS = workers_key("trtworld")


def article(**fields) -> Article:
    defaults = dict(url="https://www.trtworld.com/article/13099992", article_id="13099992",
                    headline="Iraqi forces open new front in final push against Daesh",
                    body="Iraqi forces thrust north.", date_published="2017-11-25T00:00:00+00:00",
                    scraped_at="2026-11-24T10:00:00+00:00")
    return Article(**{**defaults, **fields})


def redis_store(url: str, worker: str = "w1", alive: bool = True) -> RedisStateStore:
    server = redis.Redis.from_url(url)
    if alive:  # registered as a live worker, as the scheduler does
        server.zadd(WORKERS, {worker: time.time() * 1000 + 60_000})
    return RedisStateStore(server, worker, WORKERS, url=url)


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        store = open_checked_state(tmp_path / "state.sqlite3")
        yield store
        store.close()
    else:
        yield redis_store(request.getfixturevalue("redis_url"))


def export(store, item, run="run-1", at="2026-11-24T10:00:00+00:00"):
    """What the Incremental pipeline and the run-file writer do with one item."""
    known = store.find(identity_keys(item))
    if known is not None and known.content_hash == content_hash(item):
        return None
    revision = store.claim_revision(item, known.revision + 1 if known else 1)
    if revision is not None:
        item.revision = revision
        store.record_exported([item], run, at)
    return revision


# --- the same interface and meaning as the SQLite store ------------------------------------

def test_store_new_then_unchanged_then_changed(store):
    assert store.find(["id:13099992"]) is None
    assert export(store, article()) == 1
    known = store.find(["id:13099992"])
    assert (known.article_id, known.revision, known.exported_run) == ("13099992", 1, "run-1")
    assert export(store, article()) is None  # unchanged
    assert export(store, article(body="Iraqi forces thrust north and east."), run="run-2") == 2
    assert export(store, article(body="Third text."), run="run-3") == 3
    known = store.find(["url:https://www.trtworld.com/article/13099992"])
    assert (known.revision, known.exported_run) == (3, "run-3")


def test_store_identities_touch_aliases_and_summary(store):
    item = article()
    store.add_aliases("13099992", ["url:https://www.trtworld.com/middle-east/iraqi-13099992"])
    assert store.find(["url:https://www.trtworld.com/middle-east/iraqi-13099992"]) is None  # not exported yet
    export(store, item, at="2026-11-24T10:00:00+00:00")
    assert store.find(["url:https://www.trtworld.com/middle-east/iraqi-13099992"]).article_id == "13099992"
    assert store.find(["story:nothing-like-it"]) is None
    store.touch("13099992", "2026-11-25T08:00:00+00:00", ["url:https://www.trtworld.com/a/old-13099992"])
    known = store.find(["url:https://www.trtworld.com/a/old-13099992"])
    assert (known.first_seen, known.last_seen) == ("2026-11-24T10:00:00+00:00", "2026-11-25T08:00:00+00:00")
    export(store, article(url="https://www.trtworld.com/article/18269665", article_id="18269665",
                          headline="Another story"), run="run-2")
    summary = store.summary()
    assert (summary["articles"], summary["revised"]) == (2, 0)



def test_store_runs_links_hints_and_frontier(store):
    store.start_run("run-1", "2026-11-24T10:00:00+00:00")
    store.stage("13099992", {"sitemap": "2025-02-28T07:24:49+00:00"}, ["https://www.trtworld.com/article/18269665"])
    export(store, article(date_modified="2025-02-28T09:02:13+00:00"))
    store.finish_run("run-1", "2026-11-24T10:05:00+00:00", "healthy", "finished", {"exported": 1})
    assert store.links("13099992") == ["https://www.trtworld.com/article/18269665"]
    assert store.hints("13099992") == {"sitemap": "2025-02-28T07:24:49+00:00", "page": "2025-02-28T09:02:13+00:00"}
    [run] = store.runs()
    assert (run["run_id"], run["verdict"], run["counts"]) == ("run-1", "healthy", {"exported": 1})
    store.scheduled("https://www.trtworld.com/article/1", "2026-11-24T10:00:00+00:00")
    store.scheduled("https://www.trtworld.com/article/2", "2026-11-24T10:00:01+00:00")
    store.failed("https://www.trtworld.com/article/2", "http_503", False, "2026-11-24T10:01:00+00:00",
                 "2026-11-24T11:00:00+00:00", {"feed": "x"})
    store.failed("https://www.trtworld.com/article/2", "http_503", False, "2026-11-24T12:01:00+00:00", None, {})
    store.finished("https://www.trtworld.com/article/1")
    store.flush()
    [row] = store.frontier()
    assert (row.url, row.status, row.attempts, row.last_error) == ("https://www.trtworld.com/article/2", "failed", 2, "http_503")


def test_store_late_hints_go_with_the_record_or_fill_in_after_it(store):
    store.stage("13099992", {}, [])
    store.late_hints("13099992", {"sitemap": "2025-02-28T07:24:49+00:00"})  # before the export
    export(store, article())
    store.late_hints("13099992", {"feed": "Fri, 28 Feb 2025 09:50:02 GMT"})  # after it
    store.late_hints("13099992", {"sitemap": "2025-03-01T00:00:00+00:00"})  # a first hint stays
    store.late_hints("18269665", {"sitemap": "2025-03-01T00:00:00+00:00"})  # never recorded
    store.flush()
    assert store.hints("13099992") == {"sitemap": "2025-02-28T07:24:49+00:00",
                                       "feed": "Fri, 28 Feb 2025 09:50:02 GMT"}
    assert store.hints("18269665") == {} and store.find(["id:18269665"]) is None


def test_revision_recorded_late_never_goes_back(redis_url):
    """Workers record at their own pace (each after its own fsync): a slow worker's older
    revision must not overwrite a newer one."""
    store = redis_store(redis_url)
    export(store, article())
    newer = article(body="Second text.")
    newer.revision = store.claim_revision(newer, 1)
    store.record_exported([newer], "run-2", "2026-11-25T00:00:00+00:00")
    older = article(body="First text.")
    older.revision = 1
    store.record_exported([older], "run-0", "2026-11-26T00:00:00+00:00")  # a late, older record
    assert store.find(["id:13099992"]).revision == 2


# --- atomic revisions -------------------------------------------------------------------------

def race(workers: int, action) -> list:
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(index):
        barrier.wait()
        try:
            results[index] = action(index)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test compares
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_workers_exporting_the_same_change_never_both_write_revision_2(redis_url):
    export(redis_store(redis_url, "w0"), article())
    stores = [redis_store(redis_url, f"w{i}") for i in range(1, 9)]
    for _ in range(20):
        changed = article(body=f"Changed text {_}.")
        outcomes = race(len(stores), lambda i: stores[i].claim_revision(changed, 1))
        claimed = [o for o in outcomes if isinstance(o, int)]
        assert len(claimed) == 1, outcomes  # the others are told another worker exports it
        assert all(isinstance(o, ExportedElsewhere) for o in outcomes if not isinstance(o, int))
        changed.revision = claimed[0]
        stores[0].record_exported([changed], "run", "2026-11-25T00:00:00+00:00")
    assert stores[0].find(["id:13099992"]).revision == 21


def test_a_live_workers_claim_holds_off_other_copies_until_recorded(redis_url):
    one, two = redis_store(redis_url, "w1"), redis_store(redis_url, "w2")
    original = article()
    copy = article(url="https://www.trtworld.com/article/99999999", article_id="99999999")  # same story
    assert one.claim_revision(original, 1) == 1
    with pytest.raises(ExportedElsewhere):
        two.claim_revision(copy, 1)  # found by its story key, though under another id
    original.revision = 1
    one.record_exported([original], "run", "2026-11-25T00:00:00+00:00")
    assert two.claim_revision(copy, 1) is None  # the same content, now exported
    assert two.claim_revision(article(body="Edited."), 1) == 2
    with pytest.raises(ExportedElsewhere):
        one.claim_revision(article(body="Edited again."), 1)


def test_a_dead_workers_claim_is_taken_over_with_the_same_revision(redis_url):
    export(redis_store(redis_url, "w0"), article())
    changed = article(body="Changed.")
    assert redis_store(redis_url, "dead", alive=False).claim_revision(changed, 1) == 2
    assert redis_store(redis_url, "w2").claim_revision(changed, 1) == 2  # not 3: one content, one revision


# --- the shared dupefilter ---------------------------------------------------------------------

def dupefilter(url: str, key: str = "newsbot:trtworld:seen:test") -> RedisArticleDupeFilter:
    return RedisArticleDupeFilter(redis.Redis.from_url(url), key)


def test_dupefilter_keeps_the_article_id_rule_across_workers(redis_url):
    one, two = dupefilter(redis_url), dupefilter(redis_url)
    site = "https://www.trtworld.com"
    assert not one.request_seen(Request(f"{site}/middle-east/iraqi-forces-13099992"))
    assert two.request_seen(Request(f"{site}/article/13099992"))  # same article, other worker
    assert two.request_seen(Request(f"{site}/middle-east/iraqi-forces-13099992"))
    redirected = Request(f"{site}/article/13099992", meta={"redirect_urls": [f"{site}/middle-east/iraqi-forces-13099992"]})
    assert not two.request_seen(redirected)  # the same download continuing
    assert not one.request_seen(Request(f"{site}/feed/rss.xml"))
    assert two.request_seen(Request(f"{site}/feed/rss.xml"))
    assert not dupefilter(redis_url, "newsbot:trtworld:seen:next-run").request_seen(Request(f"{site}/feed/rss.xml"))


def test_dupefilter_lets_each_article_through_once_under_a_race(redis_url):
    filters = [dupefilter(redis_url) for _ in range(8)]
    urls = [(f"https://www.trtworld.com/world/story-{n}", f"https://www.trtworld.com/article/{n}")
            for n in range(13099900, 13100000)]

    def crawl(i):
        return [u for pair in urls for u in (pair if i % 2 else reversed(pair))
                if not filters[i].request_seen(Request(u))]

    passed = [url for urls_passed in race(len(filters), crawl) for url in urls_passed]
    assert sorted(url.rsplit("-", 1)[-1].rsplit("/", 1)[-1] for url in passed) == [str(n) for n in range(13099900, 13100000)]


# --- leases ------------------------------------------------------------------------------------

def queue(url: str, worker: str, lease_seconds: float = 60) -> LeasedPriorityQueue:
    crawler = get_crawler(TrtWorldSpider, {"NEWSBOT_WORKER_ID": worker, "NEWSBOT_REDIS_LEASE_SECONDS": lease_seconds})
    spider = TrtWorldSpider.from_crawler(crawler)
    return LeasedPriorityQueue(redis.Redis.from_url(url), spider, "newsbot:%(spider)s:requests")


def test_a_popped_request_is_leased_until_acknowledged(redis_url):
    one = queue(redis_url, "w1")
    for n in range(3):
        one.push(Request(f"https://www.trtworld.com/article/{n}", callback=one.spider.parse_article))
    first = one.pop()
    assert len(one) == 2 and one.server.hlen(one.lease_key) == 1
    one.ack([first])
    assert one.server.hlen(one.lease_key) == 0
    one.pop()
    assert one.release_all() == 1 and len(one) == 2  # given back, e.g. at close


def test_a_dead_workers_leases_come_back_to_the_queue(redis_url):
    dying, other = queue(redis_url, "dying", lease_seconds=0.3), queue(redis_url, "other")
    for n in range(4):
        dying.push(Request(f"https://www.trtworld.com/article/{n}", callback=dying.spider.parse_article))
    taken = {dying.pop().url, dying.pop().url}
    assert other.leases_elsewhere() == 2
    time.sleep(0.5)  # "dying" stops renewing: SIGKILL
    got = {other.pop().url for _ in range(4)}
    assert taken <= got and len(got) == 4
    assert other.pop() is None and other.leases_elsewhere() == 0


def test_a_live_workers_heartbeat_keeps_its_leases(redis_url):
    alive, other = queue(redis_url, "alive", lease_seconds=0.4), queue(redis_url, "other")
    alive.push(Request("https://www.trtworld.com/article/1", callback=alive.spider.parse_article))
    alive.pop()
    for _ in range(4):
        time.sleep(0.2)
        alive.beat()
        assert other.pop() is None
    assert other.leases_elsewhere() == 1


# --- one politeness budget ----------------------------------------------------------------------

def test_token_bucket_shared_by_threads_stays_within_rate(redis_url):
    rate, seconds, clients = 25.0, 2.0, 6
    server = redis.Redis.from_url(redis_url)
    take = server.register_script(_TAKE)
    # Each grant as (sent, answered): the server granted it in between. Bounds built from
    # these hold however late a loaded machine runs a thread after its answer came.
    granted: list[tuple[float, float]] = []
    lock = threading.Lock()

    def hammer(_):
        client = redis.Redis.from_url(redis_url)
        script = client.register_script(_TAKE)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            sent = time.monotonic()
            if script(keys=["newsbot:rate:test"], args=[rate, 1]) == 0:
                answered = time.monotonic()
                with lock:
                    granted.append((sent, answered))

    assert take(keys=["newsbot:rate:test"], args=[rate, 1]) == 0
    time.sleep(1.0)  # an idle second must not save up more than the burst
    race(clients, hammer)
    assert take(keys=["newsbot:rate:other-host"], args=[rate, 1]) == 0  # one bucket per host
    # burst 1: at most 1 + rate * T tokens in any window of T seconds; the grants lie within
    # the span from the first sent to the last answered.
    span = max(answered for _, answered in granted) - min(sent for sent, _ in granted)
    assert len(granted) <= 1 + rate * span
    assert len(granted) >= rate * seconds * 0.8  # and the budget is used, not starved
    for sent, _ in granted:  # the grants surely within half a second of this one's
        within = [a for _, a in granted if sent <= a <= sent + 0.5]
        assert len(within) <= 1 + rate * 0.5


def test_global_rate_defaults_to_one_polite_crawler():
    assert global_rate(Settings({"DOWNLOAD_DELAY": 0.5})) == 2.0
    assert global_rate(Settings({"DOWNLOAD_DELAY": 0.5, "NEWSBOT_GLOBAL_RATE": "7"})) == 7.0
    assert global_rate(Settings({"DOWNLOAD_DELAY": 0})) == 0.0
    with pytest.raises(NotConfigured):  # no Redis: a single worker's DOWNLOAD_DELAY is the limit
        GlobalRateLimit.from_crawler(get_crawler(TrtWorldSpider, {"NEWSBOT_REDIS_URL": ""}))


# --- Redis losing its data ------------------------------------------------------------------

def test_an_emptied_redis_is_refused_not_taken_for_a_fresh_start(redis_url, tmp_path):
    settings = Settings({"NEWSBOT_REDIS_URL": redis_url, "NEWSBOT_DATA_DIR": str(tmp_path / "data")})
    check_shared_state(settings)  # first use: marks the state, records it in the data dir
    export(redis_store(redis_url), article())
    check_shared_state(settings)
    redis.Redis.from_url(redis_url).flushall()  # a restart without persistence
    with pytest.raises(SharedStateError, match="holds no newsbot state.*1 article"):
        check_shared_state(settings)
    other_machine = Settings({"NEWSBOT_REDIS_URL": redis_url, "NEWSBOT_DATA_DIR": str(tmp_path / "other")})
    check_shared_state(other_machine)  # a data dir that never saw a state may start one
    reset_shared_state(settings)  # starting over on purpose is accepted by the data dirs that knew it
    check_shared_state(settings)
    check_shared_state(other_machine)


def test_workers_starting_together_on_one_data_dir_both_record_the_state(redis_url, tmp_path, monkeypatch):
    # CI once failed here: two workers wrote the record through one shared temporary name, and
    # the second rename found the file already renamed away. Replay that interleaving exactly:
    # a second worker writes and renames its record just before the first one renames.
    import newsbot.workers as workers

    settings = Settings({"NEWSBOT_REDIS_URL": redis_url, "NEWSBOT_DATA_DIR": str(tmp_path / "data")})
    real_replace = os.replace
    interleaved = []

    def replace_after_another_worker(src, dst):
        if not interleaved:
            interleaved.append(src)
            check_shared_state(settings)  # the other worker, all the way through
        real_replace(src, dst)

    monkeypatch.setattr(workers.os, "replace", replace_after_another_worker)
    check_shared_state(settings)
    assert interleaved
    record = json.loads((tmp_path / "data" / "redis-state.json").read_text())
    assert record["marker"] and record["redis"] == redis_url
    assert [p.name for p in (tmp_path / "data").iterdir()] == ["redis-state.json"]  # no leftovers


def test_an_unreachable_redis_is_one_clear_error(tmp_path):
    settings = Settings({"NEWSBOT_REDIS_URL": "redis://127.0.0.1:9/0", "NEWSBOT_DATA_DIR": str(tmp_path)})
    with pytest.raises(SharedStateError, match="cannot use Redis at redis://127.0.0.1:9/0"):
        check_shared_state(settings)
    assert not Path(tmp_path / "redis-state.json").exists()


# --- prompt pickup -----------------------------------------------------------------------------

class _NextCall:
    def __init__(self):
        self.scheduled = 0

    def schedule(self, delay: float = 0) -> None:
        self.scheduled += 1


def test_a_waiting_worker_looks_at_the_shared_queue_without_waiting_for_the_engines_heartbeat(redis_url):
    """Scrapy's idle engine asks its scheduler again only every 5 s: the scheduler's poll
    asks it to look now whenever the shared queue holds requests, and only then."""
    settings = BaseSettings({"NEWSBOT_REDIS_URL": redis_url, "NEWSBOT_WORKER_ID": "waiting"})
    SharedCrawl().update_settings(settings)  # the shared crawl's scheduler, queue and dupefilter
    crawler = get_crawler(TrtWorldSpider, settings.copy_to_dict())
    spider = TrtWorldSpider.from_crawler(crawler)
    scheduler = SharedScheduler.from_crawler(crawler)
    nextcall = _NextCall()
    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(nextcall=nextcall))
    scheduler.open(spider)
    try:
        assert scheduler.poll.running and scheduler.poll.interval == POLL_SECONDS < 5
        scheduler.wake_engine()
        assert nextcall.scheduled == 0  # nothing queued: the engine is left alone
        other = queue(redis_url, "other")  # another worker queues a request
        other.push(Request("https://www.trtworld.com/article/13099992", callback=other.spider.parse_article))
        scheduler.wake_engine()
        assert nextcall.scheduled == 1
        assert scheduler.next_request().url == "https://www.trtworld.com/article/13099992"
        scheduler.wake_engine()
        assert nextcall.scheduled == 1
    finally:
        scheduler.close("finished")
    assert not scheduler.poll.running and not scheduler.heartbeat.running
