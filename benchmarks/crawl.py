"""Crawl speed: a full newsbot crawl of the generated loopback site vs ``scrapy bench``, and
the time of a no-op cron run over that site once every article is known.

* ``scrapy bench`` (Scrapy's own no-item spider against its own local server, run outside
  the project so that none of newsbot's settings apply) and ``scrapy crawl trtworld`` over
  ``benchmarks/bigsite.py`` with every pipeline on and politeness off (no delay, no
  AutoThrottle, Scrapy's default concurrency of 16 requests, 8 per domain), rounds
  interleaved; pages/min = responses / elapsed seconds of the crawl's own stats, median.
* The cron run: ``SCRAPY_PROJECT=cron scrapy crawl trtworld`` once to learn every article,
  then again over the unchanged site (the sitemap lists all of them): its wall time, from
  process start to exit, median of the repeats.

A benchmark, not a test: figures depend on the machine and its load.

    python benchmarks/crawl.py [--articles 10000] [--rounds 3] [--cron-rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.bigsite import BigSite  # noqa: E402

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "CONCURRENT_REQUESTS=16",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO", "-s", "LOGSTATS_INTERVAL=60"]
STAT = re.compile(r"'(downloader/response_count|elapsed_time_seconds|item_scraped_count)': ([0-9.]+)")


def stats_of(log: str) -> dict[str, float]:
    return {name: float(value) for name, value in STAT.findall(log)}


def pages_per_minute(log: str) -> float:
    stats = stats_of(log)
    return 60 * stats.get("downloader/response_count", 0) / max(stats.get("elapsed_time_seconds", 1), 1e-9)


def scrapy_bench() -> float:
    with tempfile.TemporaryDirectory() as outside:  # no scrapy.cfg: Scrapy's defaults only
        run = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", "LOGSTATS_INTERVAL=60"],
                             cwd=outside, capture_output=True, text=True, env=_env(None))
    return pages_per_minute(run.stderr)


def newsbot_crawl(site: BigSite, data: Path) -> tuple[float, dict]:
    out = data / "items.jsonl"
    run = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "trtworld", *FAST, "-o", str(out)],
                         cwd=REPO, capture_output=True, text=True, env=_env(site.url, data))
    if run.returncode not in (0,):
        print(run.stderr[-2000:], file=sys.stderr)
    out.unlink(missing_ok=True)
    return pages_per_minute(run.stderr), stats_of(run.stderr)


def cron_run(site: BigSite, data: Path) -> tuple[float, int]:
    env = _env(site.url, data)
    env["SCRAPY_PROJECT"] = "cron"
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "trtworld", *FAST],
                         cwd=REPO, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, run.returncode


def _env(site_url: str | None, data: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("SCRAPY_PROJECT", "SCRAPY_SETTINGS_MODULE")}
    if site_url:
        env["NEWSBOT_SITE_URL"] = site_url
    if data:
        env["NEWSBOT_DATA_DIR"] = str(data)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cron-rounds", type=int, default=3, help="no-op cron runs (0: skip the cron part)")
    args = parser.parse_args()
    with BigSite(articles=args.articles) as site, tempfile.TemporaryDirectory() as scratch:
        print(f"loopback site: {args.articles} articles at {site.url}")
        bench, crawl = [], []
        for round_ in range(args.rounds):
            bench.append(scrapy_bench())
            data = Path(scratch) / f"crawl-{round_}"
            rate, stats = newsbot_crawl(site, data)
            crawl.append(rate)
            print(f"  round {round_ + 1}: scrapy bench {bench[-1]:.0f} pages/min, newsbot {rate:.0f} pages/min "
                  f"({stats.get('item_scraped_count', 0):.0f} items, {stats.get('downloader/response_count', 0):.0f} "
                  f"responses in {stats.get('elapsed_time_seconds', 0):.0f} s)")
        print(f"{'scrapy bench (median)':<40}{statistics.median(bench):>8.0f} pages/min")
        print(f"{'newsbot full crawl (median)':<40}{statistics.median(crawl):>8.0f} pages/min")
        print(f"{'ratio newsbot / scrapy bench':<40}{statistics.median(crawl) / statistics.median(bench):>8.2f}x   (goal >= 1x)")
        if args.cron_rounds:
            data = Path(scratch) / "cron"
            learn, code = cron_run(site, data)
            print(f"cron run learning {args.articles} articles: {learn:.0f} s (exit {code})")
            times = []
            for _ in range(args.cron_rounds):
                seconds, code = cron_run(site, data)
                times.append(seconds)
                print(f"  no-op cron run: {seconds:.1f} s (exit {code})")
            print(f"{'no-op cron run (median)':<40}{statistics.median(times):>8.1f} s   (goal <= 8 s)")


if __name__ == "__main__":
    main()
