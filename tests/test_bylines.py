"""Tests for newsbot.normalise.bylines: table-driven cases plus hypothesis properties.

Real values are copied from the TRT World CMS samples (gen-2 records of 2024-12-04 and
2025-02-28) and from the stored seed article 13099992; the project never reads those files.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbot.normalise.bylines import (
    AGENCIES,
    Byline,
    credit_source,
    fix_name_case,
    normalise_sources,
    split_byline,
)

AA, AFP, AP = "Anadolu Agency", "Agence France-Presse", "Associated Press"
SR = "Staff Reporter"

# --- real CMS author records (copied verbatim from the samples) --------------------------

CMS_FULL_STAFF = {"firstName": {"text": "Staff"}, "lastName": {"text": "Reporter"},
                  "path": "/author/staff-reporter"}
CMS_CARD_STAFF = {"userName": "Staff.Reporter", "firstName": "Staff", "lastName": "Reporter",
                  "path": "/author/staff-reporter"}
CMS_SLEIMAN = {"userName": "Sara.SLEIMAN", "firstName": "Sara", "lastName": "SLEIMAN",
               "path": "/author/sara-sleiman"}
CMS_DEMIRHAN = {"userName": "meryem.demirhan", "firstName": "Meryem", "lastName": "Demirhan",
                "path": "/author/meryem-demirhan"}
CMS_SAYEGH = {
    "userName": "nadine.sayegh", "firstName": "Nadine", "lastName": "Sayegh",
    "bio": "Nadine Sayegh is a multidisciplinary writer and researcher covering the Arab world. "
           "She has covered topics including gender in the region, countering violent "
           "extremism, the Occupied Palestinian Territories, amongst other social and "
           "political issues.",
    "mainImage": "https://cdn-i.pr.trt.com.tr/trtworld/0u_131.jpg", "path": "/author/nadine-sayegh",
}
CMS_GHANEM = {
    "mainImage": "https://cdn-i.pr.trt.com.tr/trtworld/17164014_0-0-954-921.jpeg",
    "firstName": "Noureldein", "lastName": "Ghanem",
    "bio": "Noureldein Ghanem is an Assistant Producer at TRT World",
    "path": "/author/noureldein-ghanem-7782",
}
CMS_TOPCHI = {"userName": "alitopchi", "firstName": "Ali", "lastName": "Topchi",
              "twitter": "@atopchi", "mainImage": "https://cdn-i.pr.trt.com.tr/trtworld/0u_10.jpg",
              "path": "/author/ali-topchi"}
CMS_ISLAM = {"userName": "rabiul.islam", "firstName": "Rabiul", "lastName": "Islam",
             "path": "/author/rabiul-islam"}
CMS_BALKIZ = {
    "mainImage": "https://cdn-i.pr.trt.com.tr/trtworld/17581651_0-0-2860-2860.jpeg",
    "userName": "karyanaz.balkiz", "firstName": "Karya Naz", "lastName": "Balkiz",
    "bio": "Karya Naz Balkız is a deputy producer at TRT World.", "path": "/author/karya-naz-balkiz",
}
CMS_SOURCES = [{"key": "aa", "value": "AA", "metadata": {}}]
CMS_CAPTION = ("An Israeli soldier stands by a truck with Palestinian detainees in it, Gaza, "
               "December 8, 2023. / Photo: Reuters")
SEED_CAPTION = ("Iraqi forces advance through the Salaheddin province in the western desert "
                "bordering Syria after leaving the town of Baiji, on November 24, 2017, as they "
                "attempt to flush out remaining Daesh in the Al-Jazeera region. / AFP")


def case(case_id, value, authors=(), sources=(), house=()):
    return pytest.param(value, tuple(authors), tuple(sources), tuple(house), id=case_id)


BYLINE_CASES = [
    # --- forms named in SITE.md and the seed page -----------------------------------------
    case("seed-by-staff-reporter", "By Staff Reporter", [SR], house=[SR]),
    case("site-upper-surname", "Sara SLEIMAN", ["Sara Sleiman"]),
    case("site-by-upper-surname", "By Sara SLEIMAN", ["Sara Sleiman"]),
    case("site-all-caps-byline", "BY SARA SLEIMAN", ["Sara Sleiman"]),
    case("site-multiword-first-name", "Karya Naz Balkiz", ["Karya Naz Balkiz"]),
    case("site-by-multiword-first-name", "By Karya Naz Balkiz", ["Karya Naz Balkiz"]),
    case("site-turkish-letters-kept", "Karya Naz Balkız", ["Karya Naz Balkız"]),
    case("site-person-comma-staff", "Noureldein Ghanem, Staff Reporter",
         ["Noureldein Ghanem", SR], house=[SR]),
    case("site-person-and-staff", "By Noureldein Ghanem and Staff Reporter",
         ["Noureldein Ghanem", SR], house=[SR]),
    case("site-person-amp-staff", "Noureldein Ghanem & Staff Reporter",
         ["Noureldein Ghanem", SR], house=[SR]),
    case("site-two-people-and", "By Noureldein Ghanem and Rabiul Islam",
         ["Noureldein Ghanem", "Rabiul Islam"]),
    case("site-two-people-comma", "Noureldein Ghanem, Rabiul Islam",
         ["Noureldein Ghanem", "Rabiul Islam"]),
    case("site-trt-world-and-agencies", "TRT World and Agencies", sources=["TRT World", "Agencies"]),
    case("seed-source-line", "SOURCE:AFP", sources=[AFP]),
    # --- CMS author records, verbatim ------------------------------------------------------
    case("cms-full-staff-reporter", CMS_FULL_STAFF, [SR], house=[SR]),
    case("cms-full-authors-list", [CMS_FULL_STAFF], [SR], house=[SR]),
    case("cms-card-staff-reporter", [CMS_CARD_STAFF], [SR], house=[SR]),
    case("cms-card-sleiman", [CMS_SLEIMAN], ["Sara Sleiman"]),
    case("cms-card-demirhan", [CMS_DEMIRHAN], ["Meryem Demirhan"]),
    case("cms-card-sayegh-bio-ignored", [CMS_SAYEGH], ["Nadine Sayegh"]),
    case("cms-card-ghanem-bio-ignored", [CMS_GHANEM], ["Noureldein Ghanem"]),
    case("cms-card-topchi-twitter-ignored", [CMS_TOPCHI], ["Ali Topchi"]),
    case("cms-card-balkiz", [CMS_BALKIZ], ["Karya Naz Balkiz"]),
    case("cms-card-islam", [CMS_ISLAM], ["Rabiul Islam"]),
    case("cms-ghanem-plus-staff", [CMS_GHANEM, CMS_CARD_STAFF], ["Noureldein Ghanem", SR],
         house=[SR]),
    case("cms-ghanem-plus-islam", [CMS_GHANEM, CMS_ISLAM], ["Noureldein Ghanem", "Rabiul Islam"]),
    case("cms-empty-authors", []),
    case("cms-sources-record", CMS_SOURCES, sources=[AA]),
    case("cms-duplicate-cards", [CMS_BALKIZ, CMS_BALKIZ], ["Karya Naz Balkiz"]),
    # --- prefixes --------------------------------------------------------------------------
    case("written-by", "Written by Meryem Demirhan", ["Meryem Demirhan"]),
    case("words-by", "Words by Nadine Sayegh", ["Nadine Sayegh"]),
    case("text-by", "Text by Nadine Sayegh", ["Nadine Sayegh"]),
    case("story-by", "Story by Rabiul Islam", ["Rabiul Islam"]),
    case("by-colon", "By: Mehmet Öz", ["Mehmet Öz"]),
    case("lower-by-nbsp", "written by\u00a0 Jane\u00a0Doe", ["Jane Doe"]),
    case("reuters-footer", "Reporting by Tom Perry in Beirut; Editing by Alex Richardson",
         ["Tom Perry"]),
    case("reuters-footer-parenthesised",
         "(Reporting by Tom Perry; Additional reporting by Maya Gebeily; Editing by Alex Richardson)",
         ["Tom Perry", "Maya Gebeily"]),
    case("byron-not-a-prefix", "By Byron York", ["Byron York"]),
    case("byung-chul-not-a-prefix", "Byung-chul Han", ["Byung-chul Han"]),
    case("bylund-not-a-prefix", "By Johan Bylund", ["Johan Bylund"]),
    case("abby-upper-not-a-prefix", "ABBY PHILLIP", ["Abby Phillip"]),
    case("by-abby-upper", "BY ABBY PHILLIP", ["Abby Phillip"]),
    # --- separators ------------------------------------------------------------------------
    case("three-people-comma-and", "Sara Sleiman, Meryem Demirhan and Rabiul Islam",
         ["Sara Sleiman", "Meryem Demirhan", "Rabiul Islam"]),
    case("ampersand", "Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
    case("html-ampersand-entity", "Jane Doe &amp; John Roe", ["Jane Doe", "John Roe"]),
    case("pipe-publisher", "Ali Topchi | TRT World", ["Ali Topchi"], ["TRT World"]),
    case("semicolon", "Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
    case("and", "Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
    case("with", "By Jane Doe with John Roe", ["Jane Doe", "John Roe"]),
    case("with-additional-reporting", "By Jane Doe, with additional reporting by John Roe",
         ["Jane Doe", "John Roe"]),
    case("upper-and", "BY JANE DOE AND JOHN ROE", ["Jane Doe", "John Roe"]),
    case("slash-agency", "Sarah El Deeb/AP", ["Sarah El Deeb"], [AP]),
    case("duplicates-case-insensitive", "Jane Doe, jane doe and JANE DOE", ["Jane Doe"]),
    case("staff-reporter-pipe-trt", "Staff Reporter | TRT World", [SR], ["TRT World"], [SR]),
    # --- roles and places are dropped ------------------------------------------------------
    case("comma-role", "Ali Topchi, TRT World's correspondent in Gaza", ["Ali Topchi"]),
    case("bio-sentence", "Noureldein Ghanem is an Assistant Producer at TRT World",
         ["Noureldein Ghanem"]),
    case("bio-turkish", "Karya Naz Balkız is a deputy producer at TRT World.", ["Karya Naz Balkız"]),
    case("bio-long", CMS_SAYEGH["bio"], ["Nadine Sayegh"]),
    case("comma-title", "Jane Doe, Senior Correspondent", ["Jane Doe"]),
    case("comma-agency-role", "By Jane Doe, AFP correspondent", ["Jane Doe"], [AFP]),
    case("in-place", "By Jane Doe in Gaza", ["Jane Doe"]),
    case("dash-place", "Jane Doe - Istanbul", ["Jane Doe"]),
    case("emdash-agency", "Jane Doe — AFP", ["Jane Doe"], [AFP]),
    case("comma-place", "Jane Doe, Istanbul", ["Jane Doe"]),
    case("for-agency", "By Jane Doe for Reuters", ["Jane Doe"], ["Reuters"]),
    case("of-organisation", "Jane Doe of Fox News", ["Jane Doe"], ["Fox News"]),
    case("who-clause", "Jane Doe, who covers Türkiye", ["Jane Doe"]),
    # --- contacts are dropped --------------------------------------------------------------
    case("handle", "By Ali Topchi @atopchi", ["Ali Topchi"]),
    case("email-in-parens", "Ali Topchi (atopchi@trtworld.com)", ["Ali Topchi"]),
    case("email-bare", "Jane Doe, jane.doe@example.com", ["Jane Doe"]),
    case("url", "Jane Doe https://twitter.com/janedoe", ["Jane Doe"]),
    # --- agencies and organisations go to sources ------------------------------------------
    case("afp", "AFP", sources=[AFP]),
    case("reuters", "Reuters", sources=["Reuters"]),
    case("aa", "AA", sources=[AA]),
    case("anadolu", "Anadolu", sources=[AA]),
    case("anadolu-agency", "Anadolu Agency", sources=[AA]),
    case("anadolu-ajansi", "Anadolu Ajansı", sources=[AA]),
    case("anadolu-ajansi-upper", "ANADOLU AJANSI", sources=[AA]),
    case("ap", "AP", sources=[AP]),
    case("associated-press", "Associated Press", sources=[AP]),
    case("the-associated-press", "The Associated Press", sources=[AP]),
    case("trt-world", "TRT World", sources=["TRT World"]),
    case("agencies", "Agencies", sources=["Agencies"]),
    case("dpa", "dpa", sources=["Deutsche Presse-Agentur"]),
    case("xinhua", "Xinhua", sources=["Xinhua"]),
    case("efe", "EFE", sources=["EFE"]),
    case("agency-list", "Reuters, AFP and AA", sources=["Reuters", AFP, AA]),
    case("agency-in-parens", "Jane Doe (AFP)", ["Jane Doe"], [AFP]),
    case("ap-style-trailing", "By ZEKE MILLER and JOSH BOAK Associated Press",
         ["Zeke Miller", "Josh Boak"], [AP]),
    case("agency-staff", "TRT World Staff", sources=["TRT World"]),
    case("inputs-from-agencies", "By Jane Doe with inputs from agencies", ["Jane Doe"],
         ["Agencies"]),
    case("by-agency", "By AFP", sources=[AFP]),
    case("by-by-line-agency-pair", "By Jane Doe, Reuters", ["Jane Doe"], ["Reuters"]),
    case("trailing-code", "Jane Doe AFP", ["Jane Doe"], [AFP]),
    case("surname-like-agency-kept", "Michael Bloomberg", ["Michael Bloomberg"]),
    case("upper-surname-like-code-kept", "Mehmet EFE", ["Mehmet Efe"]),
    case("unknown-org-by-word", "Jane Doe | USA TODAY", ["Jane Doe"], ["USA TODAY"]),
    case("agency-house-suffix", "By Reuters Staff", sources=["Reuters"]),
    case("degree-dropped", "Jane Doe, Ph.D.", ["Jane Doe"]),
    case("posted-by-admin", "Posted by admin"),
    # --- names -----------------------------------------------------------------------------
    case("turkish-upper", "By ÇAĞLAR KILIÇ", ["Çağlar Kılıç"]),
    case("turkish-dotted-capital", "İBRAHİM ALTAY", ["İbrahim Altay"]),
    case("apostrophe-upper", "Sean O'NEILL", ["Sean O'Neill"]),
    case("hyphen-upper", "AHMED AL-SAYED", ["Ahmed Al-Sayed"]),
    case("turkish-mixed-kept", "Ahmet Şık", ["Ahmet Şık"]),
    case("particle-kept", "Abu Mahdi al-Mohandis", ["Abu Mahdi al-Mohandis"]),
    case("dutch-particles-kept", "Jan van der Berg", ["Jan van der Berg"]),
    case("mc-kept", "Ronald McDonald", ["Ronald McDonald"]),
    case("initials-kept", "J. K. Rowling", ["J. K. Rowling"]),
    case("suffix-kept", "Martin Luther King, Jr.", ["Martin Luther King, Jr."]),
    case("accented-upper", "ÉLISE LUCET", ["Élise Lucet"]),
    case("stray-punctuation", "  By   Jane   Doe. ", ["Jane Doe"]),
    case("html-link", '<a href="/author/jane-doe">Jane Doe</a>', ["Jane Doe"]),
    # --- JSON-LD author values -------------------------------------------------------------
    case("jsonld-string", "Staff Reporter", [SR], house=[SR]),
    case("jsonld-person", {"@type": "Person", "name": "Jane Doe", "url": "https://x.test/jd"},
         ["Jane Doe"]),
    case("jsonld-given-family", {"@type": "Person", "givenName": "Meryem", "familyName": "Demirhan"},
         ["Meryem Demirhan"]),
    case("jsonld-organisation", {"@type": "Organization", "name": "TRT World"},
         sources=["TRT World"]),
    case("jsonld-news-media-org", {"@type": "NewsMediaOrganization", "name": "Anadolu Ajansı"},
         sources=[AA]),
    case("jsonld-mixed-list", [{"@type": "Person", "name": "Jane Doe"},
                               {"@type": "Organization", "name": "AFP"}], ["Jane Doe"], [AFP]),
    case("jsonld-value-object", {"@type": "Person", "name": {"@value": "Jane Doe", "@language": "en"}},
         ["Jane Doe"]),
    case("jsonld-name-with-prefix", {"@type": "Person", "name": "By Jane Doe"}, ["Jane Doe"]),
    case("jsonld-person-is-agency", {"@type": "Person", "name": "AFP"}, sources=[AFP]),
    case("jsonld-person-two-names", {"@type": "Person", "name": "Jane Doe, John Roe"},
         ["Jane Doe", "John Roe"]),
    case("jsonld-list-object", {"@list": [{"@type": "Person", "name": "Jane Doe"}, "John Roe"]},
         ["Jane Doe", "John Roe"]),
    case("jsonld-type-list-sameas", {"@type": ["Person"], "name": "Jane Doe",
                                     "sameAs": ["https://twitter.com/janedoe"]}, ["Jane Doe"]),
    case("jsonld-strings-list", ["Jane Doe", "AFP", "Staff Reporter"], ["Jane Doe", SR], [AFP], [SR]),
    # --- junk -> empty ---------------------------------------------------------------------
    case("none", None),
    case("empty", ""),
    case("blank", " \u00a0\n "),
    case("int", 42),
    case("float", 3.5),
    case("bool", True),
    case("empty-dict", {}),
    case("nested-empty", [[None], {}]),
    case("unrelated-dict", {"foo": {"bar": 1}}),
    case("bare-by", "By"),
    case("dash", "—"),
    case("date", "2017-11-25"),
]


@pytest.mark.parametrize("value, authors, sources, house", BYLINE_CASES)
def test_split_byline_table(value, authors, sources, house):
    result = split_byline(value)
    assert isinstance(result, Byline)
    assert result.authors == authors
    assert result.sources == sources
    assert result.house == house


def test_table_is_large_enough():
    assert len(BYLINE_CASES) >= 80


@pytest.mark.parametrize("value, raw", [
    pytest.param("By Staff Reporter", "By Staff Reporter", id="text"),
    pytest.param("  Jane\u00a0 Doe ", "Jane Doe", id="text-whitespace"),
    pytest.param([CMS_GHANEM, CMS_CARD_STAFF], "Noureldein Ghanem, Staff Reporter", id="cms-list"),
    pytest.param(CMS_SLEIMAN, "Sara SLEIMAN", id="cms-card"),
    pytest.param({"@type": "Organization", "name": "TRT World"}, "TRT World", id="organisation"),
    pytest.param(None, None, id="none"),
    pytest.param("", None, id="empty"),
])
def test_raw(value, raw):
    assert split_byline(value).raw == raw


@pytest.mark.parametrize("value, dropped", [
    pytest.param("By Ali Topchi @atopchi", ("@atopchi",), id="handle"),
    pytest.param("Ali Topchi (atopchi@trtworld.com)", ("atopchi@trtworld.com",), id="email"),
    pytest.param("Ali Topchi, TRT World's correspondent in Gaza",
                 ("TRT World's correspondent in Gaza",), id="role"),
    pytest.param("Noureldein Ghanem is an Assistant Producer at TRT World",
                 ("is an Assistant Producer at TRT World",), id="bio"),
    pytest.param("Jane Doe - Istanbul", ("Istanbul",), id="dash-place"),
    pytest.param("Reporting by Tom Perry; Editing by Alex Richardson",
                 ("Editing by Alex Richardson",), id="editor"),
])
def test_dropped(value, dropped):
    assert split_byline(value).dropped == dropped


# --- normalise_sources and credit_source ------------------------------------------------------

@pytest.mark.parametrize("values, expected", [
    pytest.param(CMS_SOURCES, (AA,), id="cms-sources"),
    pytest.param("AFP", (AFP,), id="seed-source-line-text"),
    pytest.param("SOURCE:AFP", (AFP,), id="source-label"),
    pytest.param("Source: Reuters", ("Reuters",), id="source-label-space"),
    pytest.param("TRT World and Agencies", ("TRT World", "Agencies"), id="trt-and-agencies"),
    pytest.param("AA, Reuters", (AA, "Reuters"), id="comma-list"),
    pytest.param(["AA", "Anadolu Agency", "aa"], (AA,), id="dedupe-aliases"),
    pytest.param(["AP", "AFP"], (AP, AFP), id="order-kept"),
    pytest.param("Daily  Sabah ", ("Daily Sabah",), id="unknown-cleaned"),
    pytest.param(["Middle East Eye", "AFP"], ("Middle East Eye", AFP), id="unknown-and-known"),
    pytest.param({"key": "aa"}, (AA,), id="cms-key-only"),
    pytest.param({"@type": "Organization", "name": "TRT World"}, ("TRT World",), id="jsonld-org"),
    pytest.param("With inputs from PTI", ("Press Trust of India",), id="inputs-from"),
    pytest.param(None, (), id="none"),
    pytest.param([None, 3, {}], (), id="junk"),
])
def test_normalise_sources(values, expected):
    assert normalise_sources(values) == expected


@pytest.mark.parametrize("credit, expected", [
    pytest.param("AFP", (AFP,), id="afp"),
    pytest.param("AA", (AA,), id="aa"),
    pytest.param("Photo: Reuters", ("Reuters",), id="photo-label"),
    pytest.param("Reuters/Yossi Zeliger", ("Reuters",), id="agency-slash-photographer"),
    pytest.param("Yossi Zeliger", (), id="photographer-only"),
    pytest.param("TRT World", ("TRT World",), id="trt-world"),
    pytest.param("Getty Images", ("Getty Images",), id="getty"),
    pytest.param(CMS_CAPTION, ("Reuters",), id="cms-caption"),
    pytest.param(SEED_CAPTION, (AFP,), id="seed-caption"),
    pytest.param("Children in Gaza. / AA", (AA,), id="caption-aa"),
    pytest.param("Istanbul skyline / TRT World", ("TRT World",), id="caption-trt"),
    pytest.param("AFP via Getty Images", (AFP, "Getty Images"), id="via-getty"),
    pytest.param("AP Photo/Evan Vucci", (AP,), id="ap-photo"),
    pytest.param("AA Archive", (AA,), id="archive"),
    pytest.param("File photo: Anadolu Agency", (AA,), id="file-photo"),
    pytest.param("", (), id="empty"),
    pytest.param(None, (), id="none"),
])
def test_credit_source(credit, expected):
    assert credit_source(credit) == expected


# --- fix_name_case -----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    pytest.param("SLEIMAN", "Sleiman", id="upper"),
    pytest.param("Sara SLEIMAN", "Sara Sleiman", id="upper-surname"),
    pytest.param("SARA SLEIMAN", "Sara Sleiman", id="all-upper"),
    pytest.param("SMITH", "Smith", id="plain"),
    pytest.param("ÇAĞLAR KILIÇ", "Çağlar Kılıç", id="turkish"),
    pytest.param("İBRAHİM", "İbrahim", id="turkish-dotted"),
    pytest.param("ŞIK", "Şık", id="turkish-dotless"),
    pytest.param("O'NEILL", "O'Neill", id="apostrophe"),
    pytest.param("AL-SAYED", "Al-Sayed", id="hyphen"),
    pytest.param("ÉLISE", "Élise", id="accent"),
    pytest.param("Karya Naz Balkiz", "Karya Naz Balkiz", id="mixed-kept"),
    pytest.param("Noureldein Ghanem", "Noureldein Ghanem", id="mixed-kept-2"),
    pytest.param("McDonald", "McDonald", id="mc"),
    pytest.param("al-Mohandis", "al-Mohandis", id="particle"),
    pytest.param("van der Berg", "van der Berg", id="dutch"),
    pytest.param("J. K.", "J. K.", id="initials"),
    pytest.param("JK Rowling", "JK Rowling", id="initials-mixed"),
    pytest.param("Karya Naz Balkız", "Karya Naz Balkız", id="turkish-mixed"),
    pytest.param("", "", id="empty"),
])
def test_fix_name_case(name, expected):
    assert fix_name_case(name) == expected
    assert "\u0307" not in fix_name_case(name)


# --- AGENCIES table ----------------------------------------------------------------------

def test_agencies_table_shape():
    assert AGENCIES["aa"] == AGENCIES["anadolu"] == AGENCIES["anadolu ajansı"] == AA
    assert AGENCIES["afp"] == AFP and AGENCIES["ap"] == AP and AGENCIES["reuters"] == "Reuters"
    for alias, full in AGENCIES.items():
        assert alias == alias.lower().strip() and full
        assert split_byline(alias).authors == ()
        assert split_byline(alias).sources == (full,)


def test_byline_is_frozen():
    with pytest.raises(Exception):
        split_byline("Jane Doe").authors = ()  # type: ignore[misc]


# --- properties --------------------------------------------------------------------------

TOKENS = [
    "By", "BY", "by", "Written", "Reporting", "Editing", "and", "AND", "with", ",", "&", "|", ";",
    "/", "-", "—", "(", ")", "Staff", "Reporter", "AFP", "AA", "Reuters", "TRT", "World", "Agencies",
    "Sara", "SLEIMAN", "Karya", "Naz", "Balkız", "ÇAĞLAR", "KILIÇ", "İBRAHİM", "Byron", "ABBY",
    "O'NEILL", "al-Mohandis", "Jr.", "J.", "is", "an", "Assistant", "Producer", "at", "in", "Gaza",
    "Istanbul", "TRT World's", "correspondent", "@handle", "a@b.co", "\u00a0", "\n", "&amp;",
    "<b>", "News", "Associated", "Press", "via", "SOURCE:", "Photo:", "ı", "I", "İ", "e\u0301",
    # baggage of issue 11
    "March 3, 2021", "4:15 pm", "9 May 2021", "12", "Edit", "0 Comments", "Twitter", "·", "on",
    "Written by", "No Author", "Staff and wire reports", "ABC Staff Report", "SANA", "Image:",
    "Getty Images", "today", "Published", "3 hours ago", "Daily",
]
bylineish = st.lists(st.sampled_from(TOKENS), max_size=14).map(" ".join)
any_text = st.one_of(st.text(max_size=80), bylineish)
json_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["@type", "name", "givenName", "familyName", "firstName", "lastName",
                         "text", "@value", "@list", "value", "url"]) | st.text(max_size=8),
        children, max_size=5),
    max_leaves=20,
)
BY_PREFIX = re.compile(r"(?i)by\s")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def check_invariants(result: Byline) -> None:
    for field in (result.authors, result.sources, result.house, result.dropped):
        assert isinstance(field, tuple) and all(isinstance(x, str) for x in field)
    for author in result.authors:
        assert author and author == author.strip()
        assert "@" not in author and not EMAIL.search(author)
        assert author.casefold() not in AGENCIES
        assert not BY_PREFIX.match(author)
    assert len({a.casefold() for a in result.authors}) == len(result.authors)
    assert set(result.house) <= set(result.authors)
    assert all(s.strip() for s in result.sources)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_split_byline_text_properties(text):
    result = split_byline(text)
    check_invariants(result)
    assert split_byline(", ".join(result.authors)).authors == result.authors


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_like)
def test_split_byline_json_properties(value):
    result = split_byline(value)
    check_invariants(result)
    assert split_byline(", ".join(result.authors)).authors == result.authors


@given(json_like)
def test_sources_and_credits_never_raise(value):
    assert all(isinstance(s, str) and s for s in normalise_sources(value))
    text = value if isinstance(value, str) else None
    assert all(s in AGENCIES.values() for s in credit_source(text))


names = st.one_of(st.text(max_size=30), bylineish,
                  st.text(alphabet="ABCÇĞIİÖŞÜÉabcçğıiöşüé' -.", max_size=25))


@given(names)
def test_fix_name_case_properties(name):
    fixed = fix_name_case(name)
    assert fix_name_case(fixed) == fixed
    assert "\u0307" not in fixed or "\u0307" in name
    if "İ" not in name:
        assert sum(c.isalpha() for c in fixed) == sum(c.isalpha() for c in name)
        assert len(fixed) == len(name)


# --- baggage around the names (one table row per documented rule) -------------------------
# The shapes are those seen on real news pages of other publishers (issue 11); the names
# are made up there and here.

def baggage(case_id, value, authors=(), sources=(), house=(), dropped=None):
    return pytest.param(value, tuple(authors), tuple(sources), tuple(house), dropped, id=case_id)


BAGGAGE_CASES = [
    # rule 4: dates and times, with their labels and joiners
    baggage("date-time-after-comma", "By Jane Roe, March 3, 2021 4:15 pm", ["Jane Roe"],
            dropped=("March 3, 2021 4:15 pm",)),
    baggage("date-written-on", "Written by City Daily on June 2, 2022", sources=["City Daily"],
            dropped=("on June 2, 2022",)),
    baggage("date-iso", "Jane Roe, 2017-11-25T10:00:00Z", ["Jane Roe"]),
    baggage("date-updated-label", "By Jane Roe Updated: Feb. 3, 2024 at 10:15 a.m. ET", ["Jane Roe"],
            dropped=("Updated: Feb. 3, 2024 at 10:15 a.m. ET",)),
    baggage("date-relative", "By Jane Roe | Published 3 hours ago", ["Jane Roe"],
            dropped=("Published 3 hours ago",)),
    baggage("date-day-month-counter-edit", "By Ann Lee 9 May 2021, 1:05 pm 12 Edit", ["Ann Lee"]),
    baggage("month-name-as-given-name", "By May Jones", ["May Jones"]),
    baggage("today-as-a-word-of-a-name", "Jane Doe | USA TODAY", ["Jane Doe"], ["USA TODAY"]),
    # rule 4: counters
    baggage("counter-comments", "By Jane Roe 0 Comments", ["Jane Roe"], dropped=("0 Comments",)),
    # rule 4: image credits
    baggage("image-credit-in-parens", "Kim Ott, (Image: Getty Images/iStockphoto)", ["Kim Ott"],
            dropped=("Image: Getty Images/iStockphoto",)),
    baggage("image-credit-bare", "Kim Ott, Image: Getty Images/iStockphoto", ["Kim Ott"]),
    # rule 5: category list after ", in"
    baggage("category-list-middots", "By XYZ, in News, Politics · 3 Feb 2024 · 0 Comments", ["Xyz"],
            dropped=("in News, Politics", "3 Feb 2024", "0 Comments")),
    # rule 6: trailing social and page labels
    baggage("social-label", "By Sam Vale Twitter", ["Sam Vale"], dropped=("Twitter",)),
    baggage("social-labels", "Sam Vale Facebook LinkedIn", ["Sam Vale"]),
    # rule 6: placeholders
    baggage("placeholder-no-author", "No Author", dropped=("No Author",)),
    baggage("placeholder-unknown", "By Unknown", ()),
    baggage("placeholder-admin-with-date", "Posted by admin on May 1, 2020", ()),
    baggage("placeholder-person-object", {"@type": "Person", "name": "No Author"}, ()),
    # rule 6: desks kept whole, as written
    baggage("desk-staff-and-wire", "Staff and wire reports", ["Staff and wire reports"],
            house=["Staff and wire reports"]),
    baggage("desk-after-person", "Jane Doe and Staff and wire reports",
            ["Jane Doe", "Staff and wire reports"], house=["Staff and wire reports"]),
    baggage("desk-org-staff-report", "ABC Staff Report", ["ABC Staff Report"],
            house=["ABC Staff Report"]),
    baggage("desk-agency-staff-report", "AFP Staff Report", sources=[AFP]),
    # rule 6: publisher and agency names to sources
    baggage("publisher-org-word", "City Daily", sources=["City Daily"]),
    baggage("publisher-trt", "By TRT World", sources=["TRT World"]),
    baggage("case-code-sana", "By SANA", sources=["SANA"]),
    baggage("case-code-sana-is-a-name-in-mixed-case", "By Sana Khan", ["Sana Khan"]),
    # structured: Person with byline instead of name
    baggage("person-byline-key", {"@type": "Person", "byline": "Jane Roe"}, ["Jane Roe"]),
    baggage("unresolved-reference", {"@id": "https://example.com/#/schema/person/1"}, ()),
]


@pytest.mark.parametrize("value, authors, sources, house, dropped", BAGGAGE_CASES)
def test_split_byline_baggage(value, authors, sources, house, dropped):
    result = split_byline(value)
    assert (result.authors, result.sources, result.house) == (authors, sources, house)
    if dropped is not None:
        assert set(dropped) <= set(result.dropped)
    check_invariants(result)
