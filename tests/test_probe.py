"""End to end: `scrapy probe` and the cron health check against the local site copy and
against drifted copies of it (tests/drift.py: one layer's values changed on every page).
Every page served is a RECONSTRUCTION (tests/site_build.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, SITE_DIR
from tests.drift import drifted_copy
from tests.site_server import SiteServer

pytestmark = pytest.mark.e2e


def env(profile: str | None = None) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    return {**clean, "SCRAPY_PROJECT": profile} if profile else clean


def probe(site_url: str, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scrapy", "probe", "-a", "n=20", *args,
               "-s", f"NEWSBOT_SITE_URL={site_url}", "-s", f"NEWSBOT_DATA_DIR={workdir / 'data'}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
    return subprocess.run(command, cwd=REPO, env=env(), capture_output=True, text=True, timeout=600)


def cron(site_url: str, data_dir: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "scrapy", "crawl", "trtworld",
               "-s", f"NEWSBOT_SITE_URL={site_url}", "-s", f"NEWSBOT_DATA_DIR={data_dir}",
               "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    return subprocess.run(command, cwd=REPO, env=env("cron"), capture_output=True, text=True,
                          timeout=600)


def test_probe_of_the_site_copy_passes_and_saves_unreviewed_fixtures(tmp_path):
    with SiteServer(root=SITE_DIR) as site:
        done = probe(site.url, tmp_path, "--fixtures", str(tmp_path / "fixtures"))
        fetched = {path for _, path in site.requests}
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "verdict: OK" in done.stdout
    for field in ("headline", "date_published", "authors", "body"):
        assert f"\n{field} " in done.stdout
    assert "date_published" in done.stdout and "jsonld-dom 16/16" in done.stdout
    assert "/robots.txt" in fetched and "/feed/rss.xml" in fetched
    saved = sorted((tmp_path / "fixtures").glob("*.json"))
    assert len(saved) >= 30
    record = json.loads(saved[0].read_text(encoding="utf-8"))
    assert record["review"] == "unreviewed" and record["url"].startswith("http://127.0.0.1")
    assert saved[0].with_suffix(".html").exists()


def test_probe_caps_pages_per_generation(tmp_path):
    with SiteServer(root=SITE_DIR) as site:
        done = probe(site.url, tmp_path, "--no-fixtures", "-a", "n=2")
    assert "probe: " in done.stdout
    first = done.stdout.splitlines()[0]
    counts = [int(part.rsplit(" ", 1)[1]) for part in first.split(": ", 1)[1].split(", ")]
    assert sum(counts) <= 2 * 3 + 2  # redirects may land a gen-2 URL on a gen-3 page
    assert not (tmp_path / "fixtures").exists()


@pytest.mark.parametrize("kind, field, layers", [
    ("jsonld_date", "date_published", ("jsonld", "dom")),
    ("og_title", "headline", ("meta", "dom")),
])
def test_probe_of_a_drifted_copy_fails_naming_field_and_layers(tmp_path, kind, field, layers):
    with SiteServer(root=drifted_copy(tmp_path, kind)) as site:
        done = probe(site.url, tmp_path, "--no-fixtures")
    assert done.returncode == 1, done.stdout[-3000:]
    first, second = layers
    assert f"{field}: layers {first} and {second} agree on 0%" in done.stderr
    assert "verdict: FAIL" in done.stdout
    assert f"differ {first}-{second}:" in done.stdout  # examples of disagreement


def test_cron_crawl_of_a_drifted_copy_is_unhealthy_with_the_agreement_reason(tmp_path):
    with SiteServer(root=drifted_copy(tmp_path, "jsonld_date")) as site:
        done = cron(site.url, tmp_path / "data")
    assert done.returncode == 3, done.stderr[-3000:]
    assert "run unhealthy" in done.stderr
    assert "date_published: layers jsonld and dom agree on 0%" in done.stderr


@pytest.mark.parametrize("n", ["zero", "", "0", "-3"])
def test_probe_rejects_a_bad_n(n):
    done = subprocess.run([sys.executable, "-m", "scrapy", "probe", "-a", f"n={n}"], cwd=REPO,
                          env=env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"-a n must be a positive whole number, got {n!r}" in done.stderr


def test_probe_of_nothing_fails_with_its_reason():
    from newsbot.commands.probe import judge_probe
    from newsbot.health import Thresholds
    report, reasons = judge_probe([], {}, Thresholds())
    assert reasons == ["no article page was fetched (blocked, or the site moved?)"]
    assert "0 article page(s)" in report


def test_probe_of_an_unreachable_site_exits_1(tmp_path):
    with SiteServer(root=SITE_DIR) as site:
        url = site.url  # the server is gone when the probe starts
    done = probe(url, tmp_path, "--no-fixtures", "-s", "RETRY_TIMES=0")
    assert done.returncode == 1
    assert "no article page was fetched" in done.stderr


@pytest.mark.parametrize("url, generation", [
    ("https://www.trtworld.com/article/7bf135ba9261", 3), ("https://www.trtworld.com/article/13099992", 3),
    ("https://www.trtworld.com/middle-east/live-blog-hamas-snipers-18239608", 2),
    ("https://www.trtworld.com/turkey/a-story-55278", 1),
])
def test_generation_by_url_shape(url, generation):
    from newsbot.commands.probe import url_generation
    assert url_generation(url) == generation
