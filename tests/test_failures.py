"""Every failure is counted, and a run that failed says so: one line, a documented code.

Real `scrapy crawl trtworld` subprocesses, in the default and the cron profile, against the
local site copy, a closed port, an unresolvable host (`.invalid` never resolves: no traffic
leaves the machine), unwritable paths, a file size limit standing for a full disk, and
components that raise on purpose (tests/faults.py).
"""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsbot.settings import ITEM_PIPELINES
from tests.conftest import REPO, run_crawl
from tests.faults import FAILING_ARTICLE_ID
from tests.goldens import site_expectations
from tests.test_cron import cron_command, cron_env, cron_run, manifests, read_run_file, run_files

pytestmark = pytest.mark.e2e

EXPECTED = site_expectations()
EXIT_UNHEALTHY, EXIT_STATE, EXIT_UNREACHABLE = 3, 65, 69
EXIT_CANNOT_WRITE, EXIT_DISK_FULL, EXIT_BAD_CONFIGURATION, EXIT_INTERRUPTED = 73, 74, 78, 130
RAISING_PIPELINE = json.dumps({**ITEM_PIPELINES, "tests.faults.RaisingPipeline": 650})
RAISING_CALLBACK = json.dumps({"tests.faults.RaisingCallback": 950})


def newsbot_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("newsbot:")]


