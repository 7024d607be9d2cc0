"""Which of the literals newsbot looks for a page holds, found in one pass over the page.

Several cheap tests ask "does the page contain X?" before doing something costly: the wall
markers (``newsbot.pages.wall``), the layers an article page builds (JSON-LD, microdata, Nuxt
state, ...), the confirmed class names of the visible layer. On a page of 200-600 KB each
substring test scans the page (about 0.2 ms when the literal is absent, which is the usual
answer), and a page asked some thirty of them paid for thirty scans. The literals are known
in advance, so one pass answers all of them: Hyperscan (``hyperscan``, installed on x86-64
Linux, where its wheels are) at about the cost of one, else Aho-Corasick (``ahocorasick-rs``,
everywhere) at about the cost of four (``benchmarks/extraction.py``). Both give the same
answers (tests/test_literals.py runs both).

Literals are lower-case ASCII and are looked for in ``fold(page)``, the page ASCII-folded: a
literal is in the folded bytes exactly when an IGNORECASE search finds it in the page. A
module declares its literals at import with ``known()``; a literal never declared is still
answered, by a plain substring test.
"""

from __future__ import annotations

import codecs
from functools import cached_property

from ahocorasick_rs import BytesAhoCorasick

try:
    import hyperscan
except ImportError:  # not on this platform: Aho-Corasick does the same job, slower
    hyperscan = None

__all__ = ["ASCII_FOLDS", "FoldedPage", "fold", "known"]

# Non-ASCII characters that re.IGNORECASE matches to an ASCII letter (Python's case-folding
# exceptions; tests/test_wall_speed.py checks the table against every code point).
ASCII_FOLDS = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
_UTF8_FOLDS = tuple((char.encode("utf-8"), letter.encode("ascii")) for char, letter in ASCII_FOLDS)

_KNOWN: dict[bytes, None] = {}
# Fold characters past which a page's folded form is made whole rather than piece by piece.
_MAX_FOLD_WINDOWS = 64


def known(*literals: str) -> tuple[bytes, ...]:
    """Declare literals the one-pass search looks for; returns them as bytes."""
    encoded = []
    for literal in literals:
        if not literal or literal != literal.lower() or not literal.isascii():
            raise ValueError(f"a known literal is non-empty lower-case ASCII, not {literal!r}")
        encoded.append(literal.encode("ascii"))
        _KNOWN.setdefault(encoded[-1], None)
    return tuple(encoded)


class AhoCorasickSearch:
    """Which of ``patterns`` (ASCII letters in lower case) occur in a haystack, ASCII letters
    matched in either case, and where the ``placed`` ones start (up to ``limit`` places): one
    overlapping Aho-Corasick pass over the haystack lower-cased."""

    def __init__(self, patterns: tuple[bytes, ...], placed: frozenset[int], limit: int):
        self.automaton = BytesAhoCorasick(list(patterns))
        self.placed, self.limit = placed, limit

    def find(self, haystack: bytes) -> tuple[set[int], list[int]]:
        present: set[int] = set()
        places: list[int] = []
        for index, start, _ in self.automaton.find_matches_as_indexes(haystack.lower(), overlapping=True):
            present.add(index)
            if index in self.placed and len(places) < self.limit:
                places.append(start)
        return present, places


class HyperscanSearch:
    """The same as ``AhoCorasickSearch`` by Hyperscan: each pattern compiled as a literal,
    ASCII letters caseless, reported once unless it is a ``placed`` one."""

    def __init__(self, patterns: tuple[bytes, ...], placed: frozenset[int], limit: int):
        self.lengths = [len(pattern) for pattern in patterns]
        self.placed, self.limit = placed, limit
        self.database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self.database.compile(
            expressions=[b"".join(b"\\x%02x" % byte for byte in pattern) for pattern in patterns],
            ids=list(range(len(patterns))), elements=len(patterns),
            flags=[(0 if index in placed else hyperscan.HS_FLAG_SINGLEMATCH)
                   | (hyperscan.HS_FLAG_CASELESS if pattern.isascii() else 0)
                   for index, pattern in enumerate(patterns)])

    def find(self, haystack: bytes) -> tuple[set[int], list[int]]:
        present: set[int] = set()
        places: list[int] = []

        def matched(index: int, _start: int, end: int, *_) -> None:
            present.add(index)
            if index in self.placed and len(places) < self.limit:
                places.append(end - self.lengths[index])

        self.database.scan(haystack, match_event_handler=matched)
        return present, places


