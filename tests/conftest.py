"""Shared fixtures: the local copy of the site on 127.0.0.1, and real crawls of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.site_server import SiteServer

REPO = Path(__file__).resolve().parent.parent
SITE_DIR = REPO / "tests" / "site"
CRAWL_TIMEOUT = 600


@dataclass
class Crawl:
    """What one `scrapy crawl trtworld` subprocess did."""

    returncode: int
    output: Path
    workdir: Path
    log: str
    stats: dict
    requests: list = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.output.read_text(encoding="utf-8").splitlines() if self.output.exists() else []

    @property
    def items(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    @property
    def rejects(self) -> list[dict]:
        return [json.loads(line) for path in sorted((self.workdir / "data" / "rejects").glob("*.jsonl"))
                for line in path.read_text(encoding="utf-8").splitlines()]


def run_crawl(site_url: str, workdir: Path, *args: str, server: SiteServer | None = None) -> Crawl:
    """Run a real crawl of `site_url` in a subprocess, output and state under `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    output = workdir / "articles.jsonl"
    command = [
        sys.executable, "-m", "scrapy", "crawl", "trtworld", "-O", str(output),
        "-s", f"NEWSBOT_SITE_URL={site_url}",
        "-s", f"NEWSBOT_DATA_DIR={workdir / 'data'}",
        "-s", f"NEWSBOT_STATS_PATH={workdir / 'stats.json'}",
        "-s", f"LOG_FILE={workdir / 'crawl.log'}",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        *args,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    first_request = len(server.requests) if server else 0
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True,
                               timeout=CRAWL_TIMEOUT)
    log_path = workdir / "crawl.log"
    log = log_path.read_text(encoding="utf-8") if log_path.exists() else ""
    stats_path = workdir / "stats.json"
    stats = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path.exists() else {}
    return Crawl(returncode=completed.returncode, output=output, workdir=workdir,
                 log=log + completed.stdout + completed.stderr, stats=stats,
                 requests=list(server.requests[first_request:]) if server else [])


@pytest.fixture(scope="session")
def site():
    with SiteServer(root=SITE_DIR) as server:
        yield server


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads((SITE_DIR / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def full_crawl(site, tmp_path_factory) -> Crawl:
    """One complete crawl of the site copy, shared by the end-to-end tests."""
    crawl = run_crawl(site.url, tmp_path_factory.mktemp("full-crawl"), server=site)
    assert crawl.returncode == 0, crawl.log[-3000:]
    return crawl


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One redis-server for the session. Missing: the run fails in CI, is skipped locally."""
    from tests.redis_server import RedisServer, redis_server_binary

    if redis_server_binary() is None:
        message = "redis-server is not installed (Debian: apt-get install redis-server; .ci/run does it)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.exit(f"CI: {message}", returncode=1)
        pytest.skip(message)
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_server) -> str:
    """The session's Redis, emptied for this test."""
    redis_server.client().flushall()
    return redis_server.url
