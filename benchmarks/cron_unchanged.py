"""Cron run over an unchanged site: how long a run takes when every article is known.

Builds a synthetic site copy of N articles in memory (served by tests/site_server.py on
127.0.0.1; every page a RECONSTRUCTION with one real sentence of the seed article), each
linking to the next three through its Explore block, all in one sitemap. Runs the cron
profile once to fill the state (not timed), then again over the unchanged site (timed), and
prints the figures; with ``--reference DIR`` (another checkout of newsbot, e.g.
``git worktree add /tmp/ref main``) it does the same with that code and prints both side by
side. A benchmark, not a test: the figures depend on the machine and its load.

    python benchmarks/cron_unchanged.py [--articles 10000] [--reference /tmp/ref]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.site_server import SiteServer  # noqa: E402

SENTENCE = ("Iraqi forces thrust north from the Euphrates Valley into the desert on Saturday, opening up "
            "a new front in the drive to flush out fugitive Daesh militants, a commander said.")


def article_id(number: int) -> str:
    return f"{number:012x}"


def build_site(server: SiteServer, count: int) -> None:
    html = {"status": 200, "content_type": "text/html; charset=utf-8"}
    for number in range(count):
        links = "".join(f'<li><a href="/article/{article_id((number + step) % count)}">Story {number + step}</a></li>'
                        for step in (1, 2, 3))
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": f"Story {number}",
                         "datePublished": "2025-02-28T07:24:49Z",
                         "author": {"@type": "Person", "name": "Staff Reporter"}})
        page = (f"<!DOCTYPE html><!-- RECONSTRUCTION (benchmarks/cron_unchanged.py) --><html lang=\"en\"><head>"
                f"<script type=\"application/ld+json\">{ld}</script></head><body><main><article>"
                f"<div>WORLD</div><h1>Story {number}</h1><p>By Staff Reporter</p><p>{SENTENCE}</p>"
                f"<p>Paragraph {number}.</p><h2>Explore</h2><ul>{links}</ul></article></main></body></html>")
        server.set_route(f"/article/{article_id(number)}", html, body=page.encode())
    urls = "".join(f"<url><loc>https://www.trtworld.com/article/{article_id(n)}</loc>"
                   f"<lastmod>2025-02-28T07:24:49+00:00</lastmod></url>" for n in range(count))
    server.set_route("/sitemap.xml", {"status": 200, "content_type": "application/xml"},
                     body=f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          f'{urls}</urlset>'.encode())
    server.set_route("/robots.txt", {"status": 200, "content_type": "text/plain"}, body=b"User-agent: *\nAllow: /\n")
    home = "".join(f'<a href="/article/{article_id(n)}">Story {n}</a>' for n in range(min(count, 50)))
    server.set_route("/", html, body=f"<!DOCTYPE html><html><body><main>{home}</main></body></html>".encode())


def cron(repo: Path, site_url: str, data: Path) -> tuple[float, int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    env.update(SCRAPY_PROJECT="cron", PYTHONPATH=str(repo))
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "trtworld", "-s", f"NEWSBOT_SITE_URL={site_url}",
                           "-s", f"NEWSBOT_DATA_DIR={data}", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
                           "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSBOT_HEALTH_ENABLED=False"],
                          cwd=repo, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"cron run in {repo} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.returncode


def measure(repo: Path, server: SiteServer, count: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        fill, _ = cron(repo, server.url, data)
        server.clear_requests()
        unchanged, _ = cron(repo, server.url, data)
        articles = sum(1 for _, path in server.requests if path.startswith("/article/"))
    return {"fill_s": fill, "unchanged_s": unchanged, "article_requests": articles, "articles": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--reference", type=Path, help="another newsbot checkout to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        (Path(root) / "routes.json").write_text("{}", encoding="utf-8")
        with SiteServer(root=Path(root)) as server:
            build_site(server, args.articles)
            results = {"this checkout": measure(REPO, server, args.articles)}
            if args.reference:
                results["reference"] = measure(args.reference.resolve(), server, args.articles)
    print(f"{'code':<15} {'articles':>8} {'fill run s':>11} {'unchanged run s':>16} {'article requests':>17}")
    for name, r in results.items():
        print(f"{name:<15} {r['articles']:>8} {r['fill_s']:>11.1f} {r['unchanged_s']:>16.1f} {r['article_requests']:>17}")
    if "reference" in results:
        print(f"unchanged run: reference / this = {results['reference']['unchanged_s'] / results['this checkout']['unchanged_s']:.1f}x")


if __name__ == "__main__":
    main()
