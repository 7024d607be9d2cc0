"""A benchmark set of article pages of realistic size, generated from the local site copy.

The site copy's article pages (tests/site, 5-15 KB each) carry the article and little else.
Pages of the real site weigh 200-600 KB, mostly not article: navigation menus, an SVG icon
sprite, rails of story cards, ad slots, a long footer, script tags, inline JavaScript bundles
and, on gen-3 pages, tens of Next.js flight chunks describing the whole component tree. This
module pads each site-copy article page with such blocks (deterministically, from a seed) up to
a target size drawn from 200-600 KB, keeping the article itself untouched: a padded page must
extract to the same item as its original (``check_same_items`` verifies it).

The padding is invented (no real page of the site is available offline): it follows the
common shape of Next.js and Nuxt news sites, and its text is taken from the site copy.

    python benchmarks/pageset.py            # describe the set and check items are unchanged
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent.parent / "tests" / "site"
SITE_URL = "https://www.trtworld.com"
SECTIONS = ["middle-east", "turkiye", "asia", "africa", "europe", "americas", "opinion", "magazine",
            "business", "sport", "life", "climate", "infographics", "features", "war-on-gaza"]
MIN_SIZE, MAX_SIZE = 200_000, 600_000
WORDS = re.compile(r"[A-Za-z]{3,}")


def site_article_pages() -> list[tuple[str, bytes]]:
    """(url, body) of every article page of the site copy that is served with HTTP 200."""
    from newsbot.urls import SiteRules

    routes = json.loads((SITE_DIR / "routes.json").read_text(encoding="utf-8"))
    site = SiteRules(SITE_URL)
    pages = []
    for path, route in sorted(routes.items()):
        if route.get("status", 200) == 200 and "file" in route and "html" in route.get("content_type", "html"):
            if site.is_article(SITE_URL + path):
                pages.append((SITE_URL + path, (SITE_DIR / route["file"]).read_bytes()))
    return pages


def _headlines(pages: list[tuple[str, bytes]]) -> list[str]:
    found = set()
    for _, body in pages:
        for match in re.finditer(rb"<h[123][^>]*>([^<]{20,160})</h[123]>", body):
            found.add(match.group(1).decode("utf-8", "replace"))
    return sorted(found)


class Padder:
    def __init__(self, headlines: list[str], rng: random.Random):
        self.headlines = headlines
        self.rng = rng
        self.words = sorted({w.lower() for h in headlines for w in WORDS.findall(h)})

    def hexid(self) -> str:
        return "%012x" % self.rng.getrandbits(48)

    def headline(self) -> str:
        return self.rng.choice(self.headlines)

    def ident(self) -> str:
        return self.rng.choice("abcdefghijklmnopqrstuvwxyz") + self.rng.choice(self.words)[:6]

    def sprite(self, icons: int) -> str:
        paths = []
        for i in range(icons):
            d = "M" + " ".join(f"{self.rng.uniform(0, 24):.2f} {self.rng.uniform(0, 24):.2f}"
                               for _ in range(self.rng.randint(10, 40)))
            paths.append(f'<symbol id="icon-{i}" viewBox="0 0 24 24"><path fill="currentColor" d="{d}Z"/></symbol>')
        return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{"".join(paths)}</svg>'

    def mega_menu(self) -> str:
        columns = []
        for section in SECTIONS:
            items = "".join(
                f'<li class="menu-item"><a class="menu-link" href="/article/{self.hexid()}">'
                f'<span class="menu-text">{self.headline()}</span></a></li>' for _ in range(self.rng.randint(6, 14)))
            columns.append(f'<div class="menu-column"><a class="menu-title" href="/{section}">'
                           f'<span>{section.replace("-", " ").upper()}</span></a><ul class="menu-list">{items}</ul></div>')
        return ('<header class="mega-header"><div class="top-bar"><a class="logo" href="/">'
                '<svg><use href="#icon-0"/></svg></a><button class="menu-toggle" aria-label="Menu">'
                '<svg><use href="#icon-1"/></svg></button></div>'
                f'<nav class="mega-menu" aria-label="All sections">{"".join(columns)}</nav></header>')

    def card(self) -> str:
        return (f'<div class="card"><a class="card-link" href="/article/{self.hexid()}">'
                f'<picture><source srcset="https://cdn-i.pr.trt.com.tr/trtworld/w480/h270/q70/{self.rng.getrandbits(32)}.webp">'
                f'<img loading="lazy" src="https://cdn-i.pr.trt.com.tr/trtworld/w480/h270/q70/{self.rng.getrandbits(32)}.jpeg" alt=""></picture>'
                f'<span class="card-section">{self.rng.choice(SECTIONS).upper()}</span>'
                f'<h3 class="card-title">{self.headline()}</h3>'
                f'<span class="card-time">{self.rng.randint(1, 23)} hours ago</span></a></div>')

    def promo(self) -> str:
        """The site's inline promos inside the body (SITE.md): not article text."""
        if self.rng.random() < 0.5:
            return (f'<div class="promo"><p>Recommended</p><p><a href="/article/{self.hexid()}">'
                    f'{self.headline()}</a></p></div>')
        return f'<p class="promo-inline">Related TRT Global - <a href="/article/{self.hexid()}">{self.headline()}</a></p>'

    def grid(self, size: int) -> str:
        """Sections of story cards in nested layout wrappers, as a rendered homepage-like rail."""
        parts, total = [], 0
        while total < size:
            cards = "".join(f'<div class="col-span-12 md:col-span-6 lg:col-span-3 flex flex-col gap-2">{self.card()}</div>'
                            for _ in range(8))
            block = (f'<section class="mx-auto max-w-screen-xl px-4"><div class="grid grid-cols-12 gap-6">'
                     f'<div class="col-span-12 flex items-center justify-between border-b"><h2 class="text-xl font-bold">'
                     f'{self.rng.choice(SECTIONS).replace("-", " ").upper()}</h2><a href="/{self.rng.choice(SECTIONS)}">'
                     f'<span>See all</span><svg><use href="#icon-2"/></svg></a></div>{cards}</div></section>')
            parts.append(block)
            total += len(block)
        return f'<div class="more-stories">{"".join(parts)}</div>'

    def rail(self, title: str, cards: int) -> str:
        return (f'<div class="rail"><h2 class="rail-title">{title}</h2><div class="rail-cards">'
                f'{"".join(self.card() for _ in range(cards))}</div></div>')

    def ad_slot(self) -> str:
        slot = self.rng.getrandbits(24)
        return (f'<div class="ad-slot" id="div-gpt-ad-{slot}" data-ad-unit="/1234/trtworld/article">'
                f'<iframe title="advertisement" src="about:blank" width="728" height="90"></iframe></div>')

    def footer_links(self, count: int) -> str:
        links = "".join(f'<li><a href="/{self.rng.choice(SECTIONS)}">{self.headline()[:40]}</a></li>' for _ in range(count))
        return f'<div class="footer-sitemap"><ul>{links}</ul></div>'

    def javascript(self, size: int) -> str:
        parts, total = [], 0
        while total < size:
            name, arg = self.ident(), self.ident()
            piece = (f'function {name}({arg},t){{var n={arg}.{self.ident()}||{{}};'
                     f'return n["{self.ident()}"]=t+{self.rng.randint(0, 999)},'
                     f'{arg}.{self.ident()}(n)&&{self.ident()}.push("{self.rng.choice(self.words)}"),n}}')
            parts.append(piece)
            total += len(piece)
        return f'<script>!function(){{"use strict";{";".join(parts)}}}();</script>'

    def style(self, size: int) -> str:
        rules, total = [], 0
        while total < size:
            rule = (f'.{self.ident()}-{self.rng.randint(0, 99)}{{display:flex;margin:{self.rng.randint(0, 32)}px;'
                    f'color:#{self.rng.getrandbits(24):06x};font-size:{self.rng.randint(10, 40)}px}}')
            rules.append(rule)
            total += len(rule)
        return f'<style>{"".join(rules)}</style>'

    def flight_rows(self, size: int, article_id: str) -> str:
        """RSC rows: component-tree rows and card lists; a few mention the article's own URL."""
        rows, total, row = [], 0, 0x40
        while total < size:
            row += 1
            if row % 25 == 0:
                value = ["$", "div", None, {"className": "share", "children": [
                    ["$", "a", None, {"href": f"https://twitter.com/intent/tweet?url=/article/{article_id}",
                                      "children": "Share"}]]}]
            elif row % 3 == 0:
                value = {"items": [{"slug": self.hexid(), "title": self.headline(), "publishedAt":
                                    f"2025-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}T10:00:00.000Z",
                                    "coverImage": {"url": f"https://cdn-i.pr.trt.com.tr/trtworld/{self.rng.getrandbits(32)}.jpeg"}}
                                   for _ in range(8)]}
            else:
                value = ["$", "div", None, {"className": f"{self.ident()} {self.ident()}", "children": [
                    ["$", "$L%x" % self.rng.randint(1, 60), None, {"title": self.headline(), "href": f"/article/{self.hexid()}"}]
                    for _ in range(4)]}]
            text = "%x:%s\n" % (row, json.dumps(value, separators=(",", ":"), ensure_ascii=False))
            rows.append(text)
            total += len(text)
        payload = "".join(rows)
        chunks = [payload[i:i + 6000] for i in range(0, len(payload), 6000)]
        return "".join(f'<script>self.__next_f.push({json.dumps([1, chunk], ensure_ascii=False)})</script>' for chunk in chunks)


