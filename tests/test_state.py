"""The incremental state and change detection of cron runs (newsbot.state, newsbot.frontier).

End to end: real `scrapy crawl trtworld` subprocesses with SCRAPY_PROJECT=cron against the
local site copy, each test with its own server (they change the site between runs), run
after run in one data directory.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsbot.urls import article_id_from_path
from tests.conftest import REPO, SITE_DIR
from tests.site_server import SiteServer
from tests.test_cron import (EXPECTED, MANIFEST, ROUTES, all_ids, article_paths_requested, cron_command,
                             cron_env, cron_run, exported_ids, manifests, read_run_file, run_files)

pytestmark = pytest.mark.e2e

EXIT_BAD_STATE = 65
SITEMAP = "/sitemaps/articles-2025-02.xml"


@pytest.fixture
def site():
    with SiteServer(root=SITE_DIR) as server:
        yield server


def union(data: Path) -> list[dict]:
    return [item for path in run_files(data) for item in read_run_file(path)]


def dataset_rows(data: Path, tmp_path: Path) -> list[dict]:
    out = tmp_path / "dataset.jsonl"
    done = subprocess.run([sys.executable, "-m", "scrapy", "dataset", "-o", str(out), "-s", f"NEWSBOT_DATA_DIR={data}"],
                          cwd=REPO, env=cron_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def state_command(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", "state", *args, "-s", f"NEWSBOT_DATA_DIR={data}"],
                          cwd=REPO, env=cron_env(), capture_output=True, text=True, timeout=120)


def page_of(path: str) -> str:
    return (SITE_DIR / ROUTES[path]["file"]).read_text(encoding="utf-8")


def serve(site: SiteServer, path: str, body: str, **route) -> None:
    site.set_route(path, {**ROUTES.get(path, {"status": 200, "content_type": "text/html; charset=utf-8"}),
                          **route}, body=body.encode("utf-8"))


def set_lastmod(site: SiteServer, article_id: str, lastmod: str, **route) -> None:
    sitemap = page_of(SITEMAP)
    loc = f"<loc>https://www.trtworld.com/article/{article_id}</loc>\n    <lastmod>"
    start = sitemap.index(loc) + len(loc)
    end = sitemap.index("</lastmod>", start)
    serve(site, SITEMAP, sitemap[:start] + lastmod + sitemap[end:], **route)


def by_id(items: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for item in items:
        grouped.setdefault(item["article_id"], []).append(item)
    return grouped


# --- interruptions: after one normal rerun every reachable article is there --------------------


def interrupted_run(site: SiteServer, data: Path, how: str, until=lambda items: len(items) >= 4) -> None:
    if how == "max_articles":
        cron_run(site.url, data, "-a", "max_articles=5")
        return
    if how == "explore_503":
        # An Explore-only child in the middle of the Explore chain fails in run 1 only.
        child = "/magazine/did-perus-embattled-president-skip-duties-for-a-nose-job-61935"
        assert child in MANIFEST["explore_only"]
        site.set_route(child, {"status": 503})
        cron_run(site.url, data)
        site.set_route(child, ROUTES[child])
        return
    slow = cron_command(site.url, data, "-s", "NEWSBOT_SYNC_ITEMS=1")
    slow[slow.index("DOWNLOAD_DELAY=0")] = "DOWNLOAD_DELAY=0.15"
    process = subprocess.Popen(slow, cwd=REPO, env=cron_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            parts = [p for p in run_files(data) if p.name.endswith(".part")]
            if parts and until(read_run_file(parts[0])):
                break
            assert process.poll() is None, "the run finished before it could be interrupted"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT if how == "sigint" else signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.mark.parametrize("how", ["sigint", "sigkill", "sigkill_frontier_lost", "max_articles", "explore_503"])
def test_after_an_interrupted_run_one_rerun_exports_every_reachable_article(site, tmp_path, how):
    data = tmp_path / "data"
    if how.endswith("frontier_lost"):
        # Killed once the second article of the Explore chain is recorded, the rest not yet.
        chain = [article_id_from_path(path) for path in MANIFEST["explore_chain"]]
        interrupted_run(site, data, "sigkill", until=lambda items: chain[1] in {i["article_id"] for i in items})
        assert not set(chain[3:]) & exported_ids(union(data))
        # The worst a kill can do to the frontier (its last changes are buffered for up to 2 s):
        # lose all of it. The link graph alone still leads to every article.
        with sqlite3.connect(data / "state.sqlite3") as db:
            db.execute("DELETE FROM frontier")
        db.close()
    first = exported_ids(union(data))
    assert first < all_ids()  # the interruption did cut the run short
    rerun = cron_run(site.url, data)
    # A rerun of a dozen articles with the site copy's one deliberately empty page may be judged
    # unhealthy by a coverage floor on so small a sample (3): health is not this test's subject.
    assert rerun.returncode in (0, 3), rerun.stderr[-3000:]
    assert exported_ids(union(data)) == all_ids()  # Explore-only chains included
    rows = dataset_rows(data, tmp_path)
    assert len(rows) == len(all_ids()) and exported_ids(rows) == all_ids()


def test_a_failed_article_is_retried_then_given_up_when_gone(site, tmp_path):
    data = tmp_path / "data"
    child = "/magazine/did-perus-embattled-president-skip-duties-for-a-nose-job-61935"
    site.set_route(child, {"status": 503})
    cron_run(site.url, data)
    site.set_route(child, {"status": 404})
    site.clear_requests()
    cron_run(site.url, data)
    assert ("GET", child) in site.requests  # retried: the first retry is the next run
    site.clear_requests()
    cron_run(site.url, data)
    assert ("GET", child) not in site.requests  # 404: recorded as gone, not requested again
    shown = json.loads(state_command(data, "show").stdout)
    assert shown["frontier"]["gone"] >= 1


# --- change detection --------------------------------------------------------------------------


def test_a_lastmod_changed_to_before_the_last_visit_still_makes_revision_2(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    path = "/article/18269665"
    serve(site, path, page_of(path).replace("US raises concerns", "US voices concerns"))  # body only
    set_lastmod(site, "18269665", "2025-03-01T08:00:00+00:00")  # a new value, long before the visit
    second = cron_run(site.url, data)
    assert second.returncode == 0, second.stderr[-3000:]
    items = read_run_file(run_files(data)[-1])
    assert [(item["article_id"], item["revision"]) for item in items] == [("18269665", 2)]
    assert "US voices concerns" in items[0]["body"]


def test_a_same_lastmod_written_differently_is_not_a_change(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    set_lastmod(site, "18269665", "2025-02-28T07:24:49Z")  # the same instant as +00:00
    site.clear_requests()
    assert cron_run(site.url, data).returncode == 0
    assert ("GET", "/article/18269665") not in site.requests


def test_a_request_skipped_early_is_rescheduled_by_a_later_newer_hint(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    path = "/article/a4c81d07e3f2"  # linked from the homepage and the feed, and in the sitemap
    serve(site, path, page_of(path).replace("healthcare workers", "health workers"))
    # The sitemap answers late: the homepage and the feed (no new hint) skip it first.
    set_lastmod(site, "a4c81d07e3f2", "2025-03-02T10:00:00+00:00", delay=3)
    stats_path = tmp_path / "stats.json"
    site.clear_requests()
    second = cron_run(site.url, data, "-s", f"NEWSBOT_STATS_PATH={stats_path}")
    assert second.returncode == 0, second.stderr[-3000:]
    stats = json.loads(stats_path.read_text(encoding="utf-8"))
    assert stats.get("newsbot/state/rescheduled") == 1
    assert [(item["article_id"], item["revision"]) for item in read_run_file(run_files(data)[-1])] == [
        ("a4c81d07e3f2", 2)]
    assert site.requests.count(("GET", path)) == 1


def young_page(body: str, published: datetime) -> str:
    """RECONSTRUCTION (tests/test_state.py): an article published minutes ago, to test the
    revisit schedule; the headline and sentences are the seed article's (real text)."""
    return ("<!DOCTYPE html><!-- RECONSTRUCTION: young article for the revisit schedule; text from the"
            " seed page. --><html lang=\"en\"><head><script type=\"application/ld+json\">"
            + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                          "headline": "Iraqi forces open new front in final push against Daesh",
                          "datePublished": published.isoformat(timespec="seconds"),
                          "author": {"@type": "Person", "name": "Staff Reporter"}})
            + "</script></head><body><main><article><div>WORLD</div>"
              "<h1>Iraqi forces open new front in final push against Daesh</h1><p>By Staff Reporter</p>"
            + "".join(f"<p>{paragraph}</p>" for paragraph in body.split("\n\n"))
            + "</article></main></body></html>")


