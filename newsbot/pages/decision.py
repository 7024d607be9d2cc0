"""The one decision about an article response: an item, a rejection, or a skip.

``decide()`` is called by the spider's ``parse_article``, by ``newsbot.offline.extract``
(``scrapy extract``, ``scrapy savefixture``) and by ``scrapy reextract``, so a rule added
here holds everywhere. In order:

* ``not_html``: the response is not an HTML page.
* ``challenge_page``: a 2xx page that is a bot challenge or consent wall (``wall_kind``).
* extraction (``ArticlePage.to_item``); any exception in it becomes
  ``internal_error:<Type>`` with the URL: a bug on one page never escapes.
* charset sanity: when the decoded page carries U+FFFD or UTF-8-read-as-8-bit mojibake
  (``Ã¼``, ``Ä±``, ``ÅŸ``), the other charsets it declares (HTTP header, ``<meta>``) and
  then UTF-8 and windows-1254 are tried; the first that decodes the bytes strictly into a
  clean page is used (``newsbot/page/charset/repaired``). If none does, the page is
  rejected as ``bad_charset`` when the article's own text is garbled, else exported and
  counted (``newsbot/page/charset/garbled_outside_text``).
* ``truncated``: the page's structure ends early (see ``truncation()``).
* a skip, not a rejection: older than ``since`` (``older_than_since``).

Counters go to ``stats`` (a Scrapy stats collector) when one is given.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from scrapy.http import HtmlResponse

from newsbot.items import Article
from newsbot.normalise.dates import normalise_date
from newsbot.pages.article import ArticlePage
from newsbot.pages.literals import FoldedPage
from newsbot.pages.wall import wall_kind
from newsbot.urls import SiteRules

NOT_HTML = "not_html"
CHALLENGE_PAGE = "challenge_page"
TRUNCATED = "truncated"
BAD_CHARSET = "bad_charset"
INTERNAL_ERROR = "internal_error"
OLDER_THAN_SINCE = "older_than_since"

# U+FFFD, or UTF-8 read in an 8-bit charset: a lead byte of Latin letters or punctuation
# (C2-C5: Â Ã Ä Å; E2: â) followed by a continuation byte (80-BF) as ISO-8859-* or
# windows-125x show it ("Ã¼" for ü, "Ä±" for ı, "ÅŸ" for ş, "â€™" for ’).
CONTINUATION = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
MOJIBAKE = re.compile(f"\ufffd|[\u00c2-\u00c5\u00e2][{CONTINUATION}]")
# The characters a MOJIBAKE match starts with: a page holding none has none (a page of real
# size is searched this way in a fraction of the time the pattern's own scan takes).
MOJIBAKE_LEADS = "\ufffd\u00c2\u00c3\u00c4\u00c5\u00e2"
# Occurrences of a lead tried one by one before the pattern searches from the first of them.
MOJIBAKE_TRIES = 32
# Tried after the charsets the page itself declares: UTF-8, then the site's 8-bit charset.
SNIFFED_CHARSETS = ("utf-8", "cp1254")
META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]{1,40})", re.I)
# The item's text fields where a decoding error shows.
TEXT_FIELDS = ("headline", "description", "body", "byline_raw", "section")

# Truncation: a document that opens <html> closes it; the visible body is not much shorter
# than the JSON-LD articleBody of the same page.
HTML_OPEN = re.compile(rb"<html[\s>]", re.I)
HTML_CLOSE = re.compile(rb"</html\s*>", re.I)
HTML_OPEN_WITHIN = 4096
HTML_CLOSE_WITHIN = 65536
MIN_BODY_SHARE = 0.8
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?…:;\"”’')\]]\s*$")


@dataclass
class Decision:
    """``item`` when the page is an article to export; else ``reason`` (a rejection kind from
    the README's table) with ``detail``, or ``skip`` (not exported by design, not a rejection)."""

    url: str
    item: Article | None = None
    reason: str | None = None
    detail: str = ""
    skip: str | None = None
    wall: str | None = None
    problems: list[str] = field(default_factory=list)
    # The page object the item came from: its layers (for agreement) and its parsed tree
    # (for the spider's link reading).
    page: ArticlePage | None = field(default=None, repr=False, compare=False)

    @property
    def rejected(self) -> bool:
        return self.reason is not None


def decide(response, site: SiteRules, since: date | None = None, stats=None,
           scraped_at: datetime | None = None) -> Decision:
    """What becomes of an article response (see the module's docstring)."""
    url = response.url
    try:
        decision = _decide(response, site, since, scraped_at)
    except Exception as error:  # noqa: BLE001 - a bug on one page is a rejection, not a crash
        decision = Decision(url, reason=f"{INTERNAL_ERROR}:{type(error).__name__}",
                            detail=f"{url}: {type(error).__name__}: {str(error)[:500]}")
    if stats is not None:
        for problem in decision.problems:
            stats.inc_value(f"newsbot/page/{problem}")
        if decision.skip:
            stats.inc_value(f"newsbot/skipped/{decision.skip}/page")
        if decision.wall:
            stats.inc_value("newsbot/health/wall_pages")
            stats.inc_value(f"newsbot/health/wall_pages/{decision.wall}")
    return decision


def _decide(response, site: SiteRules, since: date | None, scraped_at) -> Decision:
    url = response.url
    if not isinstance(response, HtmlResponse):
        content_type = response.headers.get("Content-Type", b"").decode(errors="replace")
        return Decision(url, reason=NOT_HTML, detail=f"Content-Type {content_type!r}")
    folded = FoldedPage.of(response)  # one pass finds the literals both steps look for
    kind = wall_kind(response.status, response.headers, response.text, folded)
    if kind:
        return Decision(url, reason=CHALLENGE_PAGE, wall=kind,
                        detail=f"the page looks like a {kind} wall, not a page of the site")
    page, item, problems = _extract(response, site, scraped_at, folded)
    if has_mojibake(response.text):
        repaired = _redecoded(response, site, scraped_at)
        if repaired is not None:
            page, item, problems = repaired
        elif _garbled(item):
            return Decision(url, reason=BAD_CHARSET, problems=[*problems, "charset/garbled"],
                            detail=f"U+FFFD or mojibake in the article text as decoded with "
                                   f"{response.encoding}, and no other charset removes it")
        else:  # in the page, not in the article's text: exported, counted
            problems = [*problems, "charset/garbled_outside_text"]
    cut = truncation(response.body, item, page)
    if cut:
        return Decision(url, reason=TRUNCATED, detail=cut, problems=problems)
    if _older_than(item.date_published_raw, since):
        return Decision(url, skip=OLDER_THAN_SINCE, problems=problems)
    return Decision(url, item=item, problems=problems, page=page)


def _extract(response, site: SiteRules, scraped_at, folded: FoldedPage | None = None):
    page = ArticlePage(response, site, folded)
    item = page.to_item(scraped_at=scraped_at)
    return page, item, page.problems


def truncation(body: bytes, item: Article, page: ArticlePage) -> str | None:
    """Why the page looks cut short, or None.

    * A document that opens ``<html>`` (in its first 4 KiB) has a ``</html>``: every page
      of the site ends with it, and any cut removes it.
    * The body has at least ``MIN_BODY_SHARE`` of the words of the JSON-LD ``articleBody``
      (which sits in the head, so it survives a cut the body does not).
    * A body shorter than the description does not stop mid-sentence.
    """
    if HTML_OPEN.search(body, 0, HTML_OPEN_WITHIN) and not _has_html_close(body):
        return f"the document ends without </html> after {len(body)} bytes"
    structured = page.jsonld.get("articleBody")
    if isinstance(structured, str):
        expected = len(WORD.findall(structured))
        found = len(WORD.findall(item.body or ""))
        if expected >= 50 and found < MIN_BODY_SHARE * expected:
            return (f"the body has {found} words, the structured articleBody {expected}: "
                    f"the page was cut inside the article")
    body, description = item.body or "", item.description or ""
    if (body and len(WORD.findall(body)) < len(WORD.findall(description))
            and not SENTENCE_END.search(body)):
        return "the body stops mid-sentence and is shorter than the description"
    return None


def _has_html_close(body: bytes) -> bool:
    """Whether ``HTML_CLOSE`` occurs in ``body``: looked for in the last ``HTML_CLOSE_WITHIN``
    bytes first, where a whole page has it."""
    tail = max(len(body) - HTML_CLOSE_WITHIN, 0)
    return HTML_CLOSE.search(body, tail) is not None or (tail > 0 and HTML_CLOSE.search(body) is not None)


def has_mojibake(text: str) -> bool:
    """Whether ``MOJIBAKE`` occurs in ``text``."""
    starts = [at for at in map(text.find, MOJIBAKE_LEADS) if at >= 0]
    if not starts:
        return False
    for _ in range(MOJIBAKE_TRIES):
        first = min(starts)
        if MOJIBAKE.match(text, first):
            return True
        following = text.find(text[first], first + 1)
        starts = [at for at in starts if at != first] + ([following] if following >= 0 else [])
        if not starts:
            return False
    return MOJIBAKE.search(text, min(starts)) is not None


def _garbled(item: Article) -> bool:
    return any(isinstance(value, str) and has_mojibake(value)
               for value in (getattr(item, name, None) for name in TEXT_FIELDS))


def _redecoded(response: HtmlResponse, site: SiteRules, scraped_at):
    """The extraction with the first other charset under which the page is clean, or None."""
    tried = {_codec(response.encoding)}
    for charset in (*_declared(response), *SNIFFED_CHARSETS):
        codec = _codec(charset)
        if codec is None or codec in tried:
            continue
        tried.add(codec)
        try:
            response.body.decode(codec)  # strict: a charset the bytes are not in is no repair
        except UnicodeDecodeError:
            continue
        candidate = HtmlResponse(url=response.url, status=response.status, headers=response.headers,
                                 body=response.body, encoding=codec)
        if has_mojibake(candidate.text):
            continue
        page, item, problems = _extract(candidate, site, scraped_at)
        return page, item, [*problems, "charset/repaired"]
    return None


def _declared(response: HtmlResponse) -> list[str]:
    """Charsets the page declares: the HTTP header's, then the ``<meta>`` ones."""
    declared = []
    content_type = response.headers.get("Content-Type", b"") or b""
    match = re.search(rb"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]{1,40})", content_type, re.I)
    if match:
        declared.append(match.group(1).decode("ascii"))
    declared += [m.group(1).decode("ascii") for m in META_CHARSET.finditer(response.body, 0, 65536)]
    return declared


def _codec(charset: str | None) -> str | None:
    try:
        return codecs.lookup(charset).name if charset else None
    except LookupError:
        return None


def _older_than(raw_date, since: date | None) -> bool:
    if not since or raw_date in (None, ""):
        return False
    value = normalise_date(raw_date).value
    return value is not None and value[:10] < since.isoformat()
