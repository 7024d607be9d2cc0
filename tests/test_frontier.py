"""The state store and the fetch decision, in memory and on temporary files (no crawl)."""

from __future__ import annotations

import errno
import sqlite3
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from newsbot.dupefilter import ArticleDupeFilter
from newsbot.frontier import Planner, RevisitPolicy, decide, same_hint
from newsbot.items import Article
from newsbot.middlewares import RESCHEDULED_META
from newsbot.pipelines.incremental import Incremental
from newsbot.pipelines.rejection import Unchanged
from newsbot import runfile
from newsbot.runfile import RunFileWriter
from newsbot.state import (SCHEMA_VERSION, TABLES_V1, BadState, FrontierRow, KnownRecord, content_hash,
                           open_checked_state)
from newsbot.urls import SiteRules

SITE = "https://www.trtworld.com"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
POLICY = RevisitPolicy.from_settings(Settings({"NEWSBOT_REVISIT_SCHEDULE": {6: 0, 24: 1, 72: 6},
                                               "NEWSBOT_REFRESH_AGE_HOURS": 168}))


def known(last_seen: datetime = NOW - timedelta(hours=2), published: str | None = "2025-02-28T07:24:49+00:00",
          **kwargs) -> KnownRecord:
    return KnownRecord(**{"article_id": "1", "url": f"{SITE}/article/1", "first_seen": "2025-03-01T00:00:00+00:00",
                          "last_seen": last_seen.isoformat(), "date_modified": None, "content_hash": "x",
                          "revision": 1, "exported_run": "r", "exported_at": "2025-03-01T00:00:00+00:00",
                          "published": published, **kwargs})


def article(article_id: str = "1", body: str = "Body.", **fields) -> Article:
    return Article(url=f"{SITE}/article/{article_id}", article_id=article_id, headline=f"Headline {article_id}",
                   body=body, date_published="2025-02-28", **fields)


# --- decide() ------------------------------------------------------------------------------


def test_a_hint_that_differs_is_a_change_even_when_before_the_last_visit():
    stored = {"sitemap": "2025-02-28T07:24:49+00:00"}
    assert decide(known(), {"sitemap": "2025-02-20T00:00:00+00:00"}, stored, None, POLICY, NOW).fetch
    assert not decide(known(), {"sitemap": "2025-02-28T07:24:49Z"}, stored, None, POLICY, NOW).fetch
    assert not decide(known(), {}, stored, None, POLICY, NOW).fetch


def test_a_first_hint_of_a_source_counts_when_after_the_last_visit():
    assert decide(known(), {"feed": (NOW - timedelta(hours=1)).isoformat()}, {}, None, POLICY, NOW).reason == "hint_newer"
    assert not decide(known(), {"feed": (NOW - timedelta(hours=3)).isoformat()}, {}, None, POLICY, NOW).fetch
    # the page's own dateModified, equal to the new sitemap value: nothing new to fetch
    stored = {"sitemap": "2025-02-28T07:00:00+00:00", "page": "2025-03-01T10:00:00+00:00"}
    assert not decide(known(), {"sitemap": "2025-03-01T10:00:00Z"}, stored, None, POLICY, NOW).fetch


@pytest.mark.parametrize("age_hours, since_visit_hours, due", [
    (1, 0.05, True), (5.9, 0.05, True),  # first 6 hours: every run
    (12, 0.5, False), (12, 0.95, True),  # then hourly (a run a few minutes early still counts)
    (48, 5, False), (48, 6, True),
    (100, 160, False), (100, 168, True),  # older: the refresh age
])
def test_the_revisit_schedule_by_age(age_hours, since_visit_hours, due):
    record = known(last_seen=NOW - timedelta(hours=since_visit_hours),
                   published=(NOW - timedelta(hours=age_hours)).isoformat())
    assert decide(record, {}, {}, None, POLICY, NOW).fetch is due


