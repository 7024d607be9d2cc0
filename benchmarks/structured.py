"""Structured-data readers side by side: newsbot's own (JSON-LD, meta tags; microdata and,
on pages with RDFa attributes, RDFa by extruct) against extruct for everything, on the
pages of the site copy.

    python benchmarks/structured.py [--rounds 7]

Every reader gets the page's one parsed tree (as in a crawl) except extruct with RDFa, which
needs its own DOM parse of the text; newsbot's layers are built as ``ArticlePage`` builds
them (a page whose bytes do not mention ``itemscope``/``typeof`` skips those readers). Prints microseconds per page (median of interleaved
rounds), the ratio to newsbot's path, and what each reader found (correctness):
JSON-LD objects, pages with an article object, ``og:``/``article:`` values, and the page
with a broken JSON-LD block.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

import extruct
from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor
from parsel import Selector

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapy.http import HtmlResponse  # noqa: E402

from newsbot.agreement import page_agreement  # noqa: E402
from newsbot.pages import ArticlePage  # noqa: E402
from newsbot.pages.structured import ARTICLE_TYPES, JsonLd, Meta, _types  # noqa: E402
from newsbot.urls import SiteRules  # noqa: E402

PAGES = Path(__file__).resolve().parent.parent / "tests" / "site" / "pages"


SITE = SiteRules("https://www.trtworld.com")


def own(response):
    """The layers as a crawl builds them (ArticlePage: the byte pre-filters included)."""
    page = ArticlePage(response, SITE)
    return page.jsonld, page.meta, page.microdata, page.rdfa


def extruct_tree(response):
    return extruct.extract(response.selector.root,
                           syntaxes=["json-ld", "opengraph", "microdata", "dublincore"], errors="ignore")


def extruct_rdfa(response):
    return extruct.extract(response.text, syntaxes=["json-ld", "opengraph", "microdata", "dublincore", "rdfa"],
                           errors="ignore")


READERS = [("newsbot (jsonld+meta own; microdata, rdfa extruct)", own),
           ("extruct json-ld+og+microdata+dc (tree)", extruct_tree),
           ("extruct + rdfa (re-parses the text)", extruct_rdfa)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    texts = [p.read_text(encoding="utf-8") for p in sorted(PAGES.rglob("*.html"))]
    responses = [HtmlResponse(url="https://www.trtworld.com/article/13099992", body=t.encode("utf-8"),
                              encoding="utf-8") for t in texts]
    roots = [r.selector.root for r in responses]
    print(f"{len(texts)} site-copy pages, {sum(map(len, texts)) // len(texts):,} characters on average")
    timings: dict[str, list[float]] = {name: [] for name, _ in READERS}
    parse: list[float] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in texts:
            Selector(text=text)
        parse.append((time.perf_counter() - start) / len(texts))
        for name, reader in READERS:
            start = time.perf_counter()
            for response in responses:
                reader(response)
            timings[name].append((time.perf_counter() - start) / len(texts))
    base = statistics.median(timings[READERS[0][0]])
    print(f"{'lxml parse (reference)':48s} {statistics.median(parse) * 1e6:9.1f} us/page")
    for name, _ in READERS:
        median = statistics.median(timings[name])
        print(f"{name:48s} {median * 1e6:9.1f} us/page  {median / base:5.2f}x newsbot")

    # correctness
    own_objects = own_articles = extruct_objects = extruct_articles = 0
    own_og = extruct_og = lost_pages = 0
    for root in roots:
        data, meta = JsonLd(Scripts(root)), Meta(root)
        own_objects += len(data.objects)
        own_articles += data.article is not None
        own_og += sum(len(v) for k, v in meta.values.items() if k.startswith(("og:", "article:")))
        try:
            items = JsonLdExtractor().extract_items(root)
        except Exception:
            items, lost_pages = [], lost_pages + 1
        extruct_objects += len(items)
        extruct_articles += any(_types(i) & ARTICLE_TYPES for i in items if isinstance(i, dict))
        extruct_og += sum(len(i.get("properties", [])) for i in OpenGraphExtractor().extract_items(root))
    print(f"JSON-LD top-level+graph objects: newsbot {own_objects}, extruct {extruct_objects} "
          f"(top level only); pages with an article object: newsbot {own_articles}, "
          f"extruct {extruct_articles}")
    print(f"pages whose JSON-LD extruct could not read at all (one broken block): {lost_pages} "
          f"(newsbot counts the broken block and keeps the others)")
    print(f"og:/article: values read: newsbot {own_og}, extruct {extruct_og}")
    agreement_cost(texts, args.rounds)


def agreement_cost(texts: list[str], rounds: int) -> None:
    """What counting layer agreement adds to a page's extraction (the crawl does both)."""
    site = SITE
    bodies = [t.encode("utf-8") for t in texts if "<h1" in t]

    def item_only(body):
        ArticlePage(HtmlResponse(url="https://www.trtworld.com/article/13099992", body=body), site).to_item()

    def with_agreement(body):
        page = ArticlePage(HtmlResponse(url="https://www.trtworld.com/article/13099992", body=body), site)
        page.to_item()
        list(page_agreement(page))

    timings: dict[str, list[float]] = {"to_item": [], "to_item + agreement": []}
    for _ in range(rounds):
        for name, work in (("to_item", item_only), ("to_item + agreement", with_agreement)):
            start = time.perf_counter()
            for body in bodies:
                work(body)
            timings[name].append((time.perf_counter() - start) / len(bodies))
    base = statistics.median(timings["to_item"])
    for name, values in timings.items():
        print(f"{name:48s} {statistics.median(values) * 1e6:9.1f} us/page  "
              f"{statistics.median(values) / base:5.2f}x to_item")


if __name__ == "__main__":
    main()