def padded_page(url: str, body: bytes, target: int, rng: random.Random, headlines: list[str]) -> bytes:
    """The article page ``body`` padded with realistic non-article blocks to about ``target`` bytes."""
    pad = Padder(headlines, rng)
    html = body.decode("utf-8")
    article_id = url.rsplit("/", 1)[-1].rsplit("-", 1)[-1]
    gen3 = "/article/" in url
    head = "".join(f'<link rel="preload" as="script" href="/_next/static/chunks/{pad.hexid()}.js">' for _ in range(30))
    head += pad.style(30_000)
    top = (pad.sprite(60) + pad.mega_menu() + pad.ad_slot()
           + pad.rail("Most read", 12) + pad.rail("Latest", 12) + pad.ad_slot())
    footer = pad.footer_links(120)
    scripts = "".join(f'<script src="/_next/static/chunks/{pad.hexid()}.js" async></script>' for _ in range(25))
    scripts += ('<script id="__CONFIG__" type="application/json">'
                + json.dumps({"gtm": "GTM-XXXX", "features": {pad.ident(): True for _ in range(200)}}) + "</script>")
    html = html.replace("</head>", head + "</head>", 1)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, html, count=1)
    html = html.replace("</footer>", footer + "</footer>", 1)
    # Two inline promos after the body's second and fourth paragraph (inside the article).
    headline_at = html.find("<h1")
    ends = [i for i in (html.find("SOURCE", headline_at), html.find(">Explore<", headline_at)) if i > 0]
    body_end = min(ends, default=len(html))
    for nth in (4, 2):
        at = headline_at
        for _ in range(nth):
            at = html.find("</p>", at + 1) if at >= 0 else -1
        if 0 < at < body_end and html.rfind("<p", 0, body_end) > at:
            html = html[:at + 4] + pad.promo() + html[at + 4:]
    # The rest: rendered story grids before the footer's scripts, inline JS, flight data.
    remaining = target - len((html + scripts).encode("utf-8"))
    grids = pad.grid(int(remaining * (0.45 if gen3 else 0.7)))
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + grids, html, count=1)
    remaining -= len(grids.encode("utf-8"))
    if gen3:
        flight = pad.flight_rows(int(remaining * 0.8), article_id)
        scripts += pad.javascript(max(remaining - len(flight.encode("utf-8")), 0))
        scripts += "<script>self.__next_f.push([1,\"\\n\"])</script>" + flight
    else:
        scripts += pad.javascript(max(remaining, 0))
    return html.replace("</body>", scripts + "</body>", 1).encode("utf-8")