def test_body_only_edits_of_a_young_article_make_revisions_2_and_3(site, tmp_path):
    data = tmp_path / "data"
    path, article_id = "/article/0a0b0c0d0e0f", "0a0b0c0d0e0f"
    published = datetime.now(timezone.utc) - timedelta(minutes=30)
    first_body = ("Iraqi forces thrust north from the Euphrates Valley into the desert on Saturday.\n\n"
                  "Daesh has already been driven from all the towns it once held.")
    feed = page_of("/feed/rss.xml").replace(
        "</channel>", f"<item><title>Young</title><link>{path}</link></item></channel>")  # no date at all
    serve(site, "/feed/rss.xml", feed)
    serve(site, path, young_page(first_body, published))
    assert cron_run(site.url, data).returncode == 0
    revisions = []
    for edit in ("a commander said", "a commander told reporters"):
        serve(site, path, young_page(first_body + "\n\n" + edit, published))
        site.clear_requests()
        run = cron_run(site.url, data)
        assert run.returncode == 0, run.stderr[-3000:]
        items = read_run_file(run_files(data)[-1])
        assert [item["article_id"] for item in items] == [article_id]
        assert items[0]["body"].endswith(edit)
        revisions.append(items[0]["revision"])
        # Old articles are not revisited by the schedule (their age puts them at the refresh age).
        assert article_paths_requested(site.requests) <= {path, *_ALWAYS}
    assert revisions == [2, 3]


