"""Does a successful (2xx) page look like a bot challenge or a consent wall instead of content?

A wall served with 403/429 is already counted by its status (see ``newsbot.health``); the
dangerous ones come back 200 (Cloudflare's JS challenge, consent interstitials) or 202 (AWS
WAF's challenge) and would pass as a broken page. So ``wall_kind`` judges 2xx responses only.

Real pages routinely load a bot vendor's script (Cloudflare's ``/cdn-cgi/challenge-platform/``
detection script, DataDome's tag, Incapsula's resource, a reCAPTCHA on a newsletter form) and
mention "captcha", "cookies" or "Access denied" in their text. So markers come in strengths:

* ``STRONG``: seen only on a challenge or block page: its ``<title>`` (matched whole, so a
  headline "Access denied: ..." is not one), its challenge script or host, a header the
  vendor sends only when it challenges. One is enough, whatever else the page holds.
* ``WEAK``: a wall's wording, or a vendor's mere presence; each counts only while the page's
  visible text is under its limit: ``SHORT_PAGE_CHARS`` for wording, ``NEAR_EMPTY_CHARS``
  for presence (a wall says a sentence or two; a news page says far more).
* A consent wall has no vendor: a short page is one when consent wording fills at least
  ``CONSENT_DOMINANCE`` of its visible text.

A page carrying an article (``ARTICLE_MARKERS``: JSON-LD article, ``og:type`` article, an
``<article>`` element) is content, so only strong markers can make it a wall: a short agency
story about captchas must not fail a run.

Markers follow the vendors' documentation and their block pages as seen in the wild
(Cloudflare, Akamai, DataDome, PerimeterX/HUMAN, Imperva/Incapsula, Sucuri, AWS WAF,
DDoS-Guard, hCaptcha/reCAPTCHA, Google's consent and "unusual traffic" pages). Text is
matched case-insensitively with HTML entities decoded (Akamai encodes its reference URL).

Speed: a page is 200-600 KB and nearly every page is content, so the markers are proven
absent cheaply, with the same result as searching every pattern: each marker looked for in
the raw page names the literals a match must contain (``Marker.literals``), and the
pattern runs only on a page that holds them. Literals are looked for in one ASCII-folded
copy of the page (the folding re.IGNORECASE does for these literals' characters:
``ASCII_FOLDS``), made from the page as it is unless an entity in it decodes to one of the
literals' characters (only then is the whole page unescaped first). A page with an article
marker is found by the marker's first occurrence; the visible text is measured only as far
as the limits need.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any, NamedTuple

from newsbot.pages.literals import ASCII_FOLDS, FoldedPage, fold, known

__all__ = ["ARTICLE_MARKERS", "ASCII_FOLDS", "CONSENT", "STRONG", "WEAK", "fold", "visible_text", "wall_kind"]

# Visible text under which a wall's wording counts, and under which a consent-dominated
# page is a consent wall: walls say a few sentences (a TCF consent text runs to ~1,000
# characters). Short articles are protected by ARTICLE_MARKERS, not by this limit.
SHORT_PAGE_CHARS = 1500
# Visible text under which a vendor's mere presence (script, cookie, header) counts: a
# page with a script and a sentence, nothing to read.
NEAR_EMPTY_CHARS = 300
# A short page is a consent wall when consent pieces make up this share of its visible text.
CONSENT_DOMINANCE = 0.5
CONSENT = "consent"

# Where a marker is looked for: a header's values, the whole <title>, the raw page (scripts
# and attributes included), or the visible text.
HEADER, TITLE, BODY, VISIBLE = "header", "title", "body", "visible"


class Marker(NamedTuple):
    kind: str
    where: str
    pattern: re.Pattern
    header: str | None = None  # the header's name, for HEADER markers
    max_chars: int | None = None  # counts only below this much visible text; None: always
    # BODY markers: what a match must contain, lower-case ASCII: alternatives (one per
    # branch of the pattern), each a tuple of literals that all occur in a match (the
    # rarest on ordinary pages first: the others are looked for only when it is there).
    literals: tuple[tuple[str, ...], ...] = ()


def _marker(kind, where, pattern, header=None, max_chars=None, literals=()) -> Marker:
    literals = tuple((alternative,) if isinstance(alternative, str) else tuple(alternative)
                     for alternative in literals)
    if where == BODY and not literals:
        raise ValueError(f"the {kind} marker {pattern!r} needs the literals a match contains")
    known(*(alternative[0] for alternative in literals))  # the others are tested only after it
    return Marker(kind, where, re.compile(pattern, re.IGNORECASE), header, max_chars, literals)


# First match wins: vendors before the generic kinds.
STRONG = (
    _marker("cloudflare", HEADER, r"challenge", header="cf-mitigated"),
    _marker("cloudflare", TITLE, r"just a moment(?:\.{0,3}|…)|attention required! \| cloudflare"
                                 r"|please wait\.{0,3} \| cloudflare"),
    _marker("cloudflare", BODY, r"cf_chl_opt|cf-browser-verification|"
                                r"challenge-platform/[^\"'\s<>]{0,200}orchestrate",
            literals=("cf_chl_opt", "cf-browser-verification", ("orchestrate", "challenge-platform/"))),
    _marker("aws_waf", HEADER, r"challenge|captcha", header="x-amzn-waf-action"),
    _marker("aws_waf", BODY, r"\bgokuprops\b", literals=("gokuprops",)),
    _marker("akamai", BODY, r"errors\.edgesuite\.net|/_sec/cp_challenge/",
            literals=("errors.edgesuite.net", "/_sec/cp_challenge/")),
    _marker("datadome", BODY, r"captcha-delivery\.com", literals=("captcha-delivery.com",)),
    _marker("perimeterx", TITLE, r"access to this page has been denied\.?"),
    _marker("perimeterx", BODY, r"px-captcha|perimeterx\.(?:com|net)/whywasiblocked",
            literals=("px-captcha", ("/whywasiblocked", "perimeterx."))),
    _marker("imperva", TITLE, r"pardon our interruption\.{0,3}"),
    _marker("imperva", BODY, r"incapsula incident id|"
                             r"_incapsula_resource\?[^\"'\s<>]{0,500}incident_id",
            literals=("incapsula incident id", ("incident_id", "_incapsula_resource?"))),
    _marker("sucuri", HEADER, r".", header="x-sucuri-block"),
    _marker("sucuri", TITLE, r"sucuri website firewall.{0,30}"),
    _marker("sucuri", BODY, r"sucuri[-_]firewall[-_]block|sucuri_cloudproxy_js",
            literals=(("sucuri", "firewall", "block"), "sucuri_cloudproxy_js")),
    _marker("ddos_guard", TITLE, r"ddos-guard"),
    _marker("ddos_guard", BODY, r"/\.well-known/ddos-guard/", literals=("/.well-known/ddos-guard/",)),
    # Cloudflare's old wording, copied by others (DDoS-Guard): after their own markers.
    _marker("cloudflare", BODY, r"checking your browser before accessing",
            literals=("checking your browser before accessing",)),
    _marker("captcha", TITLE, r"(?:.{1,80} [-|] )?(?:are you a robot|verify you are human)\??"),
    _marker("captcha", BODY, r"our systems have detected unusual traffic from your computer",
            literals=("our systems have detected unusual traffic from your computer",)),
    _marker("access_denied", TITLE, r"access denied|403 forbidden|forbidden"),
    _marker(CONSENT, TITLE, r"before you continue(?: to .{1,80})?"),
    _marker(CONSENT, BODY, r"consent\.(?:google|youtube)\.com/save", literals=((".com/save", "consent."),)),
)

WEAK = (
    # A wall's wording: counts on a short page.
    _marker("cloudflare", VISIBLE, r"enable javascript and cookies to continue|checking if the "
            r"site connection is secure|needs to review the security of your connection",
            max_chars=SHORT_PAGE_CHARS),
    _marker("akamai", VISIBLE, r"reference #\s*\d+\.[0-9a-f]+\.\d+", max_chars=SHORT_PAGE_CHARS),
    _marker("datadome", VISIBLE, r"please enable js and disable any ad blocker",
            max_chars=SHORT_PAGE_CHARS),
    _marker("perimeterx", VISIBLE, r"press (?:&|and) hold", max_chars=SHORT_PAGE_CHARS),
    _marker("captcha", VISIBLE, r"verify (?:that )?you are (?:a )?human|are you a robot|"
            r"not a robot|(?:complete|solve) the (?:captcha|security check)",
            max_chars=SHORT_PAGE_CHARS),
    _marker("access_denied", VISIBLE, r"access denied|you don'?t have permission to access",
            max_chars=SHORT_PAGE_CHARS),
    # A vendor's presence: its script, cookie or header is on normal pages too, so it counts
    # only on a page with next to nothing to read.
    _marker("cloudflare", BODY, r"challenge-platform|challenges\.cloudflare\.com",
            max_chars=NEAR_EMPTY_CHARS, literals=("challenge-platform", "challenges.cloudflare.com")),
    _marker("aws_waf", BODY, r"awswaf\.com", max_chars=NEAR_EMPTY_CHARS, literals=("awswaf.com",)),
    _marker("datadome", HEADER, r".", header="x-datadome", max_chars=NEAR_EMPTY_CHARS),
    _marker("datadome", HEADER, r"^\s*datadome=", header="set-cookie", max_chars=NEAR_EMPTY_CHARS),
    _marker("datadome", BODY, r"js\.datadome\.co", max_chars=NEAR_EMPTY_CHARS,
            literals=("js.datadome.co",)),
    _marker("perimeterx", HEADER, r"^\s*_pxhd=", header="set-cookie", max_chars=NEAR_EMPTY_CHARS),
    _marker("perimeterx", BODY, r"_pxhd|_pxappid|px-cdn\.net|px-cloud\.net",
            max_chars=NEAR_EMPTY_CHARS, literals=("_pxhd", "_pxappid", "px-cdn.net", "px-cloud.net")),
    _marker("imperva", BODY, r"_incapsula_resource", max_chars=NEAR_EMPTY_CHARS,
            literals=("_incapsula_resource",)),
    _marker("captcha", BODY, r"hcaptcha\.com|google\.com/recaptcha|recaptcha\.net|"
            r"class=[\"'][^\"'<>]{0,200}\b(?:g-recaptcha|h-captcha)\b", max_chars=NEAR_EMPTY_CHARS,
            literals=("hcaptcha.com", "google.com/recaptcha", "recaptcha.net", ("g-recaptcha", "class="),
                      ("h-captcha", "class="))),
)

# What makes a page content: no challenge or consent interstitial carries an article.
ARTICLE_MARKERS = re.compile(
    r"\"@type\"\s*:\s*\"(?:News|Blog|Reportage|Analysis|Opinion)?(?:Article|Posting)\"|"
    r"<meta\b[^<>]{0,300}og:type[^<>]{0,300}content=[\"']article|"
    r"<meta\b[^<>]{0,300}content=[\"']article[\"'][^<>]{0,300}og:type|"
    r"<article\b",
    re.IGNORECASE,
)

# Pieces of a consent wall. Phrases, not single words like "privacy": those are in footers.
CONSENT_WORDING = re.compile(
    r"\bcookies?\b|\bconsent\b|\bprivacy (?:policy|settings|choices|preferences)\b|"
    r"\bwe value your privacy\b|\baccept all\b|\breject all\b|\bagree\b|\bpartners\b|"
    r"\bpersonal data\b|\blegitimate interest\b|\bmanage (?:options|preferences|settings|choices)"
    r"\b|\bstore and/or access information\b|\bbefore you continue\b",
    re.IGNORECASE,
)

# Bounded patterns, and closers looked for once from their opener: the time spent stays
# linear in the page's size whatever it holds (many unclosed "<!--" or "<" included).
_TITLE_OPEN = re.compile(r"<title\b[^<>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
# What a reader never sees as text (the <title> is read apart); unclosed, it hides the rest,
# as in a browser.
_HIDDEN_OPEN = re.compile(r"<!--|<(script|style|template|svg|title)\b", re.IGNORECASE)
_HIDDEN_CLOSE = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
                 for name in ("script", "style", "template", "svg", "title")}
_TAG = re.compile(r"<[^<>]*>")
_SPACE = re.compile(r"\s+")
# Consent share is measured over pieces: sentences, and blocks, so a button without a full
# stop ("Accept all") is a piece apart from the paragraph before it.
_BLOCK = re.compile(r"<(?:p|div|li|h[1-6]|button|br|section|footer|header|form|label|td|dialog)"
                    r"\b", re.IGNORECASE)
_PIECE_END = re.compile(r"(?<=[.!?]) |\n")

_ASCII_FOLD_OF = dict(ASCII_FOLDS)


def _fold_char(char: str) -> str:
    """What ``fold`` makes of one character."""
    return _ASCII_FOLD_OF.get(char) or (char.lower() if char.isascii() else char)


# Every character of every literal.
LITERAL_CHARS = frozenset("".join(literal for marker in (*STRONG, *WEAK)
                                  for alternative in marker.literals for literal in alternative))
# Entities html.unescape decodes that may put a literal's character (folded) in the page:
# numeric ones, as its own pattern reads them, and the few named ones whose value holds such
# a character, each found by its name after the "&" (html.unescape also decodes a legacy name
# that begins a longer word). One pattern finds both; a page without "&#" or one of those
# names (lower-cased, in its folded form) has none of them.
_LITERAL_ENTITY_NAMES = sorted((name for name, value in html.entities.html5.items()
                                if any(_fold_char(char) in LITERAL_CHARS for char in value)),
                               key=lambda name: (-len(name), name))
_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|"
                        + "|".join(re.escape(name) for name in _LITERAL_ENTITY_NAMES) + ")")
_REFERENCE_BYTES = re.compile(_REFERENCE.pattern.encode("ascii"))  # the same over UTF-8
_REFERENCE_LITERALS = known("&#", *dict.fromkeys("&" + name.lower() for name in _LITERAL_ENTITY_NAMES))
# Where an article page shows its marker: the opening literal of two branches of
# ARTICLE_MARKERS, and the branch; tried at the first few occurrences before the search.
_ARTICLE_OPENERS = (
    ('"@type"', re.compile(r"\"@type\"\s*:\s*\"(?:News|Blog|Reportage|Analysis|Opinion)?"
                           r"(?:Article|Posting)\"", re.IGNORECASE)),
    ("<article", re.compile(r"<article\b", re.IGNORECASE)),
)
_ARTICLE_TRIES = 8
# A literal of each branch of ARTICLE_MARKERS, lower case: a page holding none has no marker.
_ARTICLE_LITERALS = known('"@type"', "og:type", "<article")
# The stripped page is measured in pieces of about this size, each cut before a "<".
_VISIBLE_PIECE = 16384


def wall_kind(status: int, headers: Mapping[Any, Any] | None, text: str | None,
              folded: FoldedPage | None = None) -> str | None:
    """The kind of wall a 2xx page is (``"cloudflare"``, ``"akamai"``, ``"datadome"``,
    ``"perimeterx"``, ``"imperva"``, ``"sucuri"``, ``"aws_waf"``, ``"ddos_guard"``,
    ``"captcha"``, ``"access_denied"``, ``"consent"``), or ``None`` for content, for any
    other status, and for an empty body without a challenge header.

    ``headers``: Scrapy's ``Headers`` (bytes names, lists of bytes values) or any mapping of
    str or bytes to str, bytes or lists of them. ``text``: the decoded body (``response.text``);
    ``folded``: its ``FoldedPage`` (``FoldedPage.of(response)``), when the caller has one.
    """
    if not 200 <= status < 300:
        return None
    text = text or ""
    fields = _headers(headers)
    title = _title(text)
    page = _Page(text, folded)
    for marker in STRONG:
        if _matches(marker, fields, title, page, ""):
            return marker.kind
    if not text or text.isspace() or has_article_marker(text, page.as_is):
        return None
    visible = _short_visible_text(text, SHORT_PAGE_CHARS)
    if visible is None:  # too much to read for any weak marker or a consent wall
        return None
    for marker in WEAK:
        if len(visible) < marker.max_chars and _matches(marker, fields, title, page, visible):
            return marker.kind
    if len(visible) < SHORT_PAGE_CHARS and _consent_share(text) >= CONSENT_DOMINANCE:
        return CONSENT
    return None


def has_article_marker(text: str, folded: FoldedPage | bytes | None = None) -> bool:
    """Whether ``ARTICLE_MARKERS`` occurs in ``text``: first at the first few occurrences of
    a branch's opening literal (where an article page has it), then by the whole search,
    unless ``folded`` (``text``'s ``FoldedPage``, or ``fold(text)``) lacks a literal of every
    branch."""
    holds = folded.has if isinstance(folded, FoldedPage) else (folded or b"").__contains__
    if folded is not None and not any(holds(literal) for literal in _ARTICLE_LITERALS):
        return False
    for opener, branch in _ARTICLE_OPENERS:
        if folded is not None and not holds(opener.encode()):
            continue  # not even in the folded page: the case-sensitive find finds nothing
        position = text.find(opener)
        for _ in range(_ARTICLE_TRIES):
            if position < 0:
                break
            if branch.match(text, position):
                return True
            position = text.find(opener, position + 1)
    return ARTICLE_MARKERS.search(text) is not None


def _short_visible_text(markup: str, limit: int) -> str | None:
    """``visible_text(markup)`` when it is shorter than ``limit``, else None, reading only as
    much of the page as it takes to see ``limit`` characters: the stripped page is measured
    in pieces cut before a "<", so no tag or entity spans two pieces, and the pieces' visible
    lengths add up to no more than the whole's. The stripped page is made only as far as the
    next cut (its kept stretches joined as ``_strip_hidden`` joins them)."""
    kept = _kept(markup)
    buffer, joined, exhausted, seen = "", False, False, 0
    while True:
        end = buffer.find("<", _VISIBLE_PIECE)
        while end < 0 and not exhausted:
            stretch = next(kept, None)
            if stretch is None:
                exhausted = True
                break
            buffer = buffer + " " + stretch if joined else stretch
            joined = True
            end = buffer.find("<", _VISIBLE_PIECE)
        end = len(buffer) if end < 0 else end
        seen += len(_visible(buffer[:end]))
        if seen >= limit:
            return None
        buffer = buffer[end:]
        if exhausted and not buffer:
            break
    visible = _visible(_strip_hidden(markup))
    return visible if len(visible) < limit else None


def visible_text(markup: str) -> str:
    """The text a reader would see, whitespace collapsed: a cheap regex pass, not a parser."""
    return _visible(_strip_hidden(markup))


def _visible(stripped: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", stripped))).strip()


def _strip_hidden(markup: str) -> str:
    """``markup`` without comments, scripts, styles, templates, SVG and the title."""
    return " ".join(_kept(markup))


def _kept(markup: str):
    """The stretches of ``markup`` between its hidden parts, in order; an unclosed hidden
    part hides the rest."""
    position = 0
    while opener := _HIDDEN_OPEN.search(markup, position):
        yield markup[position:opener.start()]
        if opener.group(1):
            closer = _HIDDEN_CLOSE[opener.group(1).lower()].search(markup, opener.end())
            end = closer.end() if closer else -1
        else:
            end = markup.find("-->", opener.end())
            end = end + 3 if end >= 0 else -1
        if end < 0:
            return
        position = end
    yield markup[position:]


def _title(markup: str) -> str:
    """The text of the first <title>, or ""."""
    opener = _TITLE_OPEN.search(markup)
    closer = _TITLE_CLOSE.search(markup, opener.end()) if opener else None
    if not closer:
        return ""
    return _SPACE.sub(" ", html.unescape(markup[opener.end():closer.start()])).strip()


def _matches(marker: Marker, fields: dict[str, list[str]], title: str, page: "_Page",
             visible: str) -> bool:
    if marker.where == HEADER:
        return any(marker.pattern.search(value) for value in fields.get(marker.header, ()))
    if marker.where == TITLE:
        return bool(title) and marker.pattern.fullmatch(title) is not None
    if marker.where == VISIBLE:
        return marker.pattern.search(visible) is not None
    return page.may_hold(marker) and marker.pattern.search(page.raw) is not None


class _Page:
    """The page's text in the forms BODY markers are looked for in, each made on first use.
    ``folded``: the page's ``FoldedPage``, when the caller has one already."""

    def __init__(self, text: str, folded: FoldedPage | None = None):
        self.text = text
        self.as_is = folded if folded is not None else FoldedPage(text)

    @cached_property
    def raw(self) -> str:
        """The page with its HTML entities decoded: where BODY patterns are searched."""
        return html.unescape(self.text)

    @cached_property
    def searched(self) -> FoldedPage:
        """Where literals are looked for: ``raw`` folded, or the page as it is when no entity
        in it can put a literal's character in ``raw``: the literals occur in one exactly
        when they occur in the other."""
        return FoldedPage(self.raw) if entities_matter(self.text, self.as_is) else self.as_is

    def may_hold(self, marker: Marker) -> bool:
        """False when ``marker`` cannot match ``raw``: an alternative's literals are missing."""
        has = self.searched.has
        return any(all(has(literal.encode()) for literal in alternative) for alternative in marker.literals)


def entities_matter(text: str, folded: FoldedPage | None = None) -> bool:
    """Whether ``html.unescape(text)`` may hold a literal's character (``LITERAL_CHARS``,
    folded) where ``text`` has an entity, or joins two pieces by decoding one to nothing
    (numeric references to forbidden code points). False means: an occurrence of a literal
    in the decoded text lies in what the page has as it is. ``folded``: ``text``'s
    ``FoldedPage``, which says at once when no such entity can be there."""
    if folded is not None and not any(folded.has(literal) for literal in _REFERENCE_LITERALS):
        return False
    if "&" not in text:
        return False
    decoded: set[str] = set()
    # Over the page's UTF-8 bytes when it came as UTF-8 (a byte a character: a faster scan);
    # references are ASCII, and a non-ASCII character never takes part in one.
    utf8 = folded.utf8 if folded is not None else None
    references = ([reference.decode("ascii") for reference in _REFERENCE_BYTES.findall(utf8)]
                  if utf8 is not None else _REFERENCE.findall(text))
    for reference in references:
        if reference[0] != "#":
            return True
        if reference not in decoded:
            decoded.add(reference)
            if _decodes_to_literal_char(reference):
                return True
    return False


def _decodes_to_literal_char(reference: str) -> bool:
    value = html.unescape("&" + reference)  # decoded alone as in the page: same pattern
    return not value or any(_fold_char(char) in LITERAL_CHARS for char in value)


def _consent_share(markup: str) -> float:
    """Share of the visible text, in characters, in pieces that use consent wording."""
    text = _SPACE.sub(" ", _strip_hidden(markup))
    text = html.unescape(_TAG.sub(" ", _BLOCK.sub(lambda m: "\n" + m.group(0), text)))
    total = consent = 0
    for piece in _PIECE_END.split(text):
        size = len(piece.strip())
        total += size
        if size and CONSENT_WORDING.search(piece):
            consent += size
    return consent / total if total else 0.0


def _headers(headers: Mapping[Any, Any] | None) -> dict[str, list[str]]:
    """Header names lower-cased to str, each with its values as a list of str."""
    fields: dict[str, list[str]] = {}
    for name, values in (headers or {}).items():
        if not isinstance(values, (list, tuple)):
            values = [values]
        fields.setdefault(_str(name).lower(), []).extend(_str(value) for value in values)
    return fields


def _str(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    return str(value)
