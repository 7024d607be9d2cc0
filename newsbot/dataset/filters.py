"""Which articles go into a dataset: a date window and exact names, applied to the winners.

Filters apply *after* the merge, to the latest revision of each article: an article that
moved section in revision 2 is judged by its revision-2 section, and an older revision
never slips into the dataset because it matched.

* ``since`` / ``until``: inclusive bounds on ``date_published`` (see ``newsbot.dataset.dates``
  for how days and instants compare). An article without a usable ``date_published`` is
  left out as soon as either bound is given: nothing says it is inside.
* ``sections``, ``authors``, ``sources``: each option may be given several times; an
  article matches an option when its ``section`` (or one element of its ``authors`` /
  ``sources``) equals one of the values, case-insensitively (Unicode case folding, with
  ``İ`` matching ``i``, so ``--section TÜRKİYE`` finds ``Türkiye``). Values are not split on
  commas: a name may contain one. Different options must all match.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from newsbot.dataset.dates import When, on_or_after, on_or_before, parse_bound

COMBINING_DOT_ABOVE = "\u0307"  # what "İ".casefold() leaves after the "i"


def fold(name: str) -> str:
    """A name as compared: NFC, case-folded, the dotted capital İ equal to i, trimmed."""
    return unicodedata.normalize("NFC", name).casefold().replace(COMBINING_DOT_ABOVE, "").strip()


@dataclass(frozen=True)
class Filters:
    since: When | None = None
    until: When | None = None
    sections: frozenset[str] = frozenset()
    authors: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    described: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_options(cls, since: str | None = None, until: str | None = None,
                     sections=(), authors=(), sources=()) -> Filters:
        """Build from command-line values; ``ValueError`` on a bad date or an inverted window."""
        start = parse_bound(since) if since else None
        end = parse_bound(until) if until else None
        if start and end and not on_or_before(start, end):
            raise ValueError(f"--since {since} is after --until {until}")
        described = [f"--since {since}"] if since else []
        described += [f"--until {until}"] if until else []
        for option, values in (("section", sections), ("author", authors), ("source", sources)):
            described += [f"--{option} {value}" for value in values]
        return cls(since=start, until=end,
                   sections=frozenset(fold(v) for v in sections if v.strip()),
                   authors=frozenset(fold(v) for v in authors if v.strip()),
                   sources=frozenset(fold(v) for v in sources if v.strip()),
                   described=tuple(described))

    def matches(self, record: dict, published: When | None) -> bool:
        """Whether the (winning) record belongs in the dataset; ``published`` is its parsed date."""
        if self.since or self.until:
            if published is None:
                return False
            if self.since and not on_or_after(published, self.since):
                return False
            if self.until and not on_or_before(published, self.until):
                return False
        if self.sections and fold(record.get("section") or "") not in self.sections:
            return False
        if self.authors and not any(fold(name) in self.authors for name in record.get("authors") or ()):
            return False
        if self.sources and not any(fold(name) in self.sources for name in record.get("sources") or ()):
            return False
        return True
