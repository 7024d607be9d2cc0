"""A generated loopback copy of the site with many articles, for crawl benchmarks.

``BigSite(articles=10_000)`` serves, on 127.0.0.1 (a free port unless one is given):

* ``/robots.txt`` (allow all, with a ``Sitemap:`` line) and ``/sitemap.xml``: every article
  with its ``lastmod``, so an incremental run sees all of them again;
* ``/feed/rss.xml``: the 100 newest articles;
* ``/`` and six section pages ``/<section>``: 50 article links each;
* ``/article/<12 hex>``: gen-3 article pages (about 10 KB) in the reading order of SITE.md,
  with flight data, a byline, a ``SOURCE:`` line and an Explore block of 15 links to other
  articles (the graph reaches every article from the homepage too).

Every page is a RECONSTRUCTION, not a capture of the live site: the body text is the stored
visible text of the real seed article (tests/data/seed-13099992.txt), headlines are the real
Explore headlines of that page, numbered so that no two articles share a title and day.
Pages are rendered on request (nothing is written to disk) and are the same for the same
``articles`` and index, so a second crawl sees an unchanged site.

Use (helper sessions and other benchmarks import it; run from the repository root)::

    from benchmarks.bigsite import BigSite
    with BigSite(articles=10_000) as site:
        site.url            # "http://127.0.0.1:54321": pass as NEWSBOT_SITE_URL
        site.article_url(7)
        site.served         # requests answered so far

By hand: ``python benchmarks/bigsite.py --articles 10000 --port 8000``.
"""

from __future__ import annotations

import argparse
import html
import json
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "tests" / "data" / "seed-13099992.txt"
SECTIONS = ("world", "middle-east", "turkiye", "asia", "africa", "opinion")
EXPLORE_LINKS = 15
LISTING_LINKS = 50
FEED_ITEMS = 100
FIRST_PUBLISHED = datetime(2025, 1, 1, 8, 0, tzinfo=timezone.utc)


