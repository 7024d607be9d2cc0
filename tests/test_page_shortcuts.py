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


# --- the lxml walks that replaced whole-tree XPath give what the XPath gives --------------

WALK_DOCUMENTS = [
    '<html><body><h1>H</h1><time datetime="2024-01-02" pubdate>x</time>'
    '<a href="/x"><time datetime="2020-01-01" class="published">card</time></a></body></html>',
    '<html><body><article><p>t</p><time datetime=" ">blank</time><time datetime="2024-03-04">a</time>'
    '</article><nav><time datetime="2019-01-01" itemprop="datePublished">n</time></nav></body></html>',
    '<html><body><time datetime="2024-05-06" class="date-updated">u</time><h1>H<time datetime="1">in</time>'
    '</h1><div><time datetime="2024-05-07" itemprop="dateModified">m</time></div></body></html>',
    '<html><head><noscript><time datetime="2024-07-08" pubdate></time></noscript></head><body>'
    '<aside><time datetime="2024-07-09" class="publish">s</time></aside><h1>x</h1></body></html>',
    '<html><body><div class="article-source x">SOURCE: AFP</div><p class="x\tarticle-source">2</p>'
    '<span class="article-sourced">no</span><b class=" article-source ">3</b></body></html>',
    '<html><body><a rel="author" href="/a">Ann</a><a rel="nofollow\nauthor">Bo</a><a rel="authors">no</a>'
    '<footer><a rel="author">Foot</a></footer><nav><div><a rel=" author ">Nav</a></div></nav>'
    '<aside><a rel="author">Side</a></aside></body></html>',
    '<html><body><div><h1>H</h1><figure><img src="a"></figure></div><figure><img src="b"></figure>'
    '<a href="1">one</a><div><a>no href</a><a href="2">two</a></div></body></html>',
]


@pytest.mark.parametrize("markup", WALK_DOCUMENTS)
def test_time_tags_are_the_xpath(markup):
    from newsbot.pages.structured import (TIME_AFTER_HEADLINE, TIME_IN_ARTICLE, TIME_MODIFIED,
                                          TIME_TAGGED, TimeTags)

    root = Selector(text=markup, type="html").root

    def first(*queries):
        for query in queries:
            for element in root.xpath(query):
                if element.get("datetime", "").strip():
                    return element.get("datetime").strip()
        return None

    tags = TimeTags(root)
    assert tags.published() == first(TIME_TAGGED, TIME_AFTER_HEADLINE, TIME_IN_ARTICLE)
    assert tags.modified() == first(TIME_MODIFIED)


@pytest.mark.parametrize("markup", WALK_DOCUMENTS)
def test_class_tokens_rel_authors_and_following_are_the_xpath(markup):
    from newsbot.pages.article import REL_AUTHOR, rel_author_links
    from newsbot.pages.visible import WITH_CLASS, _with_class_token, following

    root = Selector(text=markup, type="html").root
    assert _with_class_token(root, "article-source") == root.xpath(WITH_CLASS.format("article-source"))
    assert rel_author_links(root) == root.xpath(REL_AUTHOR)
    for element in root.iter():
        for tag in ("a", "figure", "time"):
            assert list(following(element, tag)) == element.xpath(f"following::{tag}")


def test_the_walk_documents_hold_both_answers():
    from newsbot.pages.structured import TimeTags
    roots = [Selector(text=markup, type="html").root for markup in WALK_DOCUMENTS]
    assert {TimeTags(root).published() for root in roots} >= {None, "2024-01-02", "2024-03-04"}
    assert sum(len(root.xpath('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]'))
               for root in roots) >= 3
