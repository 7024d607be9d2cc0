"""Generic layers on RECONSTRUCTED pages: JSON-LD graphs and references, microdata, date
meta tags, ``<time>``, JSON state blobs, fallbacks that fall back, sections, agreement.

Every page here is a reconstruction: the markup patterns are those of other publishers'
real pages named in issue 11 (the Yoast ``@graph``, Parse.ly and Dublin Core meta ...);
the article text is the real text of the seed article www.trtworld.com/article/13099992
(copied from the project's shared notes); the people's names are made up, as in the issue.
"""

from __future__ import annotations

import json

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings

from newsbot.agreement import comparable, equal, page_agreement
from newsbot.health import Thresholds, judge
from newsbot.offline import OfflinePipelines, extract
from newsbot.pages import ArticlePage
from newsbot.pages.structured import MAX_JSONLD_CHARS, MAX_JSONLD_DEPTH
from newsbot.urls import SiteRules

SITE = "https://www.trtworld.com"
URL = SITE + "/article/13099992"
HEADLINE = "Iraqi forces open new front in final push against Daesh"
DESCRIPTION = ("The move comes as part of an offensive launched on Thursday with an aim to "
               "inflict a final defeat on Daesh in a western desert bordering Syria.")
PARAGRAPHS = [
    "Iraqi forces thrust north from the Euphrates Valley into the desert on Saturday, opening up "
    "a new front in the drive to flush out fugitive Daesh militants, a commander said.",
    "Daesh has already been driven from all the towns it once held, but Prime Minister Haider al "
    "Abadi has said he will not proclaim victory until the group has been cleared from the "
    "western desert bordering Syria.",
]
GRAPH_ID = SITE + "/#/schema/person/5f1c0ab2"


def page_html(head: str = "", header: str = "", body_extra: str = "", headline: bool = True) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    h1 = f"<h1>{HEADLINE}</h1>" if headline else ""
    return (f"<!-- RECONSTRUCTION for tests/test_structured.py: markup patterns of issue 11, "
            f"real text of the seed article -->\n<!DOCTYPE html><html lang=\"en\"><head>"
            f"<meta charset=\"utf-8\"><title>{HEADLINE}</title>{head}</head><body><main><article>"
            f"<header>{h1}<p>{DESCRIPTION}</p>{header}</header>{paragraphs}</article>"
            f"{body_extra}</main></body></html>").encode("utf-8")


def jsonld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def article(**fields) -> dict:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE, **fields}


def page(body: bytes) -> ArticlePage:
    return ArticlePage(HtmlResponse(url=URL, body=body), SiteRules(SITE))


def final(body: bytes):
    settings = get_project_settings()
    settings.set("NEWSBOT_SITE_URL", SITE)
    return extract(body, URL, settings, OfflinePipelines(settings))


# --- JSON-LD: graphs, references, nesting, bounds ----------------------------------------

YOAST_GRAPH = {"@context": "https://schema.org", "@graph": [
    {"@type": "WebPage", "@id": URL, "name": HEADLINE},
    {"@type": "Article", "@id": URL + "#article", "headline": HEADLINE,
     "author": {"@id": GRAPH_ID}, "datePublished": "2017-11-25T09:12:00+00:00",
     "publisher": {"@id": SITE + "/#organization"}},
    {"@type": "Person", "@id": GRAPH_ID, "name": "Jane Roe"},
    {"@type": "Organization", "@id": SITE + "/#organization", "name": "TRT World"},
]}

