"""Extraction speed: bare lxml parse vs newsbot's full extraction and normalisation.

Runs both over the article pages of the local site copy (tests/site), in one process, and
prints pages per second side by side. A benchmark, not a test: the figures depend on the
machine and its load, so run it a few times and compare ratios, not absolute numbers.

    python benchmarks/extraction.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import lxml.html
from scrapy.utils.project import get_project_settings

from newsbot.offline import OfflinePipelines, extract
from newsbot.urls import SiteRules

SITE_DIR = Path(__file__).resolve().parent.parent / "tests" / "site"
SITE_URL = "https://www.trtworld.com"


def article_pages() -> list[tuple[str, bytes]]:
    routes = json.loads((SITE_DIR / "routes.json").read_text(encoding="utf-8"))
    site = SiteRules(SITE_URL)
    pages = []
    for path, route in sorted(routes.items()):
        if route.get("status", 200) == 200 and "file" in route and "html" in route.get("content_type", "html"):
            if site.is_article(SITE_URL + path):
                pages.append((SITE_URL + path, (SITE_DIR / route["file"]).read_bytes()))
    return pages


def pages_per_second(work, pages, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for url, body in pages:
            work(url, body)
    return rounds * len(pages) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    pages = article_pages()
    settings = get_project_settings()
    pipelines = OfflinePipelines(settings)
    size = sum(len(body) for _, body in pages)
    print(f"{len(pages)} article pages, {size / 1024:.0f} KiB, {args.rounds} rounds")
    bare = pages_per_second(lambda url, body: lxml.html.fromstring(body), pages, args.rounds)
    full = pages_per_second(lambda url, body: extract(body, url, settings, pipelines), pages, args.rounds)
    print(f"{'bare lxml parse':<34}{bare:>10.0f} pages/s")
    print(f"{'newsbot extraction + pipelines':<34}{full:>10.0f} pages/s")
    print(f"{'ratio (lxml / newsbot)':<34}{bare / full:>10.1f}x")


if __name__ == "__main__":
    main()