def _seed_parts() -> tuple[list[str], list[str]]:
    """(body paragraphs, Explore headlines) of the stored real page."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    source = next(i for i, line in enumerate(lines) if line.startswith("SOURCE:"))
    explore = lines.index("Explore")
    date_line = next(i for i, line in enumerate(lines) if line == "November 25, 2017")
    body = [line for line in lines[date_line + 1:source] if line not in ("Recommended",)
            and not line.startswith("Related TRT Global")]
    headlines = [line for line in lines[explore + 1:] if not line.startswith(("By ", "Sneak a peek", "Contact us"))]
    return body, headlines


class BigSite:
    """``articles`` generated article pages and their discovery pages, served on loopback."""

    def __init__(self, articles: int = 10_000, host: str = "127.0.0.1", port: int = 0):
        self.articles = articles
        self.body, self.headlines = _seed_parts()
        self.served = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real server

            def do_GET(self):  # noqa: N802 (http.server's name)
                status, content_type, body = site.render(self.path.split("?", 1)[0])
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                with site._lock:
                    site.served += 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> BigSite:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the site ------------------------------------------------------------------

    def article_id(self, index: int) -> str:
        return "%012x" % (0xB16000000000 + index)

    def article_path(self, index: int) -> str:
        return f"/article/{self.article_id(index)}"

    def article_url(self, index: int) -> str:
        return self.url + self.article_path(index)

    def headline(self, index: int) -> str:
        return f"{self.headlines[index % len(self.headlines)]} ({index + 1})"

    def published(self, index: int) -> datetime:
        return FIRST_PUBLISHED + timedelta(minutes=37 * index)

    def explore(self, index: int) -> list[int]:
        """15 other articles: the next one (so a chain reaches every article) and a spread."""
        return [(index + 1 + k * (k + 7) * 131) % self.articles for k in range(EXPLORE_LINKS)]

    def render(self, path: str) -> tuple[int, str, bytes]:
        html_type = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {self.url}/sitemap.xml\n".encode()
        if path == "/sitemap.xml":
            return 200, "application/xml", self.sitemap()
        if path == "/feed/rss.xml":
            return 200, "application/rss+xml", self.feed()
        if path == "/":
            return 200, html_type, self.listing("TRT World", range(0, LISTING_LINKS))
        if path.strip("/") in SECTIONS:
            start = SECTIONS.index(path.strip("/")) * LISTING_LINKS
            return 200, html_type, self.listing(path.strip("/").upper(), range(start, start + LISTING_LINKS))
        if path.startswith("/article/"):
            try:
                index = int(path[len("/article/"):], 16) - 0xB16000000000
            except ValueError:
                index = -1
            if 0 <= index < self.articles:
                return 200, html_type, self.article(index)
        return 404, html_type, b"<html><body><h1>404</h1><p>Page not found</p></body></html>"

    def sitemap(self) -> bytes:
        urls = "".join(f"<url><loc>{self.article_url(i)}</loc><lastmod>{self.published(i).isoformat()}</lastmod></url>"
                       for i in range(self.articles))
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}</urlset>").encode()

    def feed(self) -> bytes:
        newest = range(self.articles - 1, max(self.articles - 1 - FEED_ITEMS, -1), -1)
        items = "".join(f"<item><title>{html.escape(self.headline(i))}</title><link>{self.article_path(i)}</link>"
                        f"<pubDate>{self.published(i).strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
                        for i in newest)
        return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>TRT World</title>{items}</channel></rss>'.encode()

    def navigation(self) -> str:
        return "".join(f'<a href="/{s}">{s.replace("-", " ").upper()}</a>' for s in SECTIONS)

    def listing(self, title: str, indexes) -> bytes:
        cards = "".join(f'<li><a href="{self.article_path(i % self.articles)}"><h3>{html.escape(self.headline(i % self.articles))}</h3></a></li>'
                        for i in indexes)
        return (f'<!-- RECONSTRUCTION generated by benchmarks/bigsite.py --><!DOCTYPE html><html lang="en"><head>'
                f'<meta charset="utf-8"><title>{title} - TRT World</title></head><body><header><nav>{self.navigation()}</nav>'
                f'</header><main><h1>{title}</h1><ul>{cards}</ul></main><footer><a href="/contact-us">Contact us</a></footer>'
                "</body></html>").encode()

    def article(self, index: int) -> bytes:
        headline, published = self.headline(index), self.published(index)
        description = self.body[0]
        section = SECTIONS[index % len(SECTIONS)].replace("-", " ").upper()
        explore = "".join(f'<li><a href="{self.article_path(i)}"><h3>{html.escape(self.headline(i))}</h3></a></li>'
                          for i in self.explore(index))
        paragraphs = "".join(f"<p>{html.escape(text)}</p>" for text in self.body)
        content = {"slug": self.article_id(index), "title": headline, "description": description,
                   "publishedAt": published.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                   "coverImage": {"url": f"https://cdn-i.pr.trt.com.tr/trtworld/{index}.jpeg",
                                  "title": f"{headline} / AFP"}}
        row = "1:" + json.dumps(["$", "main", None, {"children": ["$", "$L2", None, {"content": content}]}],
                                ensure_ascii=False) + "\n"
        flight = json.dumps([1, row], ensure_ascii=False)
        return (
            "<!-- RECONSTRUCTION generated by benchmarks/bigsite.py from the seed article's real text -->"
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(headline)} - TRT World</title>'
            f'<meta name="description" content="{html.escape(description)}"></head><body>'
            f'<header class="site-header"><a class="logo" href="/">TRT World</a><nav>{self.navigation()}</nav></header>'
            f'<main><article><header class="article-header"><span class="label">{section}</span>'
            f'<span class="read-time">4 MIN READ</span><h1>{html.escape(headline)}</h1>'
            f'<p class="standfirst">{html.escape(description)}</p>'
            f'<figure><img src="https://cdn-i.pr.trt.com.tr/trtworld/{index}.jpeg" alt="{html.escape(headline)}">'
            f'<figcaption>{html.escape(headline)} / AFP</figcaption></figure>'
            '<div class="byline">By <a href="/author/staff-reporter">Staff Reporter</a></div>'
            f'<time class="date">{published.strftime("%B %-d, %Y")}</time></header>'
            f'<div class="article-body">{paragraphs}</div><p class="source">SOURCE:AFP</p></article>'
            f'<section class="explore"><h2>Explore</h2><ul>{explore}</ul></section></main>'
            '<footer class="site-footer"><p>Sneak a peek at TRT Global. Share your feedback!</p>'
            '<a href="/contact-us">Contact us</a></footer>'
            f"<script>self.__next_f.push({flight})</script></body></html>"
        ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    with BigSite(articles=args.articles, port=args.port) as site:
        print(f"serving {args.articles} articles at {site.url} (Ctrl-C to stop)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