def test_failures_back_off_and_gone_ones_wait_for_a_new_hint():
    def row(status, next_after=None, hints=None):
        return FrontierRow("u", status, "t", 1, next_after, "http_503", hints or {})

    assert decide(None, {}, {}, row("failed", (NOW + timedelta(hours=1)).isoformat()), POLICY, NOW).reason == "backoff"
    assert decide(None, {}, {}, row("failed", (NOW - timedelta(seconds=1)).isoformat()), POLICY, NOW).fetch
    assert decide(None, {}, {}, row("pending"), POLICY, NOW).reason == "new"
    gone = row("gone", hints={"feed": "2025-02-01"})
    assert not decide(None, {}, {}, gone, POLICY, NOW).fetch
    assert not decide(None, {"feed": "2025-02-01"}, {}, gone, POLICY, NOW).fetch
    assert decide(None, {"feed": "2025-03-01"}, {}, gone, POLICY, NOW).fetch


def test_back_off_grows_to_a_cap():
    delays = [POLICY.retry_after(n, NOW) - NOW for n in range(1, 8)]
    assert [d / timedelta(hours=1) for d in delays] == [0, 1, 3, 7, 15, 24, 24]


def test_same_hint_compares_instants_and_falls_back_to_text():
    assert same_hint("2025-02-28T07:24:49Z", "2025-02-28T10:24:49+03:00")
    assert not same_hint("2025-02-28T07:24:49Z", "2025-02-28T07:24:50Z")
    assert same_hint("not a date", " not a date ") and not same_hint("a", None)


@pytest.mark.parametrize("schedule", ['{"6": -1}', "[1, 2]", '{"x": 1}', "not json"])
def test_a_bad_schedule_is_refused(schedule):
    with pytest.raises(ValueError, match="NEWSBOT_REVISIT_SCHEDULE"):
        RevisitPolicy.from_settings(Settings({"NEWSBOT_REVISIT_SCHEDULE": schedule}))


# --- the planner -------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    state = open_checked_state(tmp_path / "state.sqlite3")
    yield state
    state.close()


def planner_for(store) -> Planner:
    crawler = SimpleNamespace(stats=MemoryStatsCollector(SimpleNamespace(settings=Settings())))
    return Planner(store, SiteRules(SITE), POLICY, crawler)


def export(store, *items, links: dict | None = None, hints: dict | None = None) -> None:
    for item in items:
        store.stage(item.article_id, (hints or {}).get(item.article_id, {}), (links or {}).get(item.article_id, []))
    store.record_exported(items, "run-1", datetime.now(timezone.utc).isoformat(timespec="seconds"))


def url(article_id: str) -> str:
    return f"{SITE}/article/{article_id}"


def test_a_skipped_known_parent_leads_to_its_unknown_children_through_the_link_graph(store):
    export(store, article("aaaaaaaaaaa1"), article("aaaaaaaaaaa2"),
           links={"aaaaaaaaaaa1": [url("aaaaaaaaaaa2")], "aaaaaaaaaaa2": [url("aaaaaaaaaaa3"), url("aaaaaaaaaaa1")]})
    planner = planner_for(store)
    planned = planner.offer(url("aaaaaaaaaaa1"))
    assert [u for u, _, _ in planned] == [url("aaaaaaaaaaa3")]  # through a known grandparent; no loop
    assert planner.offer(url("aaaaaaaaaaa3")) == []  # asked for once per run
    assert planner.stats.get_value("newsbot/incremental/skipped_known") == 2


def test_a_later_different_hint_reschedules_a_skipped_article(store):
    export(store, article("bbbbbbbbbbb1"), hints={"bbbbbbbbbbb1": {"sitemap": "2025-02-28T07:00:00+00:00"}})
    planner = planner_for(store)
    assert planner.offer(url("bbbbbbbbbbb1")) == []  # a listing link: no hint
    assert planner.offer(url("bbbbbbbbbbb1"), "sitemap", "2025-02-28T07:00:00Z") == []  # the same instant
    [(requested, hints, rescheduled)] = planner.offer(url("bbbbbbbbbbb1"), "sitemap", "2025-02-27T00:00:00Z")
    assert rescheduled and hints == {"sitemap": "2025-02-27T00:00:00Z"}
    assert planner.offer(url("bbbbbbbbbbb1"), "feed", "2025-03-09") == []  # requested already