AUTHOR_CASES = [
    # (id, head, header, authors, sources, provenance of authors)
    ("yoast-graph-reference", jsonld(YOAST_GRAPH), "", ["Jane Roe"], [], "jsonld"),
    ("unresolved-reference-falls-to-meta",
     jsonld(article(author={"@id": GRAPH_ID})) + '<meta name="author" content="Ann Lee">', "",
     ["Ann Lee"], [], "meta"),
    ("unresolved-reference-falls-to-byline", jsonld(article(author={"@id": GRAPH_ID})),
     "<p>By Karya Naz Balkiz</p>", ["Karya Naz Balkiz"], [], "dom"),
    ("organisation-falls-to-byline-and-stays-a-source",
     jsonld(article(author={"@type": "Organization", "name": "TRT World"})),
     "<p>By Sam Vale</p>", ["Sam Vale"], ["TRT World"], "dom"),
    ("placeholder-falls-to-meta",
     jsonld(article(author={"@type": "Person", "name": "No Author"}))
     + '<meta name="author" content="Kim Ott">', "", ["Kim Ott"], [], "meta"),
    ("person-with-byline-key", jsonld(article(author={"@type": "Person", "byline": "Jane Roe"})),
     "", ["Jane Roe"], [], "jsonld"),
    ("publisher-name-as-author-string",
     jsonld(article(author="Harbour Post", publisher={"@type": "Organization", "name": "Harbour Post"})),
     "", [], ["Harbour Post"], "jsonld"),
    ("site-name-as-meta-author",
     '<meta property="og:site_name" content="Harbour Post"><meta name="author" content="Harbour Post">',
     "", [], ["Harbour Post"], "meta"),
    ("a-name-that-is-not-the-publisher", '<meta name="author" content="Harbour Post">', "",
     ["Harbour Post"], [], "meta"),
    ("parsely-author", '<meta name="parsely-author" content="Ann Lee">', "", ["Ann Lee"], [], "meta"),
    ("byline-with-baggage", "", "<p>By Jane Roe, March 3, 2021 4:15 pm</p>", ["Jane Roe"], [], "dom"),
    ("microdata-author", "", "", ["Jane Roe"], [], "microdata"),
    ("loose-itemprop-author", "", '<span itemprop="author name">Ann Lee, Kim Ott</span>',
     ["Ann Lee", "Kim Ott"], [], "microdata"),
    ("citation-author", '<meta name="citation_author" content="Kim Ott">', "", ["Kim Ott"], [], "meta"),
    ("rel-author-link", "", '<p><a rel="author" href="/author/jane-roe">Jane Roe</a></p>', ["Jane Roe"],
     [], "dom"),
    ("rel-author-in-footer-ignored", "", "", [], [], None),
]


@pytest.mark.parametrize("case_id, head, header, authors, sources, layer", AUTHOR_CASES,
                         ids=[c[0] for c in AUTHOR_CASES])
def test_authors_fall_back_until_a_layer_names_a_person(case_id, head, header, authors, sources, layer):
    extra = ""
    if case_id == "microdata-author":
        extra = ('<div itemscope itemtype="https://schema.org/NewsArticle"><span itemprop="author" '
                 'itemscope itemtype="https://schema.org/Person"><span itemprop="name">Jane Roe'
                 '</span></span></div>')
    if case_id == "rel-author-in-footer-ignored":
        extra = '<footer><a rel="author" href="/about">Site Team</a></footer>'
    extraction = final(page_html(head, header, extra))
    assert extraction.item.authors == authors
    assert [s for s in extraction.item.sources if s in sources] == sources
    assert extraction.item.provenance.get("authors") == layer


NESTED_CASES = [
    ("main-entity", {"@context": "https://schema.org", "@type": "WebPage",
                     "mainEntity": article(datePublished="2017-11-25")}),
    ("type-array-in-graph", {"@context": "https://schema.org", "@graph": [
        {"@type": ["NewsArticle", "Article"], "headline": HEADLINE, "datePublished": "2017-11-25"}]}),
    ("top-level-array", [{"@type": "BreadcrumbList"}, article(datePublished="2017-11-25")]),
    ("type-iri", {"@type": "http://schema.org/NewsArticle", "headline": HEADLINE,
                  "datePublished": "2017-11-25"}),
]


@pytest.mark.parametrize("case_id, data", NESTED_CASES, ids=[c[0] for c in NESTED_CASES])
def test_article_object_found_where_it_is_nested(case_id, data):
    item = final(page_html(jsonld(data), headline=False)).item
    assert item.provenance["headline"] == "jsonld" and item.headline == HEADLINE
    assert item.date_published == "2017-11-25" and item.provenance["date_published"] == "jsonld"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("script, problem", [
    (nested(10_000), "jsonld_too_deep"),           # json.loads itself gives up (RecursionError)
    (nested(MAX_JSONLD_DEPTH + 5), "jsonld_too_deep"),  # decodes, but deeper than the bound
    (json.dumps(article(articleBody="x" * MAX_JSONLD_CHARS)), "jsonld_too_large"),
    ("{not json", "jsonld_invalid"),
], ids=["10000-deep", "over-the-depth-bound", "over-the-size-bound", "not-json"])
def test_bounded_jsonld_is_skipped_and_counted_not_raised(script, problem):
    head = (f'<script type="application/ld+json">{script}</script>'
            f'<meta property="og:title" content="{HEADLINE} - TRT World">')
    extraction = final(page_html(head, "<p>November 25, 2017</p>"))
    assert extraction.problems == [problem]
    assert extraction.item.provenance["headline"] == "meta"
    assert extraction.item.headline == HEADLINE


# --- dates outside JSON-LD ---------------------------------------------------------------

