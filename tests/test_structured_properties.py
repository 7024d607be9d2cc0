"""Hypothesis over mutated pages: whatever JSON-LD, microdata, meta dates or state blobs a
page carries, extraction returns an item and the agreement counts, never an exception.

The pages are RECONSTRUCTIONS: the seed article's real headline and first paragraph
(www.trtworld.com/article/13099992) inside generated structured data.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse

from newsbot.agreement import page_agreement
from newsbot.pages import ArticlePage
from newsbot.urls import SiteRules

HEADLINE = "Iraqi forces open new front in final push against Daesh"
PARAGRAPH = ("Iraqi forces thrust north from the Euphrates Valley into the desert on Saturday, "
             "opening up a new front in the drive to flush out fugitive Daesh militants, a commander said.")
KEYS = ["@type", "@id", "@graph", "mainEntity", "headline", "name", "byline", "author", "publisher",
        "datePublished", "dateModified", "articleSection", "image", "url", "keywords", "title",
        "publishedAt"]
TYPES = ["NewsArticle", "Article", "Person", "Organization", "WebPage", ["NewsArticle", "Article"]]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.sampled_from(TYPES[:5] + ["2017-11-25T09:12:00ZZ", "No Author", HEADLINE,
                                                 "#/schema/person/1", "By Jane Roe, March 3, 2021"]),
                    st.text(max_size=30))
json_values = st.recursive(
    scalars, lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(KEYS), children, max_size=6), max_leaves=30)


def page(jsonld_text: str, state_text: str, date_meta: str) -> ArticlePage:
    body = (f"<!-- RECONSTRUCTION: generated structured data around real seed text -->"
            f"<html><head><script type=\"application/ld+json\">{jsonld_text}</script>"
            f"<meta name=\"parsely-pub-date\" content=\"{date_meta}\">"
            f"<script type=\"application/json\">{state_text}</script></head><body><article>"
            f"<h1>{HEADLINE}</h1><time datetime=\"{date_meta}\">x</time><p>{PARAGRAPH}</p>"
            f"<div itemscope itemtype=\"https://schema.org/NewsArticle\"><span itemprop=\"author\">"
            f"{date_meta}</span></div></article></body></html>")
    return ArticlePage(HtmlResponse(url="https://www.trtworld.com/article/13099992", body=body.encode()),
                       SiteRules("https://www.trtworld.com"))


def safe(text: str) -> str:
    return text.replace("<", "\\u003c").replace('"', "&quot;") if text else text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, json_values, st.text(max_size=40))
def test_any_structured_data_gives_an_item_not_an_exception(jsonld_value, state_value, date_meta):
    jsonld_text = json.dumps(jsonld_value).replace("<", "\\u003c")
    state_text = json.dumps(state_value).replace("<", "\\u003c")
    article = page(jsonld_text, state_text, safe(date_meta))
    item = article.to_item()
    assert item.headline
    assert all(isinstance(p, str) for p in item.provenance.values())
    for comparison in page_agreement(article):
        assert isinstance(comparison.equal, bool)