@pytest.mark.parametrize("recorded_first", [False, True])
def test_a_hint_seen_after_the_page_was_parsed_is_stored_for_the_next_run(store, recorded_first):
    # Run 1: the homepage leads to the page first; the sitemap, read later, gives its lastmod.
    planner = planner_for(store)
    [(requested, _, _)] = planner.offer(url("bbbbbbbbbbb2"))
    planner.fetched(requested, "bbbbbbbbbbb2", [])
    if recorded_first:  # the export was durable before the sitemap came
        store.record_exported([article("bbbbbbbbbbb2")], "run-1", NOW.isoformat())
    assert planner.offer(url("bbbbbbbbbbb2"), "sitemap", "2025-02-28T07:00:00+00:00") == []
    if not recorded_first:
        store.record_exported([article("bbbbbbbbbbb2")], "run-1", NOW.isoformat())
    store.flush()
    assert store.hints("bbbbbbbbbbb2") == {"sitemap": "2025-02-28T07:00:00+00:00"}
    # Run 2: a lastmod that differs, although earlier than the last visit, is a change.
    [(_, _, rescheduled)] = planner_for(store).offer(url("bbbbbbbbbbb2"), "sitemap", "2025-03-02T10:00:00Z")
    assert not rescheduled


def test_a_late_hint_of_a_page_not_recorded_in_this_run_is_not_stored(tmp_path):
    earlier = open_checked_state(tmp_path / "state.sqlite3")
    export(earlier, article("bbbbbbbbbbb4"), hints={"bbbbbbbbbbb4": {"feed": "2025-02-27"}})
    earlier.close()
    store = open_checked_state(tmp_path / "state.sqlite3")
    planner = planner_for(store)
    [(new, _, _)] = planner.offer(url("bbbbbbbbbbb3"))
    [(changed, _, _)] = planner.offer(url("bbbbbbbbbbb4"), "feed", "2025-02-28")
    for requested, article_id in ((new, "bbbbbbbbbbb3"), (changed, "bbbbbbbbbbb4")):
        planner.fetched(requested, article_id, [])  # then rejected (a wall, no body): not recorded
        planner.offer(requested, "sitemap", "2025-02-28T07:00:00+00:00")
    store.close()
    reopened = open_checked_state(store.path)
    assert reopened.hints("bbbbbbbbbbb3") == {} and reopened.find(["id:bbbbbbbbbbb3"]) is None
    assert reopened.hints("bbbbbbbbbbb4") == {"feed": "2025-02-27"}  # the change is still to be fetched
    reopened.close()


def test_the_dupefilter_lets_a_rescheduled_request_through_once_it_was_skipped():
    dupefilter = ArticleDupeFilter()
    assert not dupefilter.request_seen(Request(url("ccccccccccc1")))
    assert dupefilter.request_seen(Request(url("ccccccccccc1")))
    assert not dupefilter.request_seen(Request(url("ccccccccccc1"), meta={RESCHEDULED_META: True}))


def test_unfinished_and_failed_requests_are_the_next_runs_frontier(store):
    planner = planner_for(store)
    for article_id in ("ddddddddddd1", "ddddddddddd2", "ddddddddddd3"):
        planner.offer(url(article_id), "feed", "2025-03-01")
    planner.fetched(url("ddddddddddd1"), "ddddddddddd1", [])
    planner.failed(url("ddddddddddd2"), "http_503")
    planner.failed(url("ddddddddddd3"), "http_404", gone=True)
    store.flush()
    rows = {row.url: row for row in store.frontier()}
    assert set(rows) == {url("ddddddddddd2"), url("ddddddddddd3")}
    assert rows[url("ddddddddddd2")].status == "failed" and rows[url("ddddddddddd3")].status == "gone"
    resumed = planner_for(store).resume()
    assert [u for u, _, _ in resumed] == [url("ddddddddddd2")]  # first retry: the next run; gone: not


