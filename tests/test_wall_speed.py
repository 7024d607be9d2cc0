"""The wall check's shortcuts give the answers of the plain search they replace.

``newsbot.pages.wall`` proves markers absent without searching every pattern over the whole
unescaped page (literals in an ASCII-folded copy, the article marker at its first
occurrences, the visible text measured only up to its limit), and ``newsbot.pages.decision``
looks for mojibake only at its lead characters. Each shortcut is checked here against the
plain computation: ``reference_wall_kind`` is the check as it was written before the
shortcuts (every pattern searched in ``html.unescape`` of the whole page), over the same
marker tables. Pages are HAND-MADE fragments (hypothesis mixes them); no real page is read.
"""

from __future__ import annotations

import html
import html.entities
import re
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsbot.pages import wall
from newsbot.pages.decision import MOJIBAKE, MOJIBAKE_LEADS, MOJIBAKE_TRIES, has_mojibake
from newsbot.pages.wall import (
    ARTICLE_MARKERS,
    ASCII_FOLDS,
    BODY,
    CONSENT,
    CONSENT_DOMINANCE,
    LITERAL_CHARS,
    SHORT_PAGE_CHARS,
    STRONG,
    WEAK,
    entities_matter,
    fold,
    has_article_marker,
    visible_text,
    wall_kind,
)

BODY_MARKERS = [marker for marker in (*STRONG, *WEAK) if marker.where == BODY]


def reference_wall_kind(status, headers, text):
    """The wall check without shortcuts: every marker's pattern searched in the whole page."""
    if not 200 <= status < 300:
        return None
    text = text or ""
    fields = wall._headers(headers)
    title = wall._title(text)
    raw = html.unescape(text)

    def matches(marker, visible):
        if marker.where == wall.HEADER:
            return any(marker.pattern.search(value) for value in fields.get(marker.header, ()))
        if marker.where == wall.TITLE:
            return bool(title) and marker.pattern.fullmatch(title) is not None
        return marker.pattern.search(visible if marker.where == wall.VISIBLE else raw) is not None

    for marker in STRONG:
        if matches(marker, ""):
            return marker.kind
    if not text.strip() or ARTICLE_MARKERS.search(text):
        return None
    visible = visible_text(text)
    for marker in WEAK:
        if len(visible) < marker.max_chars and matches(marker, visible):
            return marker.kind
    if len(visible) < SHORT_PAGE_CHARS and wall._consent_share(text) >= CONSENT_DOMINANCE:
        return CONSENT
    return None


# --- the tables the shortcuts stand on ------------------------------------------------------

def test_ascii_folds_are_every_character_ignorecase_takes_for_a_literal_letter():
    letters = sorted(char for char in LITERAL_CHARS if char.isalpha())
    any_letter = re.compile("[" + "".join(letters) + "]", re.IGNORECASE)
    everything = "".join(chr(code) for code in range(0x80, sys.maxunicode + 1)
                         if not 0xD800 <= code <= 0xDFFF)
    found = {(char, char.lower() if char.isascii() else next(
        letter for letter in letters if re.fullmatch(letter, char, re.IGNORECASE)))
        for char in any_letter.findall(everything)}
    assert found == set(ASCII_FOLDS)
    # and nothing but letters folds: digits and the literals' punctuation match only themselves
    others = "".join(char for char in LITERAL_CHARS if not char.isalpha())
    assert not re.findall("[" + re.escape(others) + "]", everything, re.IGNORECASE)


def test_every_body_marker_names_lower_case_ascii_literals():
    assert BODY_MARKERS
    for marker in BODY_MARKERS:
        assert marker.literals, marker
        for alternative in marker.literals:
            for literal in alternative:
                assert literal and literal.isascii() and literal == literal.lower(), marker


def test_a_named_entity_is_noticed_when_it_decodes_to_a_literal_character():
    noticed = 0
    for name, value in html.entities.html5.items():
        if any(wall._fold_char(char) in LITERAL_CHARS for char in value):
            assert entities_matter("a&" + name + " b"), name
            if not name.endswith(";"):  # a legacy name is decoded at the start of a longer word
                assert entities_matter("a&" + name + "xyz b"), name
            noticed += 1
    assert noticed >= 10  # "&period;", "&sol;", "&lowbar;", "&imath;", "&fjlig;", ...


def test_numeric_references_are_noticed_by_what_they_decode_to():
    assert entities_matter("a&#46;b")                 # "."
    assert entities_matter("a&#x2E;b")
    assert entities_matter("a&#0000071b")             # "G", no semicolon
    assert entities_matter("goku&#1;props")           # decodes to nothing: joins its neighbours
    assert entities_matter("&#x131;")                 # dotless i: IGNORECASE takes it for "i"
    assert entities_matter("&period;") and entities_matter("&imath;") and entities_matter("&fjlig;")
    assert not entities_matter("it&#x27;s &quot;quoted&quot; &amp; &#8217; &nbsp; &#128512;")
    assert not entities_matter("no entity at all")


