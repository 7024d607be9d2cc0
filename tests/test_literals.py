"""The one-pass literal search answers as a plain substring test of the folded page would.

``newsbot.pages.literals.FoldedPage.has`` finds the declared literals in one pass (Hyperscan,
else Aho-Corasick) over the page's UTF-8 bytes, ASCII letters in either case, and searches
again only the stretches around fold characters (İ, ı, ſ, K: re.IGNORECASE matches them to
ASCII letters). Each answer is checked here against ``literal in fold(text)``, for both search
engines. Texts are HAND-MADE fragments mixed by hypothesis; no real page is read.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsbot.pages import article, literals, visible, wall  # noqa: F401 - they declare the literals
from newsbot.pages.literals import ASCII_FOLDS, AhoCorasickSearch, FoldedPage, fold, known

ENGINES = [AhoCorasickSearch] + ([literals.HyperscanSearch] if literals.hyperscan is not None else [])
KNOWN = tuple(literals._KNOWN)
FOLD_CHARS = [char for char, _ in ASCII_FOLDS]


@pytest.fixture(params=ENGINES, ids=lambda engine: engine.__name__)
def engine(request, monkeypatch):
    monkeypatch.setattr(literals, "SEARCH", request.param)
    monkeypatch.setattr(literals, "_search_cache", (None, (), frozenset()))
    return request.param


@st.composite
def pages(draw):
    pieces = draw(st.lists(st.one_of(
        st.sampled_from(KNOWN).map(lambda literal: ("literal", literal)),
        st.text(max_size=30).map(lambda text: ("text", text)),
        st.sampled_from(FOLD_CHARS).map(lambda char: ("text", char * draw(st.integers(1, 3)))),
    ), max_size=25))
    out = []
    for kind, value in pieces:
        if kind == "literal":
            value = "".join(draw(st.sampled_from([c, c.upper()] + [f for f, l in ASCII_FOLDS if l == c]))
                            for c in value.decode())
            if draw(st.booleans()) and len(value) > 2:  # cut short: must not be found
                value = value[:-1]
        out.append(value)
    return "".join(out)


def expected(text: str) -> set[bytes]:
    folded = fold(text)
    return {literal for literal in KNOWN if literal in folded}


def found(page: FoldedPage) -> set[bytes]:
    return {literal for literal in KNOWN if page.has(literal)}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=pages())
@example(text="go\u212aupropſ gokuprop")  # found only through the folding
@example(text="CF_CHL_OPT")
@example(text="")
def test_the_one_pass_finds_what_the_folded_page_holds(engine, text):
    assert found(FoldedPage(text)) == expected(text)
    assert found(FoldedPage(text, text.encode("utf-8"), "utf-8")) == expected(text)


def test_many_fold_characters_fold_the_whole_page(engine):
    text = "ı" * (literals._MAX_FOLD_WINDOWS + 5) + " goKupropſ " + "İ" * 3
    assert FoldedPage(text).has(b"gokuprops") and b"gokuprops" in expected(text)
    assert not FoldedPage(text).has(b"cf_chl_opt")


def test_a_literal_made_only_by_the_folding_far_into_a_page_is_found(engine):
    text = "x" * 500_000 + "cf-browser-verification".replace("i", "ı") + "y" * 1000
    assert FoldedPage(text).has(b"cf-browser-verification")
    assert FoldedPage(text, text.encode(), "utf-8").has(b"cf-browser-verification")


def test_invalid_utf8_bytes_find_what_the_decoded_text_finds(engine):
    body = b"\xc4<title>Just\xff</title> CF_chl_opt \xe2\x84 itemScope \xc4\xb0TEMPROP"
    text = body.decode("utf-8", "replace")
    assert found(FoldedPage(text, body, "utf-8")) == expected(text) >= {b"cf_chl_opt", b"itemscope", b"itemprop"}


def test_a_literal_never_declared_is_answered_by_a_plain_search(engine):
    page = FoldedPage("<div class='Some-Widget'>")
    assert page.has(b"some-widget") and not page.has(b"other-widget")


def test_a_declared_literal_is_plain_lower_case_ascii():
    for bad in ("", "Upper", "ünï"):
        with pytest.raises(ValueError):
            known(bad)


def test_both_engines_are_tried_where_hyperscan_is_installed():
    import platform
    if platform.system() == "Linux" and platform.machine() == "x86_64":
        assert literals.hyperscan is not None, "hyperscan is a dependency on x86-64 Linux"
    assert AhoCorasickSearch in ENGINES


def test_every_fold_character_gets_its_own_stretch(engine):
    text = "ſtanbul ı " + "x" * 5000 + " gokupropſ " + "y" * 5000 + " ıtemprop"
    page = FoldedPage(text, text.encode(), "utf-8")
    assert page.has(b"gokuprops") and page.has(b"itemprop")


def test_the_search_places_fold_characters_where_they_start(engine):
    search, patterns, literals_ = literals._search()
    data = "aİb ſ \u212ax ıı".encode()
    present, places = search.find(data)
    starts = sorted(at for char, _ in literals._UTF8_FOLDS for at in range(len(data)) if data.startswith(char, at))
    assert sorted(places) == starts
    assert {patterns[index] for index in present} == {char for char, _ in literals._UTF8_FOLDS}
