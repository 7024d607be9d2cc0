"""The visible layer's shortcuts read the blocks a whole walk of the container would.

``newsbot.pages.visible`` walks the article container into text blocks, but it starts at a
seam before the headline (``seam``: a block-level element with enough blocks between it and
the headline) and stops once the fields have what they read (``ReadEnough``). Each is
checked against the whole walk: the blocks from the seam are the whole walk's last ones, the
blocks up to the stop are its first ones, and every field of every page comes out the same.
Documents are HAND-MADE trees mixed by hypothesis, and the site copy's pages (padded to real
size by benchmarks/pageset.py) for the fields.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from scrapy.http import HtmlResponse

from newsbot.pages import visible
from newsbot.pages.article import ArticlePage
from newsbot.pages.visible import MAX_HEADER_BLOCKS, ReadEnough, seam, text_blocks
from newsbot.urls import SiteRules

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from pageset import benchmark_pages, site_article_pages  # noqa: E402

PARSER = etree.HTMLParser()
NEEDED = MAX_HEADER_BLOCKS + 2
TAGS = ["div", "p", "section", "span", "a", "b", "li", "ul", "figure", "nav", "script", "header", "br", "time"]
WORDS = ["Explore", "SOURCE: AFP", "3 MIN READ", "TÜRKİYE", "By Jane Roe", "Recommended", "word", " ",
         "Ankara", "\u00a0", "<!-- a comment -->"]


@st.composite
def trees(draw, depth=0):
    """Markup of nested elements with text and tails; somewhere one ``<h1 id=headline>``."""
    children = []
    for _ in range(draw(st.integers(0, 6 if depth < 3 else 0))):
        tag = draw(st.sampled_from(TAGS))
        inner = draw(trees(depth + 1))
        text = draw(st.sampled_from(WORDS)) if draw(st.booleans()) else ""
        tail = draw(st.sampled_from(WORDS)) if draw(st.booleans()) else ""
        children.append(f"<{tag}>{text}{inner}</{tag}>{tail}")
    return "".join(children)


@st.composite
def documents(draw):
    before = draw(st.lists(trees(), min_size=1, max_size=8))
    after = draw(st.lists(trees(), max_size=4))
    wrapper = draw(st.sampled_from(["div", "main", "article", "section"]))
    headline = '<h1 id="headline">The headline</h1>'
    if draw(st.booleans()):
        headline = f"<{wrapper}>{draw(trees())}{headline}{draw(trees())}</{wrapper}>"
    return ("<html><body>" + "".join(f"<div>{tree}</div>" for tree in before) + headline
            + "".join(after) + "</body></html>")


def parsed(markup: str):
    root = etree.fromstring(markup, PARSER)
    return root.find("body"), root.xpath("//h1[@id='headline']")[0]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup=documents())
def test_the_walk_from_the_seam_is_the_end_of_the_whole_walk(markup):
    body, headline = parsed(markup)
    whole = text_blocks(body)
    start = seam(headline, body, NEEDED)
    if start is None:
        return
    part = text_blocks(body, start=start)
    assert part == whole[len(whole) - len(part):]
    at = next(index for index, block in enumerate(part) if block.element is headline)
    assert at >= NEEDED  # every block the fields read before the headline is there


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup=documents())
def test_the_walk_stops_only_after_what_the_fields_read(markup):
    body, headline = parsed(markup)
    whole = text_blocks(body)
    read = text_blocks(body, until=ReadEnough(headline))
    assert read == whole[:len(read)]
    if len(read) < len(whole):
        at = next(index for index, block in enumerate(read) if block.element is headline)
        explore = next(index for index in range(at, len(read)) if read[index].text == "Explore")
        assert len(read) - 1 >= max(explore, at + MAX_HEADER_BLOCKS)


def test_a_seam_is_found_past_menus_and_the_walk_is_shorter():
    menus = "".join(f"<div><ul>{''.join(f'<li>menu {i}-{j}</li>' for j in range(20))}</ul></div>" for i in range(30))
    body, headline = parsed(f'<html><body>{menus}<div><span>ASIA</span><h1 id="headline">H</h1>'
                            f'<p>Body.</p></div></body></html>')
    start = seam(headline, body, NEEDED)
    assert start is not None and len(text_blocks(body, start=start)) < 40 < len(text_blocks(body))


def test_no_seam_without_enough_blocks_before_the_headline():
    body, headline = parsed('<html><body><div>one</div><div>two</div><h1 id="headline">H</h1></body></html>')
    assert seam(headline, body, NEEDED) is None


def pages():
    return site_article_pages() + benchmark_pages(count=12)


def items(monkeypatch, with_shortcuts: bool):
    if not with_shortcuts:
        monkeypatch.setattr(visible, "seam", lambda *args: None)
        monkeypatch.setattr(visible, "ReadEnough", lambda headline: lambda blocks: False)
    site = SiteRules("https://www.trtworld.com")
    found = []
    for url, body in pages():
        page = ArticlePage(HtmlResponse(url=url, body=body), site)
        item = page.to_item(scraped_at=None)
        item.scraped_at = None
        found.append((url, item, page.problems))
    monkeypatch.undo()
    return found


def test_every_field_of_every_page_is_what_the_whole_walk_gives(monkeypatch):
    fast = items(monkeypatch, True)
    whole = items(monkeypatch, False)
    assert len(fast) == len(whole) > 40
    for (url, item, problems), (_, expected, expected_problems) in zip(fast, whole):
        assert (item, problems) == (expected, expected_problems), url


def test_the_page_set_takes_the_shortcuts():
    """Not a vacuous check: on the padded pages, seams are found and walks stop early."""
    site = SiteRules("https://www.trtworld.com")
    seams = stops = 0
    for url, body in benchmark_pages():
        page = ArticlePage(HtmlResponse(url=url, body=body), site)
        headline, scope = page.visible._found
        if headline is None:
            continue
        seams += seam(headline, scope, NEEDED) is not None
        stops += len(page.visible.blocks) < len(text_blocks(scope))
    assert seams >= 1 and stops >= 1


def test_inline_elements_are_not_counted_as_blocks_they_share_with_their_neighbours():
    spans = "".join("<span>a<div>b</div>c</span>" for _ in range(6))
    body, headline = parsed(f'<html><body><div>{spans}<h1 id="headline">H</h1></div></body></html>')
    start = seam(headline, body, NEEDED)
    blocks = text_blocks(body, start=start) if start is not None else text_blocks(body)
    at = next(index for index, block in enumerate(blocks) if block.element is headline)
    assert start is None or at >= NEEDED
