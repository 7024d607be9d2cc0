"""The page engine: the article container finder on a second copy with other markup, the
budgets that bound one page's work, and the crawl loop's link de-duplication.

The pages here are RECONSTRUCTIONS, not captures of the live site: the text is the stored
visible text of the real article www.trtworld.com/article/13099992 (tests/data/seed-13099992.txt,
a copy of ../shared/seeds/), put into markup shapes other than tests/site's (class soup
without <article>/<main>, a logo <h1>, a longer text run in an <aside>, Explore outside the
main element, the section label outside the container, deep wrappers, mega menus).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from newsbot.offline import OfflinePipelines, extract
from newsbot.pages import ArticlePage, jsdata, structured, visible
from newsbot.pages.visible import find_container, text_blocks
from newsbot.spiders.trtworld import TrtWorldSpider
from newsbot.urls import SiteRules

SEED = Path(__file__).parent / "data" / "seed-13099992.txt"
URL = "https://www.trtworld.com/article/13099992"
HEADLINE = "Iraqi forces open new front in final push against Daesh"


def seed() -> dict:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines[0] = lines[0].split("2017-11-25", 1)[1].strip()  # the storer's prefix, not the page's
    source = next(i for i, line in enumerate(lines) if line.startswith("SOURCE:"))
    explore = lines.index("Explore")
    date = lines.index("November 25, 2017")
    return {
        "section": lines[0], "read_time": lines[1], "standfirst": lines[3], "caption": lines[5],
        "byline": lines[6], "date": lines[date], "body": lines[date + 1:source], "source": lines[source],
        "explore": [line for line in lines[explore + 1:] if not line.startswith(("By ", "Sneak a peek", "Contact us"))],
        "footer": [line for line in lines[explore + 1:] if line.startswith(("Sneak a peek", "Contact us"))],
    }


S = seed()
E = html.escape


def paragraphs(tag: str = "p", cls: str = "") -> str:
    out = []
    for text in S["body"]:
        if text == "Recommended" or text.startswith("Related TRT Global"):
            out.append(f'<div class="promo">{E(text)}</div>')
        else:
            out.append(f'<{tag}{cls}>{E(text)}</{tag}>')
    return "".join(out)


def explore_block() -> str:
    links = "".join(f'<div class="card"><a href="/article/{i:012x}"><span class="t">{E(h)}</span></a></div>'
                    for i, h in enumerate(S["explore"], start=1))
    return f'<div class="rail"><div class="rail-title">Explore</div>{links}</div>'


def mega_menu(links: int = 150) -> str:
    items = "".join(f'<li><a href="/article/{0xabc000 + i:012x}">Story {i}</a></li>' for i in range(links))
    return f'<header><div class="logo"><h1>TRT World</h1></div><nav><ul>{items}</ul></nav></header>'


def head_block() -> str:
    return (f'<div class="kicker">{E(S["section"])}</div><div class="rt">{E(S["read_time"])}</div>'
            f'<div class="title-wrap"><h1 class="x1">{HEADLINE}</h1></div>'
            f'<div class="dek">{E(S["standfirst"])}</div>'
            f'<figure><img src="https://cdni0.trtworld.com/w768/q70/13099992.jpg" alt="{HEADLINE}">'
            f'<figcaption>{E(S["caption"])}</figcaption></figure>'
            f'<div class="by">{E(S["byline"])}</div><div class="when">{E(S["date"])}</div>')


def document(body: str) -> bytes:
    return ('<!-- RECONSTRUCTION: seed text of /article/13099992 in other markup (tests/test_engine.py) -->'
            f'<html lang="en"><head><meta charset="utf-8"><title>{HEADLINE}</title></head><body>{body}'
            f'<footer>{"".join(f"<p>{E(t)}</p>" for t in S["footer"])}</footer></body></html>').encode("utf-8")


# Layouts: each a different shape around the same article.
LAYOUTS = {
    # No <article>, no <main>; a logo <h1> and a mega menu first; Explore after the body wrapper.
    "class soup": mega_menu() + (f'<div id="__next"><div class="l-page"><div class="l-col">{head_block()}'
                                 f'<div class="rich">{paragraphs()}</div><div class="src">{E(S["source"])}</div></div>'
                                 f'{explore_block()}</div></div>'),
    # An <aside> whose paragraphs hold more text than the article's.
    "aside with paragraphs": mega_menu() + (
        '<aside class="sidebar">' + "".join(f"<p>{E(t)} {E(t)}</p>" for t in S["body"]) + "</aside>"
        + f'<main><div class="story">{head_block()}<section class="body">{paragraphs()}</section>'
        f'<p>{E(S["source"])}</p></div>{explore_block()}</main>'),
    # The section label outside the element holding headline and body.
    "label outside": mega_menu(40) + (f'<div class="crumbs"><span>{E(S["section"])}</span></div>'
                                      f'<div class="wrap"><div class="rt">{E(S["read_time"])}</div>'
                                      + head_block().split("</div>", 2)[2]
                                      + f'<div class="text">{paragraphs()}</div><div>{E(S["source"])}</div></div>'
                                      + explore_block()),
    # The article inside 1,500 wrapper elements (recursive walks used to overflow).
    "deep wrappers": mega_menu(20) + "<div>" * 1500 + (
        f'{head_block()}<div class="body">{paragraphs()}</div><div>{E(S["source"])}</div>{explore_block()}'
    ) + "</div>" * 1500,
}


@pytest.fixture(scope="module")
def settings():
    return get_project_settings()


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_second_copy_every_layout_extracts_the_article(layout, settings):
    result = extract(document(LAYOUTS[layout]), URL, settings)
    item = result.item
    assert result.rejection is None, result.rejection
    assert item.headline == HEADLINE
    assert item.section == "World"
    assert item.read_time_minutes == 4
    assert item.description.startswith("The move comes as part of an offensive launched on Thursday")
    assert item.byline_raw == "By Staff Reporter"
    assert item.date_published == "2017-11-25"
    assert item.sources == ["Agence France-Presse"]
    body = item.body.split("\n\n")
    assert body[0].startswith("Iraqi forces thrust north from the Euphrates Valley")
    assert body[-1].startswith("It is now being flushed out of its last desert hideouts")
    assert len(body) == 15
    for furniture in ("Recommended", "Related TRT Global", "Story 1", "SOURCE", "Sneak a peek"):
        assert furniture not in item.body
    assert [link.headline for link in item.related] == S["explore"]


def test_container_is_the_element_holding_headline_body_and_explore():
    root = HtmlResponse(URL, body=document(LAYOUTS["class soup"])).selector.root
    headline, container = find_container(root.find("body"))
    assert headline.get("class") == "x1"  # the article's h1, not the logo's
    assert container.get("class") == "l-page"  # widened from l-col to reach the Explore rail
    assert sum(1 for _ in container.iter()) < sum(1 for _ in root.iter()) / 3


def test_a_longer_paragraph_run_in_furniture_is_not_the_body():
    root = HtmlResponse(URL, body=document(LAYOUTS["aside with paragraphs"])).selector.root
    _, container = find_container(root.find("body"))
    assert container.tag == "main" and not container.xpath(".//aside")


def test_without_headline_or_paragraphs_the_whole_page_is_read():
    root = HtmlResponse(URL, body=b"<html><body><div>WORLD</div><div>Text</div></body></html>").selector.root
    assert find_container(root.find("body")) == (None, None)


def test_text_blocks_is_iterative_and_keeps_the_context():
    # 1,900 levels: lxml keeps up to 2,047 (a recursive walk overflowed at about 1,000).
    root = HtmlResponse(URL, body=("<html><body>" + "<div>" * 1900 + "<figure><p>deep <a>link</a></p></figure>"
                                   + "</div>" * 1900 + "</body></html>").encode()).selector.root
    blocks = text_blocks(root.find("body"))
    assert blocks[-1].text == "deep link" and blocks[-1].inside("figure") and not blocks[-1].inside("a")


def test_walk_budget_stops_and_is_counted(monkeypatch):
    monkeypatch.setattr(visible, "MAX_WALK_ELEMENTS", 30)
    page = ArticlePage(HtmlResponse(URL, body=document(LAYOUTS["class soup"])), SiteRules())
    page.to_item()
    assert "visible_too_large" in page.problems


# --- budgets and hostile input (issue 10): outcomes, not timings --------------------------

def test_a_rejected_page_is_freed_at_once_not_at_the_next_garbage_collection(settings):
    # A rejection (here: the second copy, a duplicate) is returned with its reason. Its
    # traceback held the frames of the extraction, and through them the page's parsed tree,
    # in a reference cycle: every rejected page of `scrapy reextract` stayed in memory until
    # the next collection. The page object and its tree must not be cyclic garbage.
    import gc

    from lxml import etree

    pipelines = OfflinePipelines(settings)
    page = document(LAYOUTS[sorted(LAYOUTS)[0]])
    assert extract(page, URL, settings, pipelines).rejection is None
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage to look at
    try:
        rejected = extract(page, URL, settings, pipelines)
        assert "duplicate" in str(rejected.rejection)
        del rejected
        gc.collect()
        held = [type(o).__name__ for o in gc.garbage if isinstance(o, (ArticlePage, etree._Element, HtmlResponse))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert held == []


def gen3_page(scripts: str, extra_head: str = "") -> bytes:
    return (f"<html><head>{extra_head}</head><body><main><h1>{HEADLINE}</h1>{paragraphs()}</main>"
            f"{scripts}</body></html>").encode("utf-8")


def test_flight_push_pattern_repeated_is_not_a_push():
    assert jsdata.flight_payload(["self.__next_f.push([" * 80_000]) == ""
    assert jsdata.flight_payload(['self.__next_f.push([1,"a"])  ;', "self.__next_f.push([1,\"b\"])x"]) == "a"


def test_flight_row_nested_deeper_than_json_allows_is_skipped(settings):
    deep = "5:" + "[" * 10_000 + '{"content":{"slug":"13099992","title":"Deep"}}' + "]" * 10_000 + "\n"
    good = '6:{"content":{"slug":"13099992","title":"Shallow title"}}\n'
    assert jsdata.flight_rows(deep + good) == {"6": {"content": {"slug": "13099992", "title": "Shallow title"}}}
    body = gen3_page(f"<script>self.__next_f.push({json.dumps([1, deep + good])})</script>")
    result = extract(body, URL, settings)
    assert result.item.headline == "Shallow title"


def test_flight_rows_with_a_needle_decode_only_rows_that_mention_it():
    payload = '1:["x"]\n2:T5,hello3:{"content":{"slug":"13099992"}}\n4:{"other":1}\n'
    assert jsdata.flight_rows(payload, needle="13099992") == {"2": "hello", "3": {"content": {"slug": "13099992"}}}
    assert jsdata.flight_rows(payload)["4"] == {"other": 1}


def test_resolving_flight_text_is_iterative():
    value = current = []
    for _ in range(5000):
        current.append([])
        current = current[0]
    current.append("$7")
    resolved = jsdata.resolve_flight_text(value, {"7": "text"})
    for _ in range(5000):
        resolved = resolved[0]
    assert resolved == ["text"]


def test_layers_over_their_budget_are_skipped_and_counted(monkeypatch, settings):
    monkeypatch.setattr(structured, "NUXT_MAX_CHARS", 1000)
    monkeypatch.setattr(structured, "FLIGHT_MAX_CHARS", 1000)
    nuxt = '<script>window.__NUXT__={data:[{content:{title:"' + "a" * 2000 + '"}}]}</script>'
    flight = f"<script>self.__next_f.push({json.dumps([1, '1:' + json.dumps({'x': 'y' * 2000})])})</script>"
    result = extract(gen3_page(nuxt + flight), URL, settings)
    assert {"nuxt_too_large", "flight_too_large"} <= set(result.problems)
    assert result.item.headline == HEADLINE  # the page itself still extracts


def test_nuxt_string_literal_of_megabytes_is_not_decoded(settings):
    nuxt = '<script>window.__NUXT__={data:[{content:{title:"' + "a" * 600_000 + '"}}]}</script>'
    assert "nuxt_too_large" in extract(gen3_page(nuxt), URL, settings).problems


def test_deep_json_ld_is_counted_not_raised(settings):
    script = '<script type="application/ld+json">' + "[" * 10_000 + "]" * 10_000 + "</script>"
    result = extract(gen3_page("", extra_head=script), URL, settings)
    assert "jsonld_too_deep" in result.problems and result.item.headline == HEADLINE


def test_meta_with_a_control_character_in_an_attribute_name(settings):
    head = '<meta content="x" a\x01b="y"><meta property="og:title" content="From meta">'
    result = extract(gen3_page("", extra_head=head), URL, settings)
    assert result.item.headline == "From meta"


@pytest.mark.parametrize("source, expected", [
    ('{a:"x\\x41",b:\'it\\\'s\',c:.5,d:5.,e:-.25e1,f:007,1:"one","g h":void 0}',
     {"a": "xA", "b": "it's", "c": 0.5, "d": 5.0, "e": -2.5, "f": 7, "1": "one", "g h": None}),
    ('{s:"null 0 void 0 a:b {x} \\u002F",t:"tab\there",u:[1,2,],v:"\\v\\0"}',
     {"s": "null 0 void 0 a:b {x} /", "t": "tab\there", "u": [1, 2], "v": "\v\0"}),
    ('{e:1e3,n:-1.5,big:12345678901234567890,z:0}', {"e": 1000.0, "n": -1.5, "big": 12345678901234567890, "z": 0}),
])
def test_js_literals_read_as_javascript_does(source, expected):
    assert jsdata.parse_js_literal(source) == expected


def test_nuxt_hoisted_names_inside_strings_stay_text():
    script = 'window.__NUXT__=(function(a,b){return {x:"a",y:a,z:[b,"b:a"],w:c_}}(1,"B"));'
    with pytest.raises(jsdata.JsSyntaxError):
        jsdata.nuxt_state(script)  # c_ is not a parameter
    state = jsdata.nuxt_state(script.replace(",w:c_", ""))
    assert state == {"x": "a", "y": 1, "z": ["B", "b:a"]}


# --- the crawl loop ------------------------------------------------------------------------

def test_spider_requests_each_article_once_across_pages():
    crawler = get_crawler(TrtWorldSpider, {"NEWSBOT_SITE_URL": "https://www.trtworld.com"})
    spider = TrtWorldSpider.from_crawler(crawler)
    body = document(LAYOUTS["class soup"])
    first = [r.url for r in spider.parse_article(HtmlResponse(URL, body=body)) if isinstance(r, Request)]
    other = HtmlResponse("https://www.trtworld.com/article/0000000000ff", body=body)
    second = [r.url for r in spider.parse_article(other) if isinstance(r, Request)]
    explore = [f"https://www.trtworld.com/article/{i:012x}" for i in range(1, len(S["explore"]) + 1)]
    assert first[:len(explore)] == explore  # Explore first, in page order
    assert len(first) == len(set(first))  # each link once (Explore links are also page links)
    assert second == []  # the neighbour links the same articles: nothing new to request
    assert crawler.stats.get_value("newsbot/discovery/article_links") == len(first)
