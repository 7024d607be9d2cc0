"""Scheduled runs (the cron profile): incremental, crash-safe, one at a time, loud.

Real `scrapy crawl trtworld` subprocesses with SCRAPY_PROJECT=cron against the local site
copy, each test with its own server (some change the site between runs).
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsbot.urls import article_id_from_path
from tests.conftest import REPO, SITE_DIR
from tests.goldens import load_manifest, load_routes, site_expectations
from tests.site_server import SiteServer

pytestmark = pytest.mark.e2e

MANIFEST = load_manifest()
ROUTES = load_routes()
EXPECTED = site_expectations()
EXIT_UNHEALTHY, EXIT_LOCKED, EXIT_BAD_CONFIGURATION = 3, 75, 78
# A real Cloudflare interstitial's visible shape (hand-made copy of its markers).
# Article paths a repeated run over an unchanged site may still request (see the first test).
ALWAYS_ALLOWED = {*MANIFEST["rejected"], *MANIFEST["redirects"],
                  *(p for paths in MANIFEST["alternates"].values() for p in paths),
                  *(MANIFEST["articles"][slug] for slug in MANIFEST["alternates"])}
CHALLENGE_PAGE = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
                  b"<div id=\"challenge-platform\"><noscript>Enable JavaScript and cookies to continue"
                  b"</noscript></div><script>window._cf_chl_opt={cType: 'managed'};</script></body></html>")


@pytest.fixture
def site():
    with SiteServer(root=SITE_DIR) as server:
        yield server


def cron_command(site_url: str, data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy", "crawl", "trtworld",
            "-s", f"NEWSBOT_SITE_URL={site_url}", "-s", f"NEWSBOT_DATA_DIR={data_dir}",
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *args]


def cron_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    return {**env, "SCRAPY_PROJECT": "cron"}


def cron_run(site_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(cron_command(site_url, data_dir, *args), cwd=REPO, env=cron_env(),
                          capture_output=True, text=True, timeout=600)


def run_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "runs").rglob("*") if p.is_file() and ".manifest." not in p.name)


def manifests(data_dir: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8"))
            for p in sorted((data_dir / "runs").rglob("*.manifest.json"))]


def read_run_file(path: Path) -> list[dict]:
    """Every complete line of a run file, partial (killed) or gzipped ones included."""
    raw = path.read_bytes()
    if path.name.endswith((".gz", ".gz.part")):
        decompressor = __import__("zlib").decompressobj(31)
        raw = decompressor.decompress(raw)
    items = []
    for line in raw.decode("utf-8", "replace").splitlines():
        try:
            items.append(json.loads(line))
        except ValueError:
            pass  # the last line of a killed run may be cut short
    return items


def all_ids() -> set[str]:
    return {e["article_id"] for e in EXPECTED.values()}


def exported_ids(items: list[dict]) -> set[str]:
    """Article ids, counting a copy exported under its alternate id as the original."""
    alternates = {article_id_from_path(p): EXPECTED[slug]["article_id"]
                  for slug, paths in MANIFEST["alternates"].items() for p in paths}
    return {alternates.get(item["article_id"], item["article_id"]) for item in items}


def article_paths_requested(server_requests) -> set[str]:
    return {path for _, path in server_requests if article_id_from_path(path.split("?")[0])}


def test_first_run_exports_everything_then_only_what_is_new_or_changed(site, tmp_path):
    data = tmp_path / "data"
    first = cron_run(site.url, data)
    assert first.returncode == 0, first.stderr[-3000:]
    [first_file] = run_files(data)
    first_items = read_run_file(first_file)
    assert exported_ids(first_items) == all_ids()
    assert {item["revision"] for item in first_items} == {1}
    [first_manifest] = manifests(data)
    assert first_manifest["health"]["verdict"] == "healthy"
    assert first_manifest["counts"]["new"] == len(first_items) == first_manifest["file"]["lines"]

    # The site gains two articles (the seed's Explore links that answered 404 before)...
    seed = EXPECTED["iraqi-forces-open-new-front-in-final-push-against-daesh-13099992"]
    gained = [link for link in seed["related"] if link["url"].replace("{site}", "") in MANIFEST["rejected"]][:2]
    feed = (SITE_DIR / ROUTES["/feed/rss.xml"]["file"]).read_text(encoding="utf-8")
    for link in gained:
        path = link["url"].replace("{site}", "")
        site.set_route(path, {"status": 200, "content_type": "text/html; charset=utf-8"},
                       body=reconstructed_page(link["headline"]))
        feed = feed.replace("</channel>", f"<item><title>{link['headline']}</title><link>{path}</link>"
                                          f"<pubDate>Mon, 21 Jul 2025 09:00:00 GMT</pubDate></item></channel>")
    site.set_route("/feed/rss.xml", ROUTES["/feed/rss.xml"], body=feed.encode("utf-8"))
    # ...and one article changes: a later update time, and the sitemap says so.
    changed = "/article/18269665"
    page = (SITE_DIR / ROUTES[changed]["file"]).read_text(encoding="utf-8")
    site.set_route(changed, ROUTES[changed], body=page.replace("2025-02-28T09:02:13.840Z", "2025-03-01T10:00:00.000Z").encode())
    sitemap_path = "/sitemaps/articles-2025-02.xml"
    lastmod = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat(timespec="seconds")
    sitemap = (SITE_DIR / ROUTES[sitemap_path]["file"]).read_text(encoding="utf-8").replace(
        "<loc>https://www.trtworld.com/article/18269665</loc>\n    <lastmod>2025-02-28T07:24:49+00:00</lastmod>",
        f"<loc>https://www.trtworld.com/article/18269665</loc>\n    <lastmod>{lastmod}</lastmod>")
    assert lastmod in sitemap
    site.set_route(sitemap_path, ROUTES[sitemap_path], body=sitemap.encode("utf-8"))

    site.clear_requests()
    second = cron_run(site.url, data)
    assert second.returncode == 0, second.stderr[-3000:]
    second_file = next(p for p in run_files(data) if p != first_file)
    second_items = read_run_file(second_file)
    assert sorted((item["article_id"], item["revision"]) for item in second_items) == sorted(
        [(article_id_from_path(link["url"].replace("{site}", "")), 1) for link in gained] + [("18269665", 2)])
    # No unchanged article page was downloaded: only the new, the changed, and pages that
    # never became articles (broken links are tried again), legacy URLs answering 301 (once:
    # then they are known aliases), and one copy without a canonical link, which is known
    # by its headline only after it was seen once.
    requested = article_paths_requested(site.requests)
    allowed = {changed, *(link["url"].replace("{site}", "") for link in gained), *ALWAYS_ALLOWED}
    assert requested <= allowed, requested - allowed
    assert first_manifest["run_id"] != manifests(data)[-1]["run_id"]


def reconstructed_page(headline: str) -> bytes:
    """A new article for the site copy. RECONSTRUCTION: the headline is real (from the seed
    page's Explore block); no other text of the story is known, so the body repeats it."""
    return (f"<!DOCTYPE html><!-- RECONSTRUCTION (tests/test_cron.py): real headline from the "
            f"seed page's Explore block; body repeats it, no other text is known. -->"
            f"<html lang=\"en\"><body><main><article><div>WORLD</div><div>1 MIN READ</div>"
            f"<h1>{headline}</h1><time>July 21, 2025</time><p>{headline}</p></article></main>"
            f"</body></html>").encode("utf-8")


def test_unchanged_site_costs_only_discovery_requests(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    site.clear_requests()
    again = cron_run(site.url, data)
    assert again.returncode == 0, again.stderr[-3000:]
    assert read_run_file(run_files(data)[-1]) == []
    requested = article_paths_requested(site.requests)
    assert requested <= ALWAYS_ALLOWED, requested - ALWAYS_ALLOWED


def test_killed_run_loses_nothing(site, tmp_path):
    data = tmp_path / "data"
    slow = cron_command(site.url, data, "-s", "NEWSBOT_SYNC_ITEMS=3")
    slow[slow.index("DOWNLOAD_DELAY=0")] = "DOWNLOAD_DELAY=0.15"
    process = subprocess.Popen(slow, cwd=REPO, env=cron_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            parts = [p for p in run_files(data) if p.name.endswith(".part")]
            if parts and len(read_run_file(parts[0])) >= 6:
                break
            assert process.poll() is None, "the run finished before it could be killed"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    [partial] = run_files(data)
    assert partial.name.endswith(".jsonl.part")  # recognisable as partial...
    killed_items = read_run_file(partial)  # ...and readable
    assert 6 <= len(killed_items) < len(EXPECTED)
    assert manifests(data) == []

    rerun = cron_run(site.url, data)  # the dead run's lock does not block this one
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    union = [item for path in run_files(data) for item in read_run_file(path)]
    assert exported_ids(union) == all_ids()


def test_a_second_run_while_one_is_going_exits_and_touches_nothing(site, tmp_path):
    data = tmp_path / "data"
    slow = cron_command(site.url, data)
    slow[slow.index("DOWNLOAD_DELAY=0")] = "DOWNLOAD_DELAY=0.2"
    first = subprocess.Popen(slow, cwd=REPO, env=cron_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = data / "newsbot.lock"
        deadline = time.monotonic() + 60
        logs = data / "logs"
        while not (lock.exists() and lock.read_text().strip() and logs.exists() and any(logs.iterdir())) \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        before_logs = sorted((data / "logs").iterdir())
        before_lock = lock.read_text()
        started = time.monotonic()
        second = cron_run(site.url, data)
        assert second.returncode == EXIT_LOCKED
        assert time.monotonic() - started < 30
        message = second.stderr.strip()
        assert len(message.splitlines()) == 1
        assert f"pid {first.pid}" in message and "started" in message
        assert sorted((data / "logs").iterdir()) == before_logs
        assert lock.read_text() == before_lock
        assert first.poll() is None
    finally:
        first.terminate()
        first.wait(timeout=60)


def test_challenge_pages_make_the_run_fail_loudly(site, tmp_path):
    for path, route in ROUTES.items():
        if route.get("status", 200) == 200 and "html" in route.get("content_type", ""):
            site.set_route(path, {"status": 200, "content_type": "text/html; charset=utf-8"}, body=CHALLENGE_PAGE)
    data = tmp_path / "data"
    run = cron_run(site.url, data)
    assert run.returncode == EXIT_UNHEALTHY, run.stderr[-3000:]
    [manifest] = manifests(data)
    assert manifest["health"]["verdict"] == "unhealthy"
    assert any("challenge" in reason for reason in manifest["health"]["reasons"])
    log = next((data / "logs").iterdir()).read_text(encoding="utf-8")
    assert "UNHEALTHY" in log.strip().splitlines()[-1]


@pytest.mark.parametrize("args", [("-s", "NEWSBOT_HEALTH_MAX_ERROR_SHARE=2"), ("-a", "since=yesterday"),
                                  ("-s", "NEWSBOT_SITE_URL=www.trtworld.com")])
def test_bad_configuration_exits_78_with_one_line(tmp_path, args):
    run = cron_run("http://127.0.0.1:9", tmp_path / "data", *args)
    assert run.returncode == EXIT_BAD_CONFIGURATION
    assert run.stderr.strip().startswith("newsbot: bad configuration:")
    assert not (tmp_path / "data").exists()


def test_default_profile_stays_a_plain_stateless_crawl(site, tmp_path):
    out = tmp_path / "articles.jsonl"
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "trtworld", "-O", str(out),
                               "-s", f"NEWSBOT_SITE_URL={site.url}", "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}",
                               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                              cwd=REPO, env={k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")},
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        assert len(out.read_text(encoding="utf-8").splitlines()) == len(EXPECTED)
    assert not (tmp_path / "data" / "state.sqlite3").exists()


def test_state_show_and_reset(site, tmp_path):
    data = tmp_path / "data"
    assert cron_run(site.url, data).returncode == 0
    state = [sys.executable, "-m", "scrapy", "state"]
    settings = ["-s", f"NEWSBOT_DATA_DIR={data}"]
    shown = subprocess.run([*state, "show", *settings], cwd=REPO, env=cron_env(), capture_output=True, text=True)
    assert json.loads(shown.stdout)["articles"] == len(EXPECTED)
    refused = subprocess.run([*state, "reset", *settings], cwd=REPO, env=cron_env(), capture_output=True, text=True)
    assert refused.returncode != 0 and (data / "state.sqlite3").exists()
    reset = subprocess.run([*state, "reset", "--yes", *settings], cwd=REPO, env=cron_env(), capture_output=True, text=True)
    assert reset.returncode == 0, reset.stderr
    after = json.loads(subprocess.run([*state, "show", *settings], cwd=REPO, env=cron_env(),
                                      capture_output=True, text=True).stdout)
    # The articles are forgotten; their revisions (the floor) and the run history are kept.
    assert after["articles"] == 0 and after["revision_floor"] >= len(EXPECTED)
    assert [run["verdict"] for run in after["runs"]] == ["healthy"]
    assert run_files(data)  # run files are kept


def test_gzip_run_files_are_read_back(site, tmp_path):
    data = tmp_path / "data"
    run = cron_run(site.url, data, "-s", "NEWSBOT_RUN_GZIP=True")
    assert run.returncode == 0, run.stderr[-2000:]
    [path] = run_files(data)
    assert path.name.endswith(".jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        assert exported_ids([json.loads(line) for line in lines]) == all_ids()
    [manifest] = manifests(data)
    assert manifest["file"]["gzip"] is True and manifest["file"]["lines"] == len(EXPECTED)