# --- each BODY marker's literals are in every match ------------------------------------------

def _disguised(sample: str, how: int) -> str:
    """``sample`` as a wall may write it: case changed, IGNORECASE's non-ASCII letters, or
    characters written as entities."""
    if how == 0:
        return sample.upper()
    if how == 1:
        return sample.replace("i", "\u0131").replace("s", "\u017f").replace("k", "\u212a")
    if how == 2:
        return sample.replace("I", "\u0130").replace("i", "\u0130")
    if how == 3:
        return "".join(f"&#{ord(c)};" if c.isalnum() and n % 2 else c for n, c in enumerate(sample))
    if how == 4:
        return sample.replace(".", "&period;").replace("/", "&sol;").replace("_", "&lowbar;")
    if how == 5:
        return "".join(f"&#x{ord(c):x}" + ("" if c.isalnum() else ";") for c in sample)
    return "&#1;".join(sample)  # references to forbidden code points decode to nothing


@pytest.mark.parametrize("marker", BODY_MARKERS, ids=lambda m: f"{m.kind}:{m.pattern.pattern[:30]}")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_body_marker_that_matches_is_never_ruled_out(marker, data):
    sample = data.draw(st.from_regex(marker.pattern, fullmatch=True), label="match")
    how = data.draw(st.integers(0, 7), label="disguise")
    text = sample if how == 7 else _disguised(sample, how)
    page = wall._Page("<p>" + text + "</p>")
    if marker.pattern.search(page.raw):
        assert page.may_hold(marker)


@pytest.mark.parametrize("marker", BODY_MARKERS, ids=lambda m: f"{m.kind}:{m.pattern.pattern[:30]}")
def test_each_literal_alternative_is_needed_by_some_match(marker):
    """No literal is ruled out needlessly: for every alternative there is a page holding just
    that alternative's literals that the pattern matches (so the page is searched)."""
    for alternative in marker.literals:
        found = False
        for sample in _samples(marker):
            folded = fold(sample)
            if all(literal.encode() in folded for literal in alternative) and marker.pattern.search(sample):
                found = True
        assert found, (marker, alternative)


def _samples(marker):
    strategy = st.from_regex(marker.pattern, fullmatch=True)
    samples = []

    @settings(max_examples=200, deadline=None, database=None)
    @given(strategy)
    def collect(sample):
        samples.append(sample)

    collect()
    return samples


# --- whole pages: the shortcuts against the plain search -------------------------------------

ARTICLE = ("<article><h1>Iraqi forces open new front</h1><p>Troops and paramilitaries had advanced "
           "into the desert from the east and north on Thursday.</p></article>")
FRAGMENTS = [
    "<p>Daesh has already been driven from all the towns it once held.</p>",
    "<title>Just a moment...</title>", "<title>TRT World</title>", "<TITLE>Access Denied</TITLE>",
    "<script>window._cf_chl_opt={cType: 'managed'};</script>",
    "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script>",
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>",
    "<script>window.gokuProps = {};</script>", "GOKU&#80;ROPS",
    "errors&#46;edgesuite&#46;net", "Reference&#32;&#35;18&#46;6f3c1402&#46;1733300000&#46;2a1b3c",
    "<script src='https://ct.captcha-delivery.com/c.js'></script>", "js.datadome.co",
    "<div id='px-captcha'></div>", "perimeterx.net/whywasiblocked", "_pxAppId",
    "Incapsula incident ID: 1234", "/_Incapsula_Resource?CWUDNSAI=9&incident_id=1",
    "sucuri-firewall-block", "SUCURI_CLOUDPROXY_JS", "/.well-known/ddos-guard/check",
    "Checking your browser before accessing trtworld.com",
    "Our systems have detected unusual traffic from your computer network.",
    "<form action='https://consent.google.com/save'></form>", "consent&period;youtube&period;com/save",
    "<div class=\"g-recaptcha\"></div>", "https://hcaptcha.com/1/api.js", "awswaf.com",
    "<p>Please enable JS and disable any ad blocker</p>", "<p>Press &amp; Hold</p>",
    "<p>Verify you are human</p>", "<p>Access denied</p>",
    "<p>We use cookies and data. Accept all. Reject all.</p>", "<button>Accept all</button>",
    '<script type="application/ld+json">{"@type": "WebPage"}</script>',
    '<script type="application/ld+json">{"@type" : "NewsArticle"}</script>',
    '"@TYPE":"BlogPosting"', "<articles>", "<ARTICLE class='x'>",
    "<meta property='og:type' content='article'>", "<meta content=\"article\" property=\"og:type\">",
    "<!-- a comment <script> -->", "<script>unclosed", "<style>p{}</style>", "<svg><text>x</text></svg>",
    "&#x131;ncapsula &#x130;nc&#x130;dent &#x130;d", "\u017fucuri_cloudproxy_j\u017f", "&fjlig;&#0;&#xD800;",
    "<", "&", "&am", "&amp", "\u0130", "Ä±", "\ufffd", "   ", "\n",
]