def benchmark_pages(count: int = 36, seed: int = 11) -> list[tuple[str, bytes]]:
    """``count`` padded pages (cycling over the site copy's articles), 200-600 KB each."""
    originals = site_article_pages()
    headlines = _headlines(originals)
    rng = random.Random(seed)
    pages = []
    for index in range(count):
        url, body = originals[index % len(originals)]
        pages.append((url, padded_page(url, body, rng.randint(MIN_SIZE, MAX_SIZE), rng, headlines)))
    return pages


def check_same_items(pages: list[tuple[str, bytes]]) -> list[str]:
    """URLs whose padded page extracts differently from the original page (should be none)."""
    from scrapy.utils.project import get_project_settings

    from newsbot.offline import OfflinePipelines, extract

    settings = get_project_settings()
    pipelines = OfflinePipelines(settings)
    originals = dict(site_article_pages())
    differ = []
    for url, body in pages:
        items = [extract(b, url, settings, pipelines).item for b in (originals[url], body)]
        for item in items:
            if item is not None:
                item.scraped_at = None
        if items[0] != items[1]:
            differ.append(url)
    return differ


def describe(pages: list[tuple[str, bytes]]) -> str:
    sizes = sorted(len(body) for _, body in pages)
    gen3 = sum("/article/" in url for url, _ in pages)
    return (f"{len(pages)} pages ({gen3} gen-3 with flight data), {sizes[0] // 1024}-{sizes[-1] // 1024} KB, "
            f"median {sizes[len(sizes) // 2] // 1024} KB, {sum(sizes) / 2**20:.1f} MiB in all")


if __name__ == "__main__":
    pages = benchmark_pages()
    print(describe(pages))
    differ = check_same_items(pages)
    print(f"padded pages extracting differently from their original: {len(differ)}")
    for url in differ:
        print("  ", url)
