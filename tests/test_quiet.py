"""Quiet and clear: a normal run logs no warning about newsbot's own components, and each
command's failure is one line naming the cause and the next step."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import REPO, run_crawl

pytestmark = pytest.mark.e2e


def scrapy(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO, env={**clean, **(env or {})},
                          capture_output=True, text=True, timeout=600)


def closed_port() -> int:
    """A local port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_normal_run_does_not_warn_about_disabled_components(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-a", f"start_urls={site.url}/article/13099992")
    assert crawl.returncode == 0
    assert len(crawl.items) == 1
    assert "Disabled" not in crawl.log
    assert "WARNING" not in crawl.log.split("Dumping Scrapy stats")[0]


def test_savefixture_that_cannot_download_says_nothing_was_saved(tmp_path):
    done = scrapy("savefixture", "https://www.trtworld.com/article/13099992", "--dir", str(tmp_path / "fx"),
                  "-s", f"NEWSBOT_SITE_URL=http://127.0.0.1:{closed_port()}", "-s", "RETRY_TIMES=0",
                  "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("newsbot: nothing saved: ")
    assert "check the network" in line and "Traceback" not in done.stderr
    assert not (tmp_path / "fx").exists()


def test_savefixture_of_a_missing_page_names_the_status(site, tmp_path):
    done = scrapy("savefixture", f"{site.url}/article/123456789", "--dir", str(tmp_path / "fx"),
                  "-s", f"NEWSBOT_SITE_URL={site.url}", "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"newsbot: nothing saved: {site.url}/article/123456789: the site answered HTTP 404"]


def test_dataset_from_a_missing_folder_says_it_does_not_exist(tmp_path):
    missing = tmp_path / "missing"
    done = scrapy("dataset", "-o", str(tmp_path / "x.csv"), "--runs", str(missing))
    assert done.returncode == 66
    [line] = done.stderr.strip().splitlines()
    assert f"{missing} does not exist" in line and "--runs" in line
    assert not (tmp_path / "x.csv").exists()


def test_reextract_takes_the_site_root_from_the_archive(site, tmp_path):
    """An archive of the local copy, re-extracted with the default (production) site root:
    the pages are read as pages of the archive's root, not skipped in silence."""
    crawl = run_crawl(site.url, tmp_path / "crawl", "-s", "NEWSBOT_WARC_ENABLED=True")
    assert crawl.returncode == 0
    [warc] = (tmp_path / "crawl" / "data" / "warc").glob("*.warc.gz")
    data = tmp_path / "again"
    done = scrapy("reextract", str(warc), "-s", f"NEWSBOT_DATA_DIR={data}")
    assert done.returncode == 0, done.stderr
    assert f"site root {site.url} taken from" in done.stdout
    [run_file] = data.glob("runs/*/*/*/*.jsonl")
    again = {json.loads(line)["url"] for line in run_file.read_text(encoding="utf-8").splitlines()}
    assert again == {item["url"] for item in crawl.items}