DATE_CASES = [
    # (id, head, header, body_extra, expected date_published, layer)
    ("time-datetime-in-header", "", '<time datetime="2017-11-25T09:12:00Z">November 25, 2017</time>', "",
     "2017-11-25T09:12:00+00:00", "time"),
    ("microdata-itemscope", "", "",
     '<div itemscope itemtype="https://schema.org/NewsArticle"><meta itemprop="datePublished" '
     'content="2017-11-25T12:12:00+03:00"></div>', "2017-11-25T12:12:00+03:00", "microdata"),
    ("loose-itemprop", "", '<span itemprop="datePublished" content="2017-11-25T09:12:00Z">Nov 25</span>', "",
     "2017-11-25T09:12:00+00:00", "microdata"),
    ("article-published-time", '<meta property="article:published_time" content="2017-11-25T09:12:00Z">',
     "", "", "2017-11-25T09:12:00+00:00", "meta"),
    ("og-published-time", '<meta property="og:published_time" content="2017-11-25T09:12:00Z">',
     "", "", "2017-11-25T09:12:00+00:00", "meta"),
    ("parsely-pub-date", '<meta name="parsely-pub-date" content="2017-11-25T09:12:00Z">', "", "",
     "2017-11-25T09:12:00+00:00", "meta"),
    ("dc-date", '<meta name="dc.date" content="2017-11-25">', "", "", "2017-11-25", "meta"),
    ("dc-date-issued", '<meta name="DC.date.issued" content="2017-11-25">', "", "", "2017-11-25", "meta"),
    ("sailthru-date", '<meta name="sailthru.date" content="2017-11-25 09:12:00">', "", "",
     "2017-11-25T09:12:00+03:00", "meta"),
    ("json-state-blob", "", "",
     '<script type="application/json" id="state">' + json.dumps(
         {"page": {"related": [{"title": "Another story", "publishedAt": "2024-01-01T00:00:00Z"}],
                   "article": {"title": HEADLINE, "publishedAt": "2017-11-25T09:12:00Z"}}}) + "</script>",
     "2017-11-25T09:12:00+00:00", "state"),
    ("json-state-blob-ambiguous", "", "",
     '<script type="application/json">' + json.dumps(
         [{"title": "Another story", "publishedAt": "2024-01-01T00:00:00Z"},
          {"title": "A third story", "publishedAt": "2024-01-02T00:00:00Z"}]) + "</script>",
     None, None),
    ("initial-state-assignment", "", "",
     "<script>window.__INITIAL_STATE__ = " + json.dumps(
         {"story": {"headline": HEADLINE, "datePublished": "2017-11-25T09:12:00Z"}}) + ";</script>",
     "2017-11-25T09:12:00+00:00", "state"),
    ("doubled-z-repaired", jsonld(article(datePublished="2017-11-25T09:12:00.250ZZ")), "", "",
     "2017-11-25T09:12:00.250+00:00", "jsonld"),
    ("unparseable-jsonld-falls-to-meta",
     jsonld(article(datePublished="Last Saturday")) + '<meta name="parsely-pub-date" content="2017-11-25">',
     "", "", "2017-11-25", "meta"),
    ("time-in-explore-card-ignored", "", "",
     '<section><h2>Explore</h2><a href="/article/92e558cf0bac"><h3>Other</h3>'
     '<time datetime="2025-07-20T10:00:00Z">July 20</time></a></section>', None, None),
]


@pytest.mark.parametrize("case_id, head, header, extra, value, layer", DATE_CASES,
                         ids=[c[0] for c in DATE_CASES])
def test_dates_outside_jsonld(case_id, head, header, extra, value, layer):
    extraction = final(page_html(head, header, extra))
    assert extraction.item.date_published == value
    assert extraction.item.provenance.get("date_published") == layer


def test_repaired_date_is_counted():
    extraction = final(page_html(jsonld(article(datePublished="2017-11-25T09:12:00ZZ"))))
    assert extraction.stats["newsbot/dates/repaired/doubled_z"] == 1


# --- sections ----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["Turkiye", "TÜRKİYE", "turkey", "Türkiye"])
def test_one_section_name_whatever_the_layer_spelling(raw):
    item = final(page_html(jsonld(article(articleSection=raw)))).item
    assert (item.section, item.section_raw) == ("Türkiye", raw)


# --- agreement ---------------------------------------------------------------------------