_ALWAYS = {*MANIFEST["rejected"], *MANIFEST["redirects"],
           *(p for paths in MANIFEST["alternates"].values() for p in paths),
           *(MANIFEST["articles"][slug] for slug in MANIFEST["alternates"])}


def test_known_articles_are_fetched_again_once_the_refresh_age_is_over(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    state = data / "state.sqlite3"

    def age_visits(hours: float) -> None:
        with sqlite3.connect(state) as db:
            db.execute("UPDATE articles SET last_seen = ?",
                       ((datetime.now(timezone.utc) - timedelta(hours=hours)).isoformat(timespec="seconds"),))
        db.close()

    age_visits(160)  # under the 168 h refresh age: not due
    site.clear_requests()
    assert cron_run(site.url, data).returncode == 0
    assert article_paths_requested(site.requests) <= _ALWAYS
    age_visits(169)  # over it: every known article page is fetched again, none exported (unchanged)
    site.clear_requests()
    assert cron_run(site.url, data).returncode == 0
    requested = {article_id_from_path(p) for p in article_paths_requested(site.requests)}
    for pair in MANIFEST["duplicates"]:  # a copy fetched under its other URL is a visit of both
        ids = {article_id_from_path(p) for p in pair}
        if ids & requested:
            requested |= ids
    assert all_ids() <= requested
    assert read_run_file(run_files(data)[-1]) == []


def test_since_on_the_boundary_day_is_kept(site, tmp_path):
    from tests.conftest import run_crawl

    crawl = run_crawl(site.url, tmp_path, "-a", "since=2025-02-27", server=site)
    assert crawl.returncode == 0, crawl.log[-3000:]
    days = {item["article_id"]: item["date_published"][:10] for item in crawl.items}
    assert days.get("62493") == "2025-02-27"  # day-only date on the boundary: kept
    assert days.get("18269240") == "2025-02-27"  # timed, on the boundary: kept
    assert min(days.values()) == "2025-02-27"  # nothing older


# --- revisions never go back -----------------------------------------------------------------


def test_after_a_reset_recrawled_changed_content_wins_in_the_dataset(site, tmp_path):
    data = tmp_path / "data"
    path = "/article/18269665"
    assert cron_run(site.url, data).returncode == 0
    serve(site, path, page_of(path).replace("US raises concerns", "US voices concerns"))
    set_lastmod(site, "18269665", "2025-03-01T08:00:00+00:00")
    assert cron_run(site.url, data).returncode == 0
    reset = state_command(data, "reset", "--yes")
    assert reset.returncode == 0, reset.stderr
    # Both pages of the story (the other a copy with a canonical link to it) are edited: after
    # the reset both are fetched, and whichever comes first stands for the story.
    for page in (path, "/article/6c2f8e1a9d35"):
        serve(site, page, page_of(page).replace("US raises concerns", "US states concerns"))
    third = cron_run(site.url, data)
    assert third.returncode == 0, third.stderr[-3000:]
    revisions = {item["article_id"]: item["revision"] for item in read_run_file(run_files(data)[-1])}
    assert revisions["18269665"] == 3 and revisions["18269747"] == 2  # on from the floor
    [row] = [row for row in dataset_rows(data, tmp_path) if row["article_id"] == "18269665"]
    assert "US states concerns" in row["body"] and row["revision"] == 3


# --- a bad state file stops the run at once -------------------------------------------------


def corrupt(state: Path) -> None:
    raw = bytearray(state.read_bytes())
    middle = len(raw) // 2
    raw[middle:middle + 4096] = b"\xa5" * 4096
    state.write_bytes(bytes(raw))


def truncate(state: Path) -> None:
    state.write_bytes(b"")


def foreign(state: Path) -> None:
    state.unlink()
    with sqlite3.connect(state) as db:
        db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        db.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    db.close()


def not_sqlite(state: Path) -> None:
    state.write_text('{"articles": []}\n', encoding="utf-8")


def unreadable(state: Path) -> None:
    state.unlink()
    state.mkdir()  # the tests run as root, for whom permission bits do not stop reading


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "directory"


@pytest.mark.parametrize("damage", [corrupt, truncate, foreign, not_sqlite, unreadable])
def test_a_bad_state_file_stops_the_run_with_one_line_and_touches_nothing(site, tmp_path, damage):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    state = data / "state.sqlite3"
    damage(state)
    before, files_before = fingerprint(state), run_files(data)
    site.clear_requests()
    run = cron_run(site.url, data)
    [line] = run.stderr.strip().splitlines()
    assert run.returncode == EXIT_BAD_STATE
    assert line.startswith("newsbot: ") and str(state) in line and "scrapy state" in line
    assert run_files(data) == files_before and len(manifests(data)) == 1  # no run file
    assert site.requests == []  # stopped before any request
    assert fingerprint(state) == before  # untouched
    check = state_command(data, "check")
    assert check.returncode == EXIT_BAD_STATE and len(check.stderr.strip().splitlines()) == 1
    assert fingerprint(state) == before


def test_state_check_backup_and_show_every_run(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    assert cron_run(site.url, data).returncode == 0  # exports nothing: still a run
    check = state_command(data, "check")
    assert check.returncode == 0 and check.stdout.startswith("newsbot: state ok:")
    backup = tmp_path / "backup.sqlite3"
    assert state_command(data, "backup", str(backup)).returncode == 0
    shown = json.loads(state_command(data, "show").stdout)
    assert [run["verdict"] for run in shown["runs"]] == ["healthy", "healthy"]
    assert [run["counts"]["exported"] for run in shown["runs"]] == [len(EXPECTED), 0]
    assert shown["links"] > 0 and shown["hints"] > 0
    # Restore = put the copy back in place: the state is as it was.
    (data / "state.sqlite3").unlink()
    backup.rename(data / "state.sqlite3")
    assert json.loads(state_command(data, "show").stdout)["articles"] == shown["articles"]