# --- the store: revisions, hashes, schema ------------------------------------------------------


def test_staged_hints_and_links_are_written_only_with_the_export(store):
    store.stage("eeeeeeeeeee1", {"sitemap": "2025-03-01"}, [url("eeeeeeeeeee2")])
    assert store.find(["id:eeeeeeeeeee1"]) is None
    assert store.links("eeeeeeeeeee1") == [] and store.hints("eeeeeeeeeee1") == {}
    store.record_exported([article("eeeeeeeeeee1", date_modified="2025-03-01T10:00:00+00:00")], "run-1", NOW.isoformat())
    assert store.links("eeeeeeeeeee1") == [url("eeeeeeeeeee2")]
    assert store.hints("eeeeeeeeeee1") == {"sitemap": "2025-03-01", "page": "2025-03-01T10:00:00+00:00"}


def test_the_content_hash_covers_every_exported_field_but_the_per_run_ones():
    base = article()
    for changed in (article(body="Other."), article(related=[{"url": url("2"), "headline": "x"}]),
                    article(byline_raw="By Someone"), article(date_published_raw="2025-02-28")):
        assert content_hash(changed) != content_hash(base)
    for same in (article(scraped_at="2026-01-01T00:00:00+00:00"), article(revision=7),
                 article(provenance={"body": "dom"})):
        assert content_hash(same) == content_hash(base)


def test_revisions_go_on_from_the_floor_after_a_reset(store, tmp_path):
    export(store, article("fffffffffff1"))
    store.record_exported([article("fffffffffff1", body="Second.", revision=2)], "run-2", NOW.isoformat())
    floor = store.revision_floor_entries()
    store.close()
    (tmp_path / "state.sqlite3").unlink()
    fresh = open_checked_state(tmp_path / "state.sqlite3")
    fresh.keep_after_reset(floor, [])
    incremental = Incremental(fresh, MemoryStatsCollector(SimpleNamespace(settings=Settings())))
    assert incremental.process_item(article("fffffffffff1", body="Third.")).revision == 3
    assert incremental.process_item(article("fffffffffff9")).revision == 1
    fresh.close()


def legacy_state(path) -> None:
    """A state as the unversioned schema (version 1) wrote it, with one exported article."""
    db = sqlite3.connect(path)
    db.executescript(TABLES_V1)
    item = article("13099992")
    db.execute("INSERT INTO articles VALUES (?, ?, ?, ?, NULL, ?, 2, 'run-0', ?)",
               ("13099992", item.url, "2025-03-01T00:00:00+00:00", "2025-03-01T00:00:00+00:00",
                content_hash(item, version=1), "2025-03-01T00:00:00+00:00"))
    db.execute("INSERT INTO identities VALUES ('id:13099992', '13099992')")
    db.commit()
    db.close()


def test_an_unversioned_state_is_migrated_and_its_old_hashes_still_match(tmp_path):
    path = tmp_path / "state.sqlite3"
    legacy_state(path)
    store = open_checked_state(path)
    assert store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert store.find(["id:13099992"]).revision == 2
    assert [run["run_id"] for run in store.runs()] == ["run-0"]
    incremental = Incremental(store, MemoryStatsCollector(SimpleNamespace(settings=Settings())))
    with pytest.raises(Unchanged):  # same content under the old hash: not a new revision
        incremental.process_item(article("13099992"))
    assert store.find(["id:13099992"]).hash_version == 2
    assert incremental.process_item(article("13099992", body="Edited.")).revision == 3
    store.close()