SEARCH = HyperscanSearch if hyperscan is not None else AhoCorasickSearch
_search_cache: tuple = (None, (), frozenset())


def _search() -> tuple[AhoCorasickSearch | HyperscanSearch, tuple[bytes, ...], frozenset[bytes]]:
    """(search, its patterns, the known literals) over every literal declared so far and the
    fold characters' UTF-8 forms (placed), built again when a literal was added."""
    global _search_cache
    if len(_search_cache[2]) != len(_KNOWN):
        literals = tuple(_KNOWN)
        patterns = literals + tuple(char for char, _ in _UTF8_FOLDS)
        placed = frozenset(range(len(literals), len(patterns)))
        _search_cache = (SEARCH(patterns, placed, _MAX_FOLD_WINDOWS + 1), patterns, frozenset(literals))
    return _search_cache


def fold(text: str) -> bytes:
    """``text`` as UTF-8 with every character that re.IGNORECASE matches to an ASCII letter
    made that lower-case letter (``ASCII_FOLDS``, then ASCII upper case): a lower-case ASCII
    literal is in the result exactly when an IGNORECASE search of it finds it in ``text``.
    Other characters are left as they are (their UTF-8 bytes are never ASCII)."""
    for char, letter in ASCII_FOLDS:
        if char in text:
            text = text.replace(char, letter)
    return text.encode("utf-8", "surrogatepass").lower()


def fold_utf8(body: bytes) -> bytes:
    """``fold(text)`` for the text a UTF-8 ``body`` decodes to, made from the bytes: each
    fold character's UTF-8 form is replaced (UTF-8 never holds one character's bytes inside
    another's), then ASCII is lower-cased. Invalid sequences decode to U+FFFD, never to an
    ASCII character or a fold character, so the literals found are the same."""
    for char, letter in _UTF8_FOLDS:
        if char in body:
            body = body.replace(char, letter)
    return body.lower()


class FoldedPage:
    """One page's folded form and the known literals in it, each made on first use.

    ``body`` and ``encoding``: the bytes ``text`` was decoded from; when they are UTF-8 the
    folded form is made from them, sparing an encoding of the whole text."""

    def __init__(self, text: str, body: bytes | None = None, encoding: str | None = None):
        self.text = text
        self._utf8 = body if isinstance(body, bytes) and _is_utf8(encoding) else None

    @classmethod
    def of(cls, response) -> "FoldedPage":
        """The folded page of a Scrapy ``TextResponse`` (or anything with ``text``)."""
        return cls(response.text, getattr(response, "body", None), getattr(response, "encoding", None))

    @property
    def utf8(self) -> bytes | None:
        """The bytes the text was decoded from, when they are UTF-8."""
        return self._utf8

    @cached_property
    def _utf8_text(self) -> bytes:
        return self._utf8 if self._utf8 is not None else self.text.encode("utf-8", "surrogatepass")

    @cached_property
    def folded(self) -> bytes:
        # a BOM's bytes are not ASCII: no literal changes
        return fold_utf8(self._utf8) if self._utf8 is not None else fold(self.text)

    @cached_property
    def _searched(self) -> tuple[frozenset[bytes], frozenset[bytes]]:
        """(the known literals found in the folded page, the literals looked for).

        One pass over the page, which looks for the fold characters too: an occurrence in the
        page (ASCII letters in either case) is one in the folded page, and one that only the
        folding makes has a fold character in it, so it lies within a literal's length (at
        most 3 bytes a character) of one. Those stretches are folded and searched again; a
        page with many fold characters is folded whole and searched again."""
        search, patterns, literals = _search()
        data = self._utf8_text
        present, folds = search.find(data)
        found = {patterns[index] for index in present if patterns[index] in literals}
        if folds:
            if len(folds) > _MAX_FOLD_WINDOWS:
                stretches = [self.folded]
            else:
                reach = 3 * max(map(len, literals), default=0)
                stretches = [fold_utf8(data[max(at - reach, 0):at + 3 + reach]) for at in folds]
            for stretch in stretches:
                found.update(patterns[index] for index in search.find(stretch)[0] if patterns[index] in literals)
        return frozenset(found), literals

    def has(self, literal: bytes) -> bool:
        """Whether the lower-case ASCII ``literal`` occurs in the folded page."""
        found, looked_for = self._searched
        return literal in found if literal in looked_for else literal in self.folded


def _is_utf8(encoding: str | None) -> bool:
    try:
        return bool(encoding) and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False