@pytest.mark.parametrize("field, a, b, same", [
    ("date_published", "2025-02-28T12:29:02+03:00", "2025-02-28T09:29:02.512Z", True),
    ("date_published", "2025-02-28T09:29:02.512Z", "2025-02-28T09:29:03.512Z", False),
    ("date_published", "February 28, 2025", "2025-02-28T09:29:02.512Z", True),
    ("date_published", "February 28, 2025", "2025-02-28T01:00:00+03:00", True),  # its own day
    ("date_published", "February 27, 2025", "2025-02-28T01:00:00+03:00", True),  # its UTC day
    ("date_published", "February 27, 2025", "2025-02-28T09:29:02Z", False),
    ("date_published", "2024-02-28T09:29:02Z", "2025-02-28T09:29:02Z", False),
    ("authors", [{"@type": "Person", "name": "Jane Roe"}, "Ann Lee"], "By ANN LEE and Jane Roe", True),
    ("authors", "By Jane Roe", "By Jane Doe", False),
    ("headline", "Iraqi forces  open new front", "iraqi forces open new front", True),
    ("section", "Turkiye", "TÜRKİYE", True),
    ("tags", ["India", "Himalayas"], ["himalayas", "India "], True),
    ("image", "https://images-cdn.trtworld.com/trtworld/9554109_0-504-4928-2775.jpeg",
     "https://images-cdn.trtworld.com/trtworld/9554109_0-504-4928-2775.jpeg?width=1440&format=webp", True),
    ("image", "https://cdni0.trtworld.com/w768/q70/13099992_0-0-768-432.jpg",
     "https://cdni0.trtworld.com/13099992_0-0-768-432.jpg", True),
])
def test_normalised_comparison(field, a, b, same):
    assert equal(field, comparable(field, a), comparable(field, b)) is same


@pytest.mark.parametrize("field, value", [
    ("authors", {"@type": "Organization", "name": "TRT World"}), ("date_published", "soon"),
    ("headline", "  "),
])
def test_values_that_say_nothing_are_not_compared(field, value):
    assert comparable(field, value) is None


def test_page_agreement_names_the_layer_that_drifted():
    head = (jsonld(article(datePublished="2018-11-25T09:12:00Z"))
            + '<meta property="article:published_time" content="2017-11-25T09:12:00Z">')
    results = {(c.field, c.first, c.second): c.equal for c in page_agreement(page(page_html(head)))}
    assert results[("date_published", "jsonld", "meta")] is False
    assert results[("headline", "jsonld", "dom")] is True


def agree_stats(field: str, pair: str, same: int, differ: int) -> dict:
    return {"newsbot/discovery/article_links": 5, f"newsbot/agree/{field}/{pair}/equal": same,
            f"newsbot/agree/{field}/{pair}/differ": differ}


@pytest.mark.parametrize("stats, unhealthy", [
    (agree_stats("date_published", "jsonld-dom", 0, 16), True),
    (agree_stats("date_published", "jsonld-dom", 15, 1), False),   # 94% >= 90%
    (agree_stats("date_published", "jsonld-dom", 0, 9), False),    # under the minimum sample
    (agree_stats("description", "meta-dom", 0, 30), False),        # not a required field
    (agree_stats("headline", "meta-dom", 8, 2), True),             # 80% of 10 pages
])
def test_health_judges_agreement_of_required_fields(stats, unhealthy):
    verdict = judge(stats, "finished", Thresholds())
    assert verdict.healthy is not unhealthy
    if unhealthy:
        field, pair = next(k.split("/")[2:4] for k in stats if k.startswith("newsbot/agree/"))
        first, second = pair.split("-")
        assert any(r.startswith(f"{field}: layers {first} and {second} agree on") for r in verdict.reasons)


def test_agreement_thresholds_from_settings():
    settings = get_project_settings()
    settings.set("NEWSBOT_HEALTH_MIN_AGREEMENT", "0.5")
    settings.set("NEWSBOT_HEALTH_MIN_AGREEMENT_SAMPLES", "3")
    thresholds = Thresholds.from_settings(settings)
    assert (thresholds.min_agreement, thresholds.min_agreement_samples) == (0.5, 3)
    settings.set("NEWSBOT_HEALTH_MIN_AGREEMENT", "1.5")
    with pytest.raises(ValueError, match="NEWSBOT_HEALTH_MIN_AGREEMENT"):
        Thresholds.from_settings(settings)


def test_rdfa_article_is_read():
    body = (f'<!-- RECONSTRUCTION: schema.org RDFa around the seed article\'s real text -->'
            f'<html lang="en"><head><title>{HEADLINE}</title></head><body vocab="https://schema.org/">'
            f'<article typeof="NewsArticle"><h1 property="headline">{HEADLINE}</h1>'
            f'<p property="description">{DESCRIPTION}</p><span property="articleSection">Turkiye</span>'
            f'<span property="author" typeof="Person"><span property="name">Jane Roe</span></span>'
            f'<meta property="datePublished" content="2017-11-25T09:12:00Z">'
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>")
    item = final(body.encode()).item
    assert (item.headline, item.authors, item.section) == (HEADLINE, ["Jane Roe"], "Türkiye")
    assert item.date_published == "2017-11-25T09:12:00+00:00"
    assert {item.provenance[f] for f in ("headline", "authors", "section", "date_published")} == {"rdfa"}


def test_pages_without_rdfa_attributes_skip_the_rdfa_parse(monkeypatch):
    import newsbot.pages.structured as structured
    monkeypatch.setattr(structured, "parse_xmldom_html", lambda *a, **k: pytest.fail("parsed"))
    assert final(page_html()).item.headline == HEADLINE
