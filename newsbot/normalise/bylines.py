"""Byline and source normaliser (pure functions, no Scrapy).

Public API::

    split_byline(value) -> Byline        # never raises
    normalise_sources(values) -> tuple   # values known to BE sources
    credit_source(credit) -> tuple       # recognised agencies in an image credit
    fix_name_case(name) -> str
    AGENCIES                             # lower-cased alias -> full name (the one table)

Rules of ``split_byline``
-------------------------
Input shapes
  * text: ``By ...`` lines, ``A, B and C``, ``A | TRT World``, ``Name (mail@x.com)`` ...
  * JSON-LD ``author``: string, Person (``name``, or ``givenName``/``additionalName``/
    ``familyName``), Organization-like ``@type`` (its name goes to ``sources``),
    ``{"@value": ...}``, ``@list``, lists mixing these; a Person named in ``byline`` instead
    of ``name``; ``url``/``sameAs`` are ignored (an unresolved ``{"@id": ...}`` gives nothing).
  * TRT CMS: ``{"firstName": {"text": "Staff"}, "lastName": {"text": "Reporter"}}`` and cards
    ``{"firstName": "Karya Naz", "lastName": "Balkiz", "bio": ...}`` (``bio``, ``userName``,
    ``twitter``, ``path`` are ignored); lists of these.
  * anything else (None, numbers, junk, too deep) -> an empty ``Byline``.
  A Person's name is parsed like any byline text, so ``{"name": "A and B"}`` gives two authors
  and ``{"name": "AFP"}`` gives a source.

Text, in this order
  1. Clean: HTML tags and entities, NFC, NBSP/zero-width/control -> space, collapse spaces.
     A byline wholly in parentheses is unwrapped (Reuters' ``(Reporting by ...)``).
  2. Parenthesised/bracketed asides are never authors: an agency in them goes to
     ``sources``, the rest (e-mails, places, roles, ``(Image: Getty Images/iStockphoto)``)
     to ``dropped``.
  3. E-mail addresses, URLs and @handles go to ``dropped``.
  4. Page furniture printed next to the names goes to ``dropped`` (``DATE_TIME_RE``,
     ``COUNTER_RE``, ``IMAGE_CREDIT_RE``): dates and times with their labels and joiners
     (``, March 3, 2021 4:15 pm``, `` on June 2, 2022``, ``Published 3 hours ago``),
     counters (``0 Comments``, ``12 shares``), and an image credit (``Image: Getty Images``)
     to the end of its clause.
  5. Segments split on ``;``, ``|``, ``/``, ``•``, ``·`` and line breaks. Within a segment:
     * ``, in News, Politics`` (a comma, then ``in``/``filed in``/``posted in``) starts a
       category or place list: dropped to the end of the segment;
     * anything after a spaced dash (``Name - Istanbul``, ``Name — AFP``) is a tail: an agency
       goes to ``sources``, anything else (a place, a role) to ``dropped``;
     * ``with inputs from X``, ``via X``, ``courtesy of X``, ``Source: X`` -> X is a source;
     * ``Editing by``, ``Edited by``, ``Photos by``, ``Translated by``, ``Produced by``...
       and the rest of the segment are dropped (editors and photographers are not authors);
     * a bio clause (``Name is an Assistant Producer at TRT World``, ``, who ...``) is dropped;
     * the prefixes ``By``, ``Written by``, ``Reporting by``, ``Additional reporting by``,
       ``Words by``, ``Text by``, ``Story by``, ``Writing by``, ``Compiled by``, ``Posted by``,
       ``Author:``, ``Byline:`` are stripped (whole word only: ``Byron``, ``ABBY``, ``Byung-chul``
       stay whole);
     * pieces split on ``,``, ``&``, ``+``, the words ``and`` and ``with``; ``Jr.``/``Sr.``/``II``
       after a comma stay with the preceding name (``Martin Luther King, Jr.``); a desk
       written with ``and`` (``Staff and wire reports``) is not split.
  6. Each piece is, first match wins (after trailing social and page labels, ``Twitter``,
     ``Facebook``, ``Edit``, ``Share`` ..., are cut off into ``dropped``):
     * an agency code that is also a given name, written in capitals
       (``CAPITALISED_AGENCIES``: ``SANA``, ``RIA``) -> ``sources``; ``Sana`` stays a person;
     * an agency alias from ``AGENCIES`` (a leading ``the`` ignored) -> ``sources`` (full name);
     * a house pseudo-author or desk (``Staff Reporter``, ``Staff Writer``, ``Staff``,
       ``News Desk``, ``Newsroom``, ``Editorial Board``, ``ABC Staff Report``, ``Staff and
       wire reports``...) -> ``authors`` and ``house``, kept whole and as written (re-cased
       only when all in capitals); ``<agency> Staff``/``<agency> Desk``/``<agency> Staff
       Report`` -> that agency in ``sources``;
     * an organisation by its words (``News``, ``Agency``, ``Media``, ``TV``...) -> ``sources``
       as written;
     * ``Name in Gaza`` / ``Name at X`` / ``Name of X`` / ``Name for X`` / ``Name from X``: the
       name is kept, the tail is a source if it is an agency, else dropped;
     * ``NAME Associated Press`` (AP style): a trailing multi-word alias, or a trailing
       upper-case code from ``TRAILING_CODES`` after a mixed-case name (``Jane Doe AFP``), is
       split off into ``sources`` (``Michael Bloomberg``, ``Mehmet EFE`` stay people);
     * a role (``correspondent``, ``producer``, ``editor``...; a possessive ``X's``), a known
       dateline place (``PLACES``: ``Istanbul``, ``Gaza``), a label (``Twitter``, ``admin``), a
       degree (``Ph.D.``), or anything not name-shaped (digits, symbols, a lower-case function
       word such as ``is``/``the``, fewer than two letters, more than eight words), or a
       placeholder (``No Author``, ``Unknown``, ``Anonymous``, ``N/A``) -> ``dropped``;
     * otherwise a person: ``fix_name_case`` is applied, duplicates (case-insensitive) skipped.
       Honorifics are part of the name as written (``Dr. Jane Doe``).
  Only the first ``MAX_TEXT`` characters of a text are parsed (no byline is longer).
  Known limitations: a bare place after a comma that is not in ``PLACES``
  (``Name, Smallville``) is taken for a person; ``Name, Staff Writer`` gives two authors
  (TRT joins a person and ``Staff Reporter`` with a comma); a JSON-LD name written
  ``Doe, Jane`` gives two authors; sources found in asides are listed after the others.

``fix_name_case``: a word written ALL IN CAPITALS (at least two cased letters; in a
mixed-case name at least three, so ``JK`` initials stay) is title-cased letter-run by
letter-run (``O'NEILL`` -> ``O'Neill``, ``AL-SAYED`` -> ``Al-Sayed``). If the name contains a
Turkish-only letter (``İ ı Ş ş Ğ ğ``) ``I`` lower-cases to ``ı`` and ``İ`` to ``i``. Mixed-case
words are left exactly as written; no letter is added or removed, never U+0307.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

__all__ = [
    "AGENCIES",
    "Byline",
    "credit_source",
    "fix_name_case",
    "normalise_sources",
    "split_byline",
]


@dataclass(frozen=True)
class Byline:
    authors: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    raw: str | None = None
    house: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()


def _table(rows: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {alias: full for full, aliases in rows.items() for alias in aliases}


# ONE table: lower-cased alias -> full name. Bare aliases that are common given names
# (Sana, Ria) are left out on purpose.
AGENCIES: dict[str, str] = _table({
    "Anadolu Agency": ("aa", "anadolu", "anadolu agency", "anadolu news agency",
                       "anadolu ajansı", "anadolu ajansi", "aa.com.tr"),
    "Agence France-Presse": ("afp", "agence france-presse", "agence france presse",
                             "france-presse", "france presse"),
    "Reuters": ("reuters", "thomson reuters"),
    "Associated Press": ("ap", "associated press"),
    "TRT World": ("trt world", "trtworld", "trtworld.com", "trt world news"),
    "TRT": ("trt",),
    "TRT Global": ("trt global",),
    "TRT Haber": ("trt haber",),
    "Agencies": ("agencies", "agency", "news agencies", "wires", "wire services"),
    "Deutsche Presse-Agentur": ("dpa", "deutsche presse-agentur", "deutsche presse agentur"),
    "EFE": ("efe", "agencia efe"),
    "EPA": ("epa", "european pressphoto agency"),
    "EPA-EFE": ("epa-efe",),
    "Xinhua": ("xinhua", "xinhua news agency"),
    "Asian News International": ("ani", "asian news international"),
    "Islamic Republic News Agency": ("irna", "islamic republic news agency"),
    "Bloomberg": ("bloomberg", "bloomberg news"),
    "Getty Images": ("getty", "getty images"),
    "Sputnik": ("sputnik", "sputnik news"),
    "RIA Novosti": ("ria novosti",),
    "TASS": ("tass", "itar-tass"),
    "Press Trust of India": ("pti", "press trust of india"),
    "United Press International": ("upi", "united press international"),
    "Kyodo News": ("kyodo", "kyodo news"),
    "Yonhap": ("yonhap", "yonhap news agency"),
    "Jiji Press": ("jiji", "jiji press"),
    "ANSA": ("ansa",),
    "Interfax": ("interfax",),
    "Ukrinform": ("ukrinform",),
    "WAFA": ("wafa", "wafa news agency"),
    "SANA": ("syrian arab news agency",),
    "Qatar News Agency": ("qna", "qatar news agency"),
    "Emirates News Agency": ("wam", "emirates news agency"),
    "Saudi Press Agency": ("saudi press agency",),
    "Demirören News Agency": ("dha", "demirören news agency", "demiroren news agency",
                              "demirören haber ajansı"),
    "İhlas News Agency": ("iha", "ihlas news agency", "ihlas haber ajansı"),
    "Al Jazeera": ("al jazeera",),
    "Voice of America": ("voa", "voice of america"),
    "BBC": ("bbc", "bbc news"),
    "CNN": ("cnn",),
    "Shutterstock": ("shutterstock",),
    "iStock": ("istock", "istockphoto"),
})

# --- regexes -----------------------------------------------------------------------------

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
TAG_RE = re.compile(r"<[^<>]*>")
INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
SPACE_RE = re.compile(r"\s+")
EMAIL_RE = re.compile(r"(?:mailto:)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.I)
URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
HANDLE_RE = re.compile(r"(?<![\w@])@\w[\w.]*")
PAREN_RE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|\{([^{}]*)\}")
STRAY_BRACKET_RE = re.compile(r"[()\[\]{}<>]")
SEGMENT_SEP_RE = re.compile(r"\s*[;|/\\•·\n]\s*")
DASH_SEP_RE = re.compile(r"(?:^|\s)[-‐‑‒–—―]+(?:\s|$)")
COMMA_SEP_RE = re.compile(r"\s*[,，、]\s*")
JOIN_SEP_RE = re.compile(r"\s*(?:[&+]|\band\b|\bwith\b)\s*", re.I)
# A desk credit written with "and": one house byline, never split into pieces.
DESK_AND_RE = re.compile(r"\bstaff\s+and\s+(?:wire|agency|agencies|news|wire\s+service)\s+"
                         r"(?:reports?|services?|dispatches)\b", re.I)
_DATE_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
               r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE_TIME = (r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?"
              r"(?:\s*(?:gmt|utc|tsi|[ecmp][sd]?t)\b(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?"
              r"|\d{1,2}\s*[ap]\.?\s?m\b\.?")
DATE_TIME_RE = re.compile(
    r"(?:\s*\b(?:(?:last\s+|first\s+)?(?:published|updated|modified|posted)|on|at|date)\b\s*:?)*\s*"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:" + _DATE_DAY + r"\s+(?:of\s+)?" + _DATE_MONTH + r",?\s+\d{4}"
    r"|" + _DATE_MONTH + r"\s+" + _DATE_DAY + r",?\s+\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}(?:[t\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|" + _DATE_TIME +
    r"|\d{1,3}\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago"
    r"|(?<![\w'’])(?-i:[Jj]ust\s+now|[Yy]esterday|[Tt]oday)(?![\w'’]))"
    r"(?:,?\s*(?:at\s+)?(?:" + _DATE_TIME + r"))?",
    re.I,
)
COUNTER_RE = re.compile(r"\b\d+\s*(?:comments?|views?|shares?|likes?|reads?|responses?|replies|"
                        r"reactions?)\b", re.I)
IMAGE_CREDIT_RE = re.compile(r"(?:^|(?<=[\s,]))(?:images?|photos?|pictures?|illustrations?|graphics?|"
                             r"credits?)(?:\s+credits?)?\s*:[^,;|\n]*", re.I)
CATEGORY_RE = re.compile(r",\s*(?:(?:filed|posted)\s+(?:in|under)|in|categor(?:y|ies)\s*:)\s+\S.*$",
                         re.I)
TRAILING_LABEL_RE = re.compile(
    r"(?:\s+(?:twitter|facebook|instagram|linkedin|telegram|youtube|tiktok|e-?mail|rss|follow|"
    r"edit|share|print|comments?|bio|profile))+$", re.I)
AUTHOR_PREFIX_RE = re.compile(
    r"^(?:(?:(?:additional\s+)?(?:reporting|writing|words|text|story|written|compiled|"
    r"reported|posted|interviews?|research)\s+)?by(?:\s*:\s*|\s+|$)"
    r"|(?:authors?|byline|written|words)\s*:\s*)",
    re.I,
)
SOURCE_LEAD_RE = re.compile(
    r"(?:^|\s)(?:(?:(?:with\s+)?(?:additional\s+)?inputs?\s+from|courtesy(?:\s+of)?|via)\s+|"
    r"sources?\s*:\s*)(?P<src>.+)$",
    re.I,
)
DROP_LEAD_RE = re.compile(
    r"(?:^|\s)(?:(?:additional\s+)?(?:edit(?:ing|ed)|sub-?edit(?:ing|ed)|copy-?edit(?:ing|ed))|"
    r"photos?|photography|photographs|pictures|images?|illustrations?|graphics?|videos?|"
    r"translat(?:ed|ion)|produced|production|design(?:ed)?|fact-?check(?:ed|ing)?)"
    r"\s+by\b.*$",
    re.I,
)
BIO_CLAUSE_RE = re.compile(r"(?:\s*,\s*|\s+)(?:who|is|was|has|IS|WAS|WHO)\s.*$")
TAIL_CLAUSE_RE = re.compile(
    r"\s+(?:in|at|of|for|from|based|reporting|reports|writes|covering|"
    r"IS|FOR|FROM|BASED|REPORTING)\s+\S.*$"
)
TAIL_JOINER_RE = re.compile(r"^(?:(?:in|at|of|for|from|with|the|based|reporting)\s+)+", re.I)
SUFFIX_RE = re.compile(r"^(?:jr|sr|jnr|snr|ii|iii|iv)\.?$", re.I)
DEGREE_RE = re.compile(r"^(?:ph\.?\s?d|m\.?d|mba|msc|esq|dr|prof)\.?$", re.I)
KEEP_DOT_RE = re.compile(r"(?:^|[\s.'’-])[^\W\d_]\.$|\b(?:jr|sr|jnr|snr|st)\.$", re.I)
HOUSE_RE = re.compile(
    r"(?:[^\W\d_][\w.'’ -]*\s+)?(?:staff|desk|newsroom)"  # Staff, News Desk, Newsweek Staff
    r"|(?:[^\W\d_][\w.'’ -]*\s+)?staff\s+reports?"  # ABC Staff Report
    r"|" + DESK_AND_RE.pattern +  # Staff and wire reports
    r"|(?:wire|agency)\s+reports?"
    r"|staff\s+(?:reporter|writer|correspondent)s?"
    r"|our\s+(?:correspondent|reporter|staff)s?"
    r"|(?:the\s+)?editors|editorial(?:\s+(?:board|team|staff))?",
    re.I,
)
HOUSE_SUFFIX_RE = re.compile(r"^(?P<org>.+?)\s+(?:staff\s+reports?|staff\s+writers?|staff|desk|"
                             r"news\s+desk|newsroom|reporters?|"
                             r"report|correspondents?|editorial|photo|photos)$", re.I)
ORG_WORD_RE = re.compile(
    r"\b(?:news|agency|agencies|media|network|television|tv|radio|broadcasting|"
    r"corporation|inc|ltd|llc|gmbh|newspaper|magazine|times|journal|herald|tribune|gazette|"
    r"telegraph|guardian|chronicle|daily|weekly|today)\b", re.I)
ROLE_RE = re.compile(
    r"\b(?:correspondents?|reporters?|editors?|producers?|journalists?|writers?|columnists?|"
    r"contributors?|contributing|analysts?|photographers?|photojournalists?|researchers?|"
    r"professor|lecturer|presenter|commentator|intern|bureau|director|founder|ceo|"
    r"economist|scholar|spokes(?:person|man|woman)|diplomat|ambassador|minister|candidate|"
    r"student|expert|specialist|coordinator|manager|strategist|consultant|advis[eo]r)\b"
    r"|['’]s\b",
    re.I,
)
STOPWORD_RE = re.compile(  # lower case only (``An``, ``A`` are names/initials), plus the
    # upper-case clause words the splitter cuts at, so a second pass never cuts an author
    r"\b(?:the|a|an|of|for|at|in|on|from|to|is|was|are|were|has|have|had|who|which|that|"
    r"and|with|by|via|per|about|based|covering|reports|reporting|writes|said|says|this|"
    r"our|their|his|her|its|my|your|IS|WAS|WHO|HAS|FOR|FROM|BASED|REPORTING)\b"
)
LABEL_RE = re.compile(
    r"^(?:follow|twitter|x|email|e-mail|mail|contact|tel|phone|facebook|instagram|linkedin|"
    r"telegram|more|see|view|profile|read|share|bio|about|author|authors|byline|by|"
    r"admin|administrator|guest|anonymous|unknown|n/?a|none|null|undefined|"
    r"no\s+author|no\s+byline|unknown\s+author|guest\s+author|not\s+available|"
    r"written|reporting|words|text|story)(?:\s*:.*)?$",
    re.I,
)
PLACES = frozenset((  # dateline places dropped when they stand alone as a byline piece
    "istanbul", "ankara", "izmir", "gaza", "gaza city", "jerusalem", "ramallah", "west bank",
    "beirut", "damascus", "baghdad", "tehran", "cairo", "doha", "riyadh", "amman", "kabul",
    "islamabad", "delhi", "new delhi", "moscow", "kyiv", "kiev", "brussels", "london", "paris",
    "berlin", "washington", "new york", "geneva", "khartoum", "tripoli", "türkiye", "turkey",
    "syria", "iraq", "iran", "israel", "palestine", "lebanon", "egypt", "ukraine", "russia",
    "united states", "united kingdom", "us", "usa", "uk",
))
SOURCE_LABEL_RE = re.compile(
    r"^(?:(?:sources?|credits?|photo(?:graph)?s?|images?|pictures?|courtesy)\s*:\s*"
    r"|(?:courtesy\s+of|via|(?:with\s+)?(?:additional\s+)?inputs?\s+from|(?:photos?|images?)\s+by)\s+)",
    re.I,
)
SOURCE_SEP_RE = re.compile(r"\s*(?:[,;|/&+•\n]|\band\b|\bwith\b|\s[-–—]\s)\s*", re.I)
CREDIT_SEP_RE = re.compile(r"\s*(?:[,;|/&+:•()\[\]\n]|\band\b|\bvia\b|\bfor\b|\s[-–—]\s)\s*",
                           re.I)
CREDIT_NOISE_RE = re.compile(
    r"^(?:(?:file|archive|handout|photo(?:graph)?s?|images?|pictures?|credits?|courtesy(?:\s+of)?|"
    r"by|the)\s+)+|(?:\s+(?:file|archive|photos?|pictures|handout|pool))+$",
    re.I,
)
TURKISH_RE = re.compile(r"[İıŞşĞğ]")
LETTER_RUN_RE = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{_MARKS}])*")
WORD_RE = re.compile(r"\S+")

# Codes split off the end of a mixed-case name (``Jane Doe AFP``); not ``EFE``, ``ANI``,
# ``WAFA``..., which are also given names or surnames (``Mehmet EFE``).
TRAILING_CODES = frozenset({"aa", "afp", "ap", "dpa", "epa", "upi", "pti", "irna", "tass",
                            "bbc", "cnn", "trt"})
MAX_DEPTH = 8
MAX_TEXT = 1000  # characters parsed per text value; no byline is longer (bounds regex work)
MAX_NAME_WORDS = 8
PERSON_KEYS = ("name", "fullName", "displayName", "byline", "text", "value", "@value")
ORG_TYPE_RE = re.compile(r"organi[sz]ation|corporation|ngo|brand|agency|newsagency", re.I)
NAME_PUNCT = set(" .'’‘`-‐‑\"“”ʻʼ")

# --- text helpers ------------------------------------------------------------------------


def _clean_text(text: str) -> str:
    """Tags, entities, NFC, invisible/NBSP/control characters, collapsed spaces."""
    text = html.unescape(TAG_RE.sub(" ", text))
    text = unicodedata.normalize("NFC", INVISIBLE_RE.sub("", text))
    text = "".join(_clean_char(c) for c in text)
    lines = (SPACE_RE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _clean_char(char: str) -> str:
    category = unicodedata.category(char)
    if char == "\n" or category[0] not in "CZ":
        return char
    return "" if category == "Cf" else " "


def _is_edge_junk(char: str) -> bool:
    return unicodedata.category(char)[0] in "PSZC"


def _trim(piece: str) -> str:
    """Strip whitespace and stray punctuation at both ends (keep an initial's dot)."""
    while True:
        before = piece
        piece = piece.strip()
        while piece and _is_edge_junk(piece[0]):
            piece = piece[1:]
        while piece and _is_edge_junk(piece[-1]) and piece[-1] != ".":
            piece = piece[:-1]
        if piece.endswith(".") and not KEEP_DOT_RE.search(piece):
            piece = piece[:-1]
        if piece == before:
            return piece


def _key(text: str) -> str:
    """Lookup key for AGENCIES: case-folded, spaces collapsed, leading 'the' dropped."""
    key = SPACE_RE.sub(" ", text.casefold().replace("\u0307", "")).strip()
    key = re.sub(r"[‐‑‒–—]", "-", key)
    return key[4:] if key.startswith("the ") else key


# Agency codes that are also given names (SANA / Sana): an agency only when written in
# capitals, as agencies write their codes.
CAPITALISED_AGENCIES = {"SANA": "SANA", "RIA": "RIA Novosti"}


def _agency(text: str) -> str | None:
    trimmed = _trim(text)
    return CAPITALISED_AGENCIES.get(trimmed) or AGENCIES.get(_key(trimmed))


def _strip_prefix(piece: str) -> str:
    while True:
        stripped = AUTHOR_PREFIX_RE.sub("", piece, count=1).strip()
        if stripped == piece:
            return piece
        piece = stripped


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def _unwrap(text: str) -> str:
    """A byline wholly in brackets, Reuters' ``(Reporting by ...)``, is read inside them."""
    while PAREN_RE.fullmatch(text):
        text = text[1:-1].strip()
    return text


def _clean_piece(piece: str) -> str:
    while True:
        cleaned = _trim(_strip_prefix(_trim(SPACE_RE.sub(" ", piece))))
        if cleaned == piece:
            return piece
        piece = cleaned


# --- casing ------------------------------------------------------------------------------


def _lower(text: str, turkish: bool) -> str:
    if turkish:
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def fix_name_case(name: str) -> str:
    """Title-case ALL-CAPS words (Turkish-aware); leave mixed-case words exactly as written."""
    if not isinstance(name, str):
        return ""
    turkish = bool(TURKISH_RE.search(name))
    all_caps = name.isupper()

    def fix_word(match: re.Match) -> str:
        word = match.group()
        cased = sum(c.isupper() or c.islower() for c in word)
        if not word.isupper() or cased < (2 if all_caps else 3):
            return word
        return LETTER_RUN_RE.sub(lambda run: run.group()[0] + _lower(run.group()[1:], turkish),
                                 word)

    return WORD_RE.sub(fix_word, name)


# --- piece classification (pure: returns (kind, text) pairs) ----------------------------


def _house(piece: str) -> list[tuple[str, str]]:
    """``Staff Reporter`` -> house author; ``AFP Staff`` -> the agency as a source."""
    match = HOUSE_SUFFIX_RE.match(piece)
    if match and _agency(match.group("org")):
        return [("source", _agency(match.group("org")))]
    if HOUSE_RE.fullmatch(piece) and not STOPWORD_RE.fullmatch(piece.split()[0]):  # not "in Staff"
        return [("house", fix_name_case(piece) if piece.isupper() else piece)]
    return []


def _person(piece: str) -> str | None:
    """The piece as a person's name, or None when it is not name-shaped."""
    core = re.sub(r",\s*(?:jr|sr|jnr|snr|ii|iii|iv)\.?$", "", piece, flags=re.I)
    if (
        not piece[:1].isalpha()
        or _letters(piece) < 2
        or len(piece.split()) > MAX_NAME_WORDS
        or any(not (c.isalpha() or c in NAME_PUNCT or unicodedata.category(c)[0] == "M")
               for c in core)
        or ROLE_RE.search(piece)
        or STOPWORD_RE.search(piece)
        or LABEL_RE.match(piece)
        or SUFFIX_RE.match(piece)
        or DEGREE_RE.match(piece)
        or AUTHOR_PREFIX_RE.match(piece)
        or _key(piece) in PLACES
    ):
        return None
    return fix_name_case(piece)


def _split_trailing_agency(piece: str) -> tuple[str, str | None]:
    """``JOSH BOAK Associated Press`` -> (``JOSH BOAK``, ``Associated Press``)."""
    words = piece.split()
    for size in (4, 3, 2, 1):
        if len(words) <= size:
            continue
        head, tail = " ".join(words[:-size]), " ".join(words[-size:])
        full = AGENCIES.get(_key(tail))
        single_code = _key(tail) in TRAILING_CODES and tail.isupper() and not head.isupper()
        if full and (size > 1 or single_code):
            return head, full
    return piece, None


def _classify_tail(tail: str) -> list[tuple[str, str]]:
    """A tail cut off a name (``in Gaza``, ``of Fox News``): agencies and organisations are
    sources, the rest (places, roles) dropped."""
    tail = _trim(tail)
    core = _trim(TAIL_JOINER_RE.sub("", tail))
    if _agency(core):
        return [("source", _agency(core))]
    if ORG_WORD_RE.search(core) and not ROLE_RE.search(core):
        return [("source", core)]
    return [("drop", tail)] if tail else []


def _classify(piece: str, cut: bool = True) -> list[tuple[str, str]]:
    piece = _clean_piece(piece)
    if not piece:
        return []
    if not any(c.isalpha() for c in piece):
        return [("drop", piece)]
    label = TRAILING_LABEL_RE.search(piece)
    if label and label.start() > 0:  # "Sam Vale Twitter": the label is page furniture
        return _classify(piece[:label.start()], cut) + [("drop", label.group().strip())]
    full = _agency(piece)
    if full:
        return [("source", full)]
    house = _house(piece)
    if house:
        return house
    clause = TAIL_CLAUSE_RE.search(piece) if cut else None
    head_text = piece[: clause.start()] if clause else piece
    if ORG_WORD_RE.search(head_text) and not ROLE_RE.search(piece):
        return [("source", piece)]
    if clause:
        head = _classify(head_text, cut=False)
        if not head or any(kind == "drop" for kind, _ in head):
            return [("drop", piece)]
        return head + _classify_tail(clause.group())
    head, full = _split_trailing_agency(piece)
    if full:
        first = _classify(head, cut=False)
        if first and all(kind != "drop" for kind, _ in first):
            return first + [("source", full)]
    name = _person(piece)
    return [("person", name)] if name else [("drop", piece)]


def _classify_aside(text: str) -> list[tuple[str, str]]:
    """Parenthesised asides and dash tails: agencies are sources, everything else dropped."""
    text = _trim(text)
    if not text:
        return []
    sources = [p for p in SOURCE_SEP_RE.split(text) if _agency(p)]
    if sources and all(_agency(p) or not _trim(p) for p in SOURCE_SEP_RE.split(text)):
        return [("source", _agency(p)) for p in sources]
    return [("drop", text)]


def _split_pieces(segment: str) -> list[str]:
    pieces = []
    for part in COMMA_SEP_RE.split(segment):
        desk = DESK_AND_RE.search(part)
        if desk:
            pieces += [*JOIN_SEP_RE.split(part[:desk.start()]), desk.group(),
                       *JOIN_SEP_RE.split(part[desk.end():])]
        else:
            pieces.extend(JOIN_SEP_RE.split(part))
    pieces = [p for p in pieces if _trim(p)]
    merged: list[str] = []
    for piece in pieces:
        if merged and SUFFIX_RE.match(_trim(piece)):
            merged[-1] = f"{_trim(merged[-1])}, {_trim(piece)}"
        else:
            merged.append(piece)
    return merged


def _parse_segment(segment: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    parts = [p for p in DASH_SEP_RE.split(segment) if _trim(p)]
    if not parts:
        return out
    segment, tails = parts[0], parts[1:]
    category = CATEGORY_RE.search(segment)
    if category:
        out.append(("drop", _trim(category.group())))
        segment = segment[: category.start()]
    lead = SOURCE_LEAD_RE.search(segment)
    if lead:
        out += [("source", s) for s in normalise_sources(lead.group("src"))]
        segment = segment[: lead.start()]
    drop = DROP_LEAD_RE.search(segment)
    if drop:
        out.append(("drop", _trim(drop.group())))
        segment = segment[: drop.start()]
    bio = BIO_CLAUSE_RE.search(segment)
    if bio:
        out.append(("drop", _trim(bio.group())))
        segment = segment[: bio.start()]
    body: list[tuple[str, str]] = []
    for piece in _split_pieces(_strip_prefix(segment.strip())):
        body += _classify(piece)
    for tail in tails:
        body += _classify_aside(tail)
    return body + out


def _parse_text(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def aside(match: re.Match) -> str:
        out.extend(_classify_aside(next(g for g in match.groups() if g is not None)))
        return " "

    text = _unwrap(text)
    for regex in (EMAIL_RE, URL_RE, HANDLE_RE):
        out += [("drop", m.group()) for m in regex.finditer(text)]
        text = regex.sub(" ", text)
    while PAREN_RE.search(text):
        text = PAREN_RE.sub(aside, text)
    text = STRAY_BRACKET_RE.sub(",", text)
    for regex in (IMAGE_CREDIT_RE, DATE_TIME_RE, COUNTER_RE):
        out += [("drop", _trim(m.group())) for m in regex.finditer(text) if _trim(m.group())]
        text = regex.sub(",", text)
    body: list[tuple[str, str]] = []
    for segment in SEGMENT_SEP_RE.split(text):
        body += _parse_segment(segment)
    return body + out


# --- structured values -------------------------------------------------------------------


def _as_text(value: Any, depth: int = 0) -> str:
    """A JSON-LD/CMS name holder as text: str, {"@value"|"text"|"value": ...}, [first, ...]."""
    if depth > MAX_DEPTH:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        for key in ("@value", "text", "value", "name"):
            text = _as_text(value.get(key), depth + 1)
            if text:
                return text
    if isinstance(value, (list, tuple)):
        for item in value:
            text = _as_text(item, depth + 1)
            if text:
                return text
    return ""


def _is_org(obj: Mapping) -> bool:
    types = obj.get("@type")
    types = [types] if isinstance(types, str) else types if isinstance(types, list) else []
    types = [t for t in types if isinstance(t, str)]
    return any(ORG_TYPE_RE.search(t) for t in types) and "Person" not in types


def _joined(obj: Mapping, keys: tuple[str, ...]) -> str:
    return " ".join(t for t in (_as_text(obj.get(k)) for k in keys) if t)


def _mapping_name(obj: Mapping) -> str:
    for key in PERSON_KEYS:
        text = _as_text(obj.get(key))
        if text:
            return text
    return (_joined(obj, ("givenName", "additionalName", "familyName"))
            or _joined(obj, ("firstName", "middleName", "lastName"))
            or _as_text(obj.get("alternateName")))


class _Collector:
    def __init__(self) -> None:
        self.authors: list[str] = []
        self.sources: list[str] = []
        self.house: list[str] = []
        self.dropped: list[str] = []
        self.raws: list[str] = []

    @staticmethod
    def _add(bucket: list[str], text: str) -> None:
        if text and text.casefold() not in {b.casefold() for b in bucket}:
            bucket.append(text)

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        for kind, text in pairs:
            if kind in ("person", "house"):
                self._add(self.authors, text)
            if kind == "house":
                self._add(self.house, text)
            elif kind == "source":
                self._add(self.sources, text)
            elif kind == "drop":
                self.dropped.append(text)

    def text(self, text: str) -> None:
        text = _clean_text(text[: 4 * MAX_TEXT])
        if text:
            self.raws.append(text.replace("\n", " "))
            self.add(_parse_text(text[:MAX_TEXT]))

    def value(self, value: Any, depth: int = 0) -> None:
        if depth > MAX_DEPTH or value is None or isinstance(value, (bool, int, float)):
            return
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str):
            self.text(value)
        elif isinstance(value, Mapping):
            self.mapping(value, depth)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                self.value(item, depth + 1)

    def mapping(self, obj: Mapping, depth: int) -> None:
        if "@list" in obj or "@set" in obj:
            self.value(obj.get("@list", obj.get("@set")), depth + 1)
            return
        if _is_org(obj):
            name = _clean_text(_mapping_name(obj))
            if name:
                self.raws.append(name)
                self.add(("source", s) for s in normalise_sources(name))
            return
        name = _mapping_name(obj)
        if name:
            self.text(name)

    def build(self) -> Byline:
        return Byline(tuple(self.authors), tuple(self.sources),
                      ", ".join(self.raws) or None, tuple(self.house), tuple(self.dropped))


def split_byline(value: Any) -> Byline:
    """Split a byline (text, JSON-LD author, CMS author record, or a list) into its parts."""
    collector = _Collector()
    try:
        collector.value(value)
    except Exception:  # the contract is "never raises"; a bad input yields what was found
        pass
    return collector.build()


# --- sources and credits -----------------------------------------------------------------


def _source_texts(values: Any, depth: int = 0) -> list[str]:
    if depth > MAX_DEPTH or values is None or isinstance(values, (bool, int, float)):
        return []
    if isinstance(values, str):
        return [values]
    if isinstance(values, Mapping):
        text = _as_text(values) or _as_text(values.get("title")) or _as_text(values.get("key"))
        return [text] if text else []
    if isinstance(values, Iterable):
        return [t for v in values for t in _source_texts(v, depth + 1)]
    return []


def normalise_sources(values: Any) -> tuple[str, ...]:
    """Values known to be sources -> full names (AGENCIES), unknown ones cleaned as written."""
    out: list[str] = []
    try:
        for text in _source_texts(values):
            text = _clean_text(text[: 4 * MAX_TEXT])[:MAX_TEXT]
            while SOURCE_LABEL_RE.match(text):
                text = SOURCE_LABEL_RE.sub("", text, count=1)
            for piece in SOURCE_SEP_RE.split(text):
                piece = _trim(piece)
                if any(c.isalpha() for c in piece):
                    _Collector._add(out, _agency(piece) or piece)
    except Exception:
        pass
    return tuple(out)


def credit_source(credit: str | None) -> tuple[str, ...]:
    """The recognised agencies/organisations in an image credit or caption tail."""
    if not isinstance(credit, str):
        return ()
    out: list[str] = []
    for piece in CREDIT_SEP_RE.split(_clean_text(credit[: 4 * MAX_TEXT])[:MAX_TEXT]):
        full = _agency(CREDIT_NOISE_RE.sub("", _trim(piece))) or _agency(piece)
        if full:
            _Collector._add(out, full)
    return tuple(out)
