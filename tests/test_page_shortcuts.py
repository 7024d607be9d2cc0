"""Shortcuts of the page engine give what the XPath they replace gives.

``canonical_href`` walks lxml's ``link`` elements instead of ``CANONICAL_HREF``;
``has_rdfa_markers`` asks the attribute nodes instead of testing every element with
``RDFA_MARKERS``. Documents are HAND-MADE snippets.
"""

from __future__ import annotations

import pytest
from scrapy import Selector

from newsbot.pages.article import CANONICAL_HREF, canonical_href
from newsbot.pages.structured import RDFA_MARKERS, has_rdfa_markers

DOCUMENTS = [
    "<html><head></head><body><p>no links</p></body></html>",
    '<html><head><link rel="canonical" href="https://www.trtworld.com/article/1"></head></html>',
    '<html><head><link rel="canonical"><link rel="canonical" href="/second"></head></html>',
    '<html><head><link rel="Canonical" href="/case"><link rel="canonical" href="/exact"></head></html>',
    '<html><head><link rel="canonical alternate" href="/list"></head></html>',
    '<html><head><link rel="alternate" href="/alt"></head><body><LINK REL="canonical" HREF="/in-body">'
    "</body></html>",
    '<html><head><link rel="canonical" href=""></head></html>',
    '<html><body><svg><link rel="canonical" href="/svg"/></svg></body></html>',
    '<html><head><meta typeof="x" content="y"></head><body><p>meta only</p></body></html>',
    '<html><body><div vocab="https://schema.org/"><p typeof="NewsArticle">x</p></div></body></html>',
    '<html><body><DIV TYPEOF="Article">upper case</DIV></body></html>',
    "<html><body><script>if (typeof x === 'undefined') {}</script><p>vocab in text</p></body></html>",
    '<html><body><svg:meta typeof="x"></svg:meta></body></html>',
    '<html><head><meta vocab="x"></head><body><span vocab="">empty</span></body></html>',
    "<!-- a comment --><html><body><p>comment before the root</p></body></html>",
]


@pytest.mark.parametrize("markup", DOCUMENTS)
def test_canonical_href_is_the_xpath(markup):
    selector = Selector(text=markup, type="html")
    assert canonical_href(selector.root) == selector.xpath(CANONICAL_HREF).get()


@pytest.mark.parametrize("markup", DOCUMENTS)
def test_rdfa_markers_are_the_xpath(markup):
    root = Selector(text=markup, type="html").root
    assert has_rdfa_markers(root) == bool(root.xpath(RDFA_MARKERS))


def test_the_samples_hold_both_answers():
    roots = [Selector(text=markup, type="html").root for markup in DOCUMENTS]
    assert {bool(root.xpath(RDFA_MARKERS)) for root in roots} == {True, False}
    assert len({canonical_href(root) for root in roots}) >= 4
    assert has_rdfa_markers(None) is False


TEXT_DOCUMENTS = [
    "<div><p>a<!--c-->b<b>x</b>y<script>s</script>t</p>TAIL<p>q<?pi x?>r<br>s &amp; t</p>T2</div>",
    "<html><body><svg><text>in svg</text></svg><template><p>tp</p></template></body></html>",
    "<p><![CDATA[x]]>y<span>\u00a0z</span></p>", "<h1></h1>", "<div>caf\u00e9<style>p{}</style></div>",
]


@pytest.mark.parametrize("markup", TEXT_DOCUMENTS)
def test_text_content_is_the_xpath_string(markup):
    from lxml import etree

    from newsbot.pages.visible import text_content
    root = etree.fromstring(markup, etree.HTMLParser())
    for element in root.iter():
        if isinstance(element.tag, str):
            assert text_content(element) == element.xpath("string()")