def _pages():
    fragment = st.sampled_from(FRAGMENTS) | st.text(max_size=40)
    return st.lists(fragment, max_size=12).map("".join) | st.lists(fragment, max_size=6).map(
        lambda parts: "".join(parts) + ARTICLE * 3 + "".join(reversed(parts)))


HEADERS = st.sampled_from([{}, {"cf-mitigated": "challenge"}, {"X-DataDome": "protected"},
                           {"Set-Cookie": "_pxhd=abc"}, {"x-amzn-waf-action": "captcha"}, None])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=st.sampled_from([200, 202, 403]), headers=HEADERS, text=_pages())
@example(status=200, headers={}, text="errors&#46;edgesuite&#46;net")
@example(status=200, headers={}, text="<p>" + "word " * 400 + "</p><script src='//awswaf.com/x'></script>")
@example(status=200, headers={}, text="consent&period;google.com/save")
def test_wall_kind_is_the_plain_search(status, headers, text):
    assert wall_kind(status, headers, text) == reference_wall_kind(status, headers, text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.sampled_from(FRAGMENTS[-30:] + ['"@type": "Thing"'] * 3 + ["<article", "<p>x"]),
                     max_size=40).map("".join))
@example(text='"@type": "Thing", ' * (wall._ARTICLE_TRIES + 2) + '"@type": "NewsArticle"')
@example(text="<articles>" * (wall._ARTICLE_TRIES + 2) + "<article>")
@example(text="<articles>" * (wall._ARTICLE_TRIES + 2) + "<ARTICLE>")
@example(text='"@T\u0130PE": "NewsArticle"')
@example(text="<meta property='OG:TYPE' content='article'>")
def test_the_article_marker_is_found_as_the_search_finds_it(text):
    found = ARTICLE_MARKERS.search(text) is not None
    assert has_article_marker(text) == found
    assert has_article_marker(text, fold(text)) == found


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(wall, "_VISIBLE_PIECE", 7)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(markup=st.lists(st.sampled_from(["<p>", "</p>", "<b class='a b'>", "<", ">", "&amp;", "&",
                                        "&#32;", "&nbsp;", " ", "\n", "word", "longer words here",
                                        "<script>", "</script>", "<!--", "-->", "<title>t</title>"]),
                       max_size=60).map("".join),
       limit=st.integers(0, 60))
def test_the_visible_text_is_measured_as_far_as_the_limit(small_pieces, markup, limit):
    visible = visible_text(markup)
    assert wall._short_visible_text(markup, limit) == (visible if len(visible) < limit else None)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from([*MOJIBAKE_LEADS, "\u00bc", "\u0131", "\u20ac", "a", " ", "\u00fc"]),
                     max_size=3 * MOJIBAKE_TRIES).map("".join))
@example(text="\u00e2 " * (MOJIBAKE_TRIES + 3) + "\u00c3\u00bc")
@example(text="\u00e2 \u00c2 " * MOJIBAKE_TRIES + "\u00c4\u00b1")
def test_mojibake_is_found_as_the_pattern_finds_it(text):
    assert has_mojibake(text) == (MOJIBAKE.search(text) is not None)


def test_a_long_page_is_ruled_out_before_all_of_it_is_stripped(monkeypatch):
    """The measure stops at the limit: the rest of the page is neither stripped nor read."""
    stretches = []
    kept = wall._kept

    def counted(markup):
        for stretch in kept(markup):
            stretches.append(stretch)
            yield stretch

    monkeypatch.setattr(wall, "_kept", counted)
    monkeypatch.setattr(wall, "_strip_hidden", lambda markup: pytest.fail("the whole page was stripped"))
    page = "".join(f"<p>{'word ' * 400}</p><script>var x = {i};</script>" for i in range(200))
    assert wall._short_visible_text(page, SHORT_PAGE_CHARS) is None
    assert 0 < len(stretches) < 20


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["&", "#", "x", "2E", "46", ";", "sol", "period", "amp", "a", " ", "ü",
                                      "&#x27;", "&#1;", "İ", "&imath", "&#0000071"]), max_size=30).map("".join))
@example(text="caf\u00e9 &#46; x")
def test_the_entity_check_over_utf8_bytes_is_the_check_over_text(text):
    from newsbot.pages.literals import FoldedPage

    as_bytes = FoldedPage(text, text.encode("utf-8"), "utf-8")
    assert entities_matter(text, as_bytes) == entities_matter(text, FoldedPage(text)) == entities_matter(text)