def test_a_state_of_a_newer_newsbot_is_refused(tmp_path):
    path = tmp_path / "state.sqlite3"
    open_checked_state(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(BadState, match="newer"):
        open_checked_state(path)


def test_a_state_missing_a_table_is_refused(tmp_path):
    path = tmp_path / "state.sqlite3"
    open_checked_state(path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE links")
    db.close()
    with pytest.raises(BadState, match="not a newsbot state"):
        open_checked_state(path)



def test_a_corrupt_state_is_refused_in_one_line_although_sqlite_reports_several(tmp_path):
    # Whole pages overwritten make quick_check's first row span lines ("*** in database main
    # ***\nPage 2: ..."); cron mails stderr, so the reason must stay one line.
    path = tmp_path / "state.sqlite3"
    store = open_checked_state(path)
    store.close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        db.execute("CREATE TABLE filler (a INTEGER PRIMARY KEY, b TEXT)")
        db.execute("CREATE INDEX filler_b ON filler (b)")
        db.executemany("INSERT INTO filler (b) VALUES (?)", [(f"{n:040x}",) for n in range(3000)])
    db.close()
    page = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    folded = 0
    for number in range(1, path.stat().st_size // page - 1):
        raw = bytearray(path.read_bytes())
        raw[number * page:(number + 1) * page] = b"\xa5" * page
        damaged = tmp_path / f"damaged-{number}.sqlite3"
        damaged.write_bytes(bytes(raw))
        try:
            problems = [row[0] for row in sqlite3.connect(damaged).execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError:
            problems = []  # a damaged schema page: SQLite refuses before checking
        with pytest.raises(BadState) as refused:
            open_checked_state(damaged)
        assert "\n" not in str(refused.value) and str(damaged) in str(refused.value)
        folded += any("\n" in problem for problem in problems)
    assert folded  # the case that broke CI was among them

# --- full disk: the state is never ahead of the run file ---------------------------------------


def test_a_failed_fsync_records_nothing_in_the_state(tmp_path, monkeypatch):
    settings = Settings({"NEWSBOT_DATA_DIR": str(tmp_path), "NEWSBOT_INCREMENTAL": True, "NEWSBOT_SYNC_ITEMS": 2})
    store = open_checked_state(tmp_path / "state.sqlite3")
    writer = RunFileWriter(settings, run_id="run-1", store=store)
    writer.write(article("ggggggggggg1"))
    writer.write(article("ggggggggggg2"))  # synced: recorded
    assert store.find(["id:ggggggggggg2"]) is not None

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(runfile.os, "fsync", no_space)
    writer.write(article("ggggggggggg3"))
    with pytest.raises(OSError):
        writer.write(article("ggggggggggg4"))
    assert store.find(["id:ggggggggggg3"]) is None and store.find(["id:ggggggggggg4"]) is None
    with pytest.raises(OSError):
        writer.close({"counts": {"exported": 4}, "finish_reason": "finished", "health": {"verdict": "healthy"}})
    [run] = store.runs()
    assert run["verdict"] == "failed" and "No space left" in run["counts"]["problem"]
    store.close()


def test_a_second_copy_parsed_after_the_export_still_adds_its_hints(tmp_path):
    store = open_checked_state(tmp_path / "state.sqlite3")
    store.stage("hhhhhhhhhhh1", {}, [])
    store.record_exported([article("hhhhhhhhhhh1")], "run-1", NOW.isoformat())
    store.stage("hhhhhhhhhhh1", {"sitemap": "2025-02-28T07:24:49+00:00"}, [url("hhhhhhhhhhh2")])  # the other copy
    store.stage("hhhhhhhhhhh9", {"sitemap": "2025-03-01"}, [])  # parsed, never exported (e.g. over the limit)
    store.close()
    store = open_checked_state(tmp_path / "state.sqlite3")
    assert store.hints("hhhhhhhhhhh1") == {"sitemap": "2025-02-28T07:24:49+00:00"}
    assert store.links("hhhhhhhhhhh1") == [url("hhhhhhhhhhh2")]
    assert store.hints("hhhhhhhhhhh9") == {}
    store.close()