def plain_crawl(*args: str, cwd: Path = REPO, **kwargs) -> subprocess.CompletedProcess:
    """The default profile, logging to stderr as a user sees it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", "trtworld",
                           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kwargs)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- internal errors -----------------------------------------------------------------------

def test_a_pipeline_that_raises_rejects_the_article_and_fails_the_run(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-s", f"ITEM_PIPELINES={RAISING_PIPELINE}")
    assert crawl.returncode == EXIT_UNHEALTHY, crawl.log[-3000:]
    [line] = newsbot_lines(crawl.log)
    assert line == "newsbot: run unhealthy: 1 error(s) inside newsbot while crawling (see the log)"
    [lost] = [r for r in crawl.rejects if r["reason"].startswith("internal_error")]
    assert lost["reason"] == "internal_error:ValueError"
    assert lost["article_id"] == FAILING_ARTICLE_ID and lost["url"].endswith(FAILING_ARTICLE_ID)
    assert lost["reasons"] == [f"ValueError: injected failure for {FAILING_ARTICLE_ID}"]
    assert crawl.stats["newsbot/rejected/internal_error:ValueError"] == 1
    assert crawl.stats["newsbot/errors"] == 1
    # The other articles are exported as usual.
    assert len(crawl.items) == len(EXPECTED) - 1
    assert FAILING_ARTICLE_ID not in {item["article_id"] for item in crawl.items}


def test_a_pipeline_that_raises_makes_a_cron_run_unhealthy(site, tmp_path):
    data = tmp_path / "data"
    run = cron_run(site.url, data, "-s", f"ITEM_PIPELINES={RAISING_PIPELINE}")
    assert run.returncode == EXIT_UNHEALTHY, run.stderr[-3000:]
    assert run.stderr.splitlines() == [
        "newsbot: run unhealthy: 1 error(s) inside newsbot while crawling (see the log)"]
    [manifest] = manifests(data)
    assert manifest["health"]["verdict"] == "unhealthy"
    assert manifest["counts"]["rejected"]["internal_error:ValueError"] == 1
    [rejects] = (data / "rejects").glob("*.jsonl")
    assert any(json.loads(line)["reason"] == "internal_error:ValueError"
               for line in rejects.read_text(encoding="utf-8").splitlines())


def test_a_callback_that_raises_rejects_the_article_page(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-s", f"SPIDER_MIDDLEWARES={RAISING_CALLBACK}")
    assert crawl.returncode == EXIT_UNHEALTHY, crawl.log[-3000:]
    [lost] = [r for r in crawl.rejects if r["reason"].startswith("internal_error")]
    assert lost["reason"] == "internal_error:KeyError" and lost["url"].endswith(FAILING_ARTICLE_ID)
    assert crawl.stats["newsbot/rejected/internal_error:KeyError"] == 1


# --- configuration and startup -------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (("-s", "NEWSBOT_TIMEZONE=Mars/Base"),
     "NEWSBOT_TIMEZONE: 'Mars/Base' is not a known time zone (an IANA name like Europe/Istanbul)"),
    (("-a", "start_urls=notaurl"), "-a start_urls: 'notaurl' is not a page of http://127.0.0.1"),
    (("-s", "NEWSBOT_TIMEZON=UTC"), "unknown setting NEWSBOT_TIMEZON"),
    (("-s", "NEWSBOT_SYNC_ITEMS=2.5"), "NEWSBOT_SYNC_ITEMS: '2.5' is not valid"),
    (("-s", "NEWSBOT_RUN_GZIP=maybe"), "NEWSBOT_RUN_GZIP: 'maybe' is not valid"),
    (("-s", "DOWNLOAD_DELAY=-1"), "DOWNLOAD_DELAY must be at least 0"),
    (("-s", "NEWSBOT_HEALTH_COVERAGE_CONFIDENCE=1.5"), "NEWSBOT_HEALTH_COVERAGE_CONFIDENCE"),
    (("-s", "NEWSBOT_REJECTS_PATH=%(data_dir)s/%(day)s.jsonl"), "unknown placeholder(s) day"),
])
@pytest.mark.parametrize("profile", ["default", "cron"])
def test_bad_settings_exit_78_before_any_request(site, tmp_path, args, message, profile):
    site.clear_requests()
    if profile == "cron":
        run = cron_run(site.url, tmp_path / "data", *args)
    else:
        run = plain_crawl("-O", str(tmp_path / "x.jsonl"), "-s", f"NEWSBOT_SITE_URL={site.url}",
                          "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", *args)
    assert run.returncode == EXIT_BAD_CONFIGURATION, run.stderr[-2000:]
    # The default profile logs to stderr (Scrapy's start-up lines come first); cron does not.
    [line] = run.stderr.splitlines() if profile == "cron" else newsbot_lines(run.stderr)
    assert run.stderr.splitlines()[-1] == line
    assert line.startswith("newsbot: bad configuration: ") and message in line
    assert site.requests == []
    assert not (tmp_path / "data").exists() and not (tmp_path / "x.jsonl").exists()


def test_a_component_that_does_not_exist_is_bad_configuration(site, tmp_path):
    pipelines = json.dumps({**ITEM_PIPELINES, "newsbot.pipelines.nope.Missing": 650})
    run = cron_run(site.url, tmp_path / "data", "-s", f"ITEM_PIPELINES={pipelines}")
    assert run.returncode == EXIT_BAD_CONFIGURATION
    assert run.stderr.splitlines() == [
        "newsbot: bad configuration: cannot load a component: No module named 'newsbot.pipelines.nope'"]


def test_a_crash_at_start_is_one_line_and_a_traceback_in_the_log(site, tmp_path):
    data = tmp_path / "data"
    pipelines = json.dumps({**ITEM_PIPELINES, "tests.faults.BrokenAtStart": 650})
    run = cron_run(site.url, data, "-s", f"ITEM_PIPELINES={pipelines}")
    assert run.returncode == 1
    assert run.stderr.splitlines() == ["newsbot: could not start: RuntimeError: broken on purpose"]
    log = next((data / "logs").iterdir()).read_text(encoding="utf-8")
    assert "Traceback" in log and log.strip().splitlines()[-1].endswith(
        "UNHEALTHY: could not start: RuntimeError: broken on purpose")
    assert run_files(data) == []


def test_unwritable_output_exits_73_before_any_request(site, tmp_path):
    site.clear_requests()
    run = plain_crawl("-O", "/proc/nope/x.jsonl", "-s", f"NEWSBOT_SITE_URL={site.url}",
                      "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert run.returncode == EXIT_CANNOT_WRITE
    assert newsbot_lines(run.stderr) == [
        "newsbot: output not writable: /proc/nope/x.jsonl: No such file or directory"]
    assert run.stderr.splitlines()[-1] == newsbot_lines(run.stderr)[0]
    assert site.requests == []


def test_unwritable_data_dir_exits_73_in_cron(site, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    run = cron_run(site.url, blocker / "data")
    assert run.returncode == EXIT_CANNOT_WRITE
    [line] = run.stderr.splitlines()
    assert line.startswith("newsbot: state not writable: ") and "is not a directory" in line


def test_lock_that_cannot_be_taken_is_one_line(site, tmp_path):
    data = tmp_path / "data"
    (data / "newsbot.lock").mkdir(parents=True)
    run = cron_run(site.url, data)
    assert run.returncode == EXIT_CANNOT_WRITE
    assert run.stderr.splitlines() == [f"newsbot: lock not writable: {data / 'newsbot.lock'}: it is a directory"]


def ignore_sigxfsz_and_limit_file_size():
    """A full disk, as far as this process can tell: any write to a file fails (EFBIG)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def test_full_disk_at_startup_exits_74_with_one_line_and_writes_nothing(site, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    run = subprocess.run(cron_command(site.url, data), cwd=REPO, env=cron_env(), capture_output=True,
                         text=True, timeout=300, preexec_fn=ignore_sigxfsz_and_limit_file_size)
    assert run.returncode == EXIT_DISK_FULL, run.stderr[-2000:]
    [line] = run.stderr.splitlines()
    assert line.startswith("newsbot: disk full: cannot write state ") and "File too large" in line
    assert list(data.iterdir()) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 120 kB file system (tmpfs): smaller than one run over the site copy (~100 kB of
    articles, plus the state and the log)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=120k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_output_feed_on_a_full_disk_exits_74_without_tracebacks(site, small_disk, tmp_path):
    (small_disk / "filler").write_bytes(b"x" * 60 * 1024)  # leaves ~60 kB for the feed
    run = plain_crawl("-O", str(small_disk / "x.jsonl"), "-s", f"NEWSBOT_SITE_URL={site.url}",
                      "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert run.returncode == EXIT_DISK_FULL, run.stderr[-2000:]
    assert run.stderr.splitlines()[-1] == (
        f"newsbot: disk full: cannot write output {small_disk / 'x.jsonl'}: No space left on device")
    assert "Traceback" not in run.stderr


def test_disk_full_during_a_run_exits_74_with_one_line(site, small_disk):
    data = small_disk / "data"
    run = cron_run(site.url, data)
    assert run.returncode == EXIT_DISK_FULL, run.stderr[-2000:]
    [line] = run.stderr.splitlines()  # no "--- Logging error ---" for every log record
    assert line.startswith("newsbot: disk full: writing ") and "No space left on device" in line
    assert manifests(data) == []  # the run is not passed off as complete


def test_unusable_state_exits_with_one_line(site, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    run = cron_run(site.url, data)
    assert run.returncode not in (0, 1), run.stderr[-2000:]
    [line] = run.stderr.splitlines()
    assert "state" in line and str(data / "state.sqlite3") in line
    assert run_files(data) == []


# --- the verdict at the end of every crawl --------------------------------------------------

def test_unresolvable_host_fails_fast_with_one_line_and_no_traceback(tmp_path):
    started = time.monotonic()
    run = plain_crawl("-O", str(tmp_path / "x.jsonl"), "-s", "NEWSBOT_SITE_URL=http://nonexistent.invalid",
                      "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", "-s", "RETRY_TIMES=0")
    assert time.monotonic() - started < 60
    assert run.returncode == EXIT_UNREACHABLE, run.stderr[-3000:]
    assert re.fullmatch(r"newsbot: cannot reach nonexistent\.invalid: DNS lookup failed for (\d+) of \1 requests",
                        run.stderr.splitlines()[-1])
    assert "Traceback" not in run.stderr


def test_cron_says_the_host_did_not_resolve(tmp_path):
    data = tmp_path / "data"
    run = cron_run("http://nonexistent.invalid", data, "-s", "RETRY_TIMES=0")
    assert run.returncode == EXIT_UNREACHABLE, run.stderr[-3000:]
    [line] = run.stderr.splitlines()
    failed = re.fullmatch(r"newsbot: cannot reach nonexistent\.invalid: DNS lookup failed for (\d+) of \1 requests", line)
    assert failed, line
    [manifest] = manifests(data)
    assert manifest["health"]["reasons"] == [line.removeprefix("newsbot: ")]
    assert manifest["counts"]["network_errors"] == {"dns": int(failed.group(1))}
    log = next((data / "logs").iterdir()).read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert "UNHEALTHY: cannot reach nonexistent.invalid" in log.strip().splitlines()[-1]


def test_closed_port_is_connection_refused(tmp_path):
    port = closed_port()
    run = plain_crawl("-O", str(tmp_path / "x.jsonl"), "-s", f"NEWSBOT_SITE_URL=http://127.0.0.1:{port}",
                      "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", "-s", "RETRY_TIMES=0",
                      "-s", f"NEWSBOT_STATS_PATH={tmp_path / 'stats.json'}")
    assert run.returncode == EXIT_UNREACHABLE
    assert re.fullmatch(rf"newsbot: cannot reach 127\.0\.0\.1:{port}: connection refused for (\d+) of \1 requests",
                        run.stderr.splitlines()[-1]), run.stderr[-1000:]
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["newsbot/network/connection_refused"] == stats["newsbot/network/requests"] >= 1


def test_tls_handshake_failure(site, tmp_path):
    # https:// to a plain HTTP server: the TLS handshake fails.
    run = plain_crawl("-O", str(tmp_path / "x.jsonl"), "-s", f"NEWSBOT_SITE_URL=https://127.0.0.1:{site.port}",
                      "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", "-s", "RETRY_TIMES=0")
    assert run.returncode == EXIT_UNREACHABLE
    assert re.fullmatch(rf"newsbot: cannot reach 127\.0\.0\.1:{site.port}: TLS handshake failed for (\d+) of \1 requests",
                        run.stderr.splitlines()[-1]), run.stderr[-1000:]


def test_a_server_that_never_answers_times_out(tmp_path):
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        run = plain_crawl("-O", str(tmp_path / "x.jsonl"), "-s", f"NEWSBOT_SITE_URL=http://127.0.0.1:{port}",
                          "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", "-s", "RETRY_TIMES=0",
                          "-s", "DOWNLOAD_TIMEOUT=1")
    assert run.returncode == EXIT_UNREACHABLE
    assert re.fullmatch(rf"newsbot: cannot reach 127\.0\.0\.1:{port}: timed out for (\d+) of \1 requests",
                        run.stderr.splitlines()[-1]), run.stderr[-1000:]
    assert "Traceback" not in run.stderr


def test_a_server_that_hangs_up_is_connection_lost(tmp_path):
    with socket.socket() as rude:  # accepts, then closes without a byte
        rude.bind(("127.0.0.1", 0))
        rude.listen(16)
        port = rude.getsockname()[1]

        def hang_up():
            while True:
                try:
                    connection, _ = rude.accept()
                except OSError:
                    return
                connection.close()

        threading.Thread(target=hang_up, daemon=True).start()
        run = plain_crawl("-O", str(tmp_path / "x.jsonl"), "-s", f"NEWSBOT_SITE_URL=http://127.0.0.1:{port}",
                          "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", "-s", "RETRY_TIMES=0")
    assert run.returncode == EXIT_UNREACHABLE
    assert re.fullmatch(rf"newsbot: cannot reach 127\.0\.0\.1:{port}: connection lost for (\d+) of \1 requests",
                        run.stderr.splitlines()[-1]), run.stderr[-1000:]
    assert "Traceback" not in run.stderr


def test_sigint_of_a_default_profile_crawl_exits_130(site, tmp_path):
    out = tmp_path / "x.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "trtworld", "-O", str(out),
         "-s", f"NEWSBOT_SITE_URL={site.url}", "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}",
         "-s", "DOWNLOAD_DELAY=0.3", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", f"LOG_FILE={tmp_path / 'crawl.log'}", "-s", "LOG_LEVEL=DEBUG"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        log = tmp_path / "crawl.log"
        while time.monotonic() < deadline:
            if log.exists() and log.read_text(encoding="utf-8").count("Scraped from") >= 3:
                break
            assert process.poll() is None, "the crawl finished before it could be interrupted"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == EXIT_INTERRUPTED
    [line] = stderr.splitlines()
    assert line.startswith("newsbot: interrupted: ") and line.endswith(" articles written")
    assert int(line.split()[2]) >= 3
    # What it says was written is there, every line a whole article.
    assert len([json.loads(entry) for entry in out.read_text(encoding="utf-8").splitlines()]) == int(line.split()[2])


def test_a_listing_without_articles_is_not_a_success(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-a", f"start_urls={site.url}/nothing-here")
    assert crawl.returncode == EXIT_UNHEALTHY
    assert newsbot_lines(crawl.log) == [
        "newsbot: run unhealthy: no article URL discovered (blocked, bot wall, or the site moved?)"]


def test_progress_is_logged_in_newsbot_terms(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-s", "LOGSTATS_INTERVAL=0.5", "-s", "DOWNLOAD_DELAY=0.1")
    assert crawl.returncode == 0, crawl.log[-2000:]
    progress = [line for line in crawl.log.splitlines() if "Progress: " in line]
    assert len(progress) >= 2
    assert all(" articles exported (" in line and " requests queued" in line for line in progress)
    assert "Crawled 0 pages" not in crawl.log  # Scrapy's own LogStats is replaced
    assert crawl.stats["items_per_minute"] is not None


# --- honest manifest ------------------------------------------------------------------------

def check_counts_add_up(manifest: dict, items: list[dict], stats_items: int) -> None:
    counts = manifest["counts"]
    assert counts["exported"] == counts["new"] + counts["updated"] == manifest["file"]["lines"] == len(items)
    assert counts["new"] == sum(item["revision"] == 1 for item in items)
    item_rejections = sum(value for reason, value in counts["rejected"].items()
                          if reason in ("invalid", "duplicate") or reason.startswith("internal_error"))
    assert (counts["exported"] + counts["unchanged"] + counts["max_articles"] + counts["not_written"]
            + item_rejections) == stats_items


def test_manifest_counts_add_up_with_max_articles(site, tmp_path):
    data = tmp_path / "data"
    stats = tmp_path / "stats.json"
    run = cron_run(site.url, data, "-a", "max_articles=5", "-s", f"NEWSBOT_STATS_PATH={stats}")
    assert run.returncode == 0, run.stderr[-2000:]
    [manifest] = manifests(data)
    [path] = run_files(data)
    items = read_run_file(path)
    assert manifest["counts"]["exported"] == 5 and manifest["counts"]["new"] == 5
    assert manifest["counts"]["max_articles"] >= 1
    check_counts_add_up(manifest, items, json.loads(stats.read_text())["newsbot/coverage/items"])

    rerun = cron_run(site.url, data, "-s", f"NEWSBOT_STATS_PATH={stats}")
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    second = manifests(data)[-1]
    second_items = read_run_file(run_files(data)[-1])
    check_counts_add_up(second, second_items, json.loads(stats.read_text()).get("newsbot/coverage/items", 0))
