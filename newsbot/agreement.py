"""Do the layers of a page agree? Drift you can see.

For each field that two layers of a page both provide, the two values are compared after a
normalisation that ignores what does not matter, and the crawl counts
``newsbot/agree/<field>/<layer A>-<layer B>/equal|differ`` (A before B in the field's layer
order). A changed layout usually shows as one layer going wrong while another stays right:
the health check (``newsbot.health``) and ``scrapy probe`` read these counts.

Comparisons (``comparable()``):

* dates: ``normalise_date()`` of both; two instants are equal at the coarser precision of
  the two (``...12:29:02+03:00`` equals ``...09:29:02.512Z``); a day-only value equals an
  instant on that day in the instant's own offset or in UTC;
* authors: the people ``split_byline()`` finds, casefolded and sorted (organisations are not
  people: a layer naming none does not count);
* section: the canonical section name (``Turkiye`` equals ``TÜRKİYE``);
* tags: the casefolded set;
* image: the URL without its query and the CDN's resize segments (``?width=1440...``,
  ``/w768/q70/``): the same picture at another size is the same image;
* headline, description, body: whitespace-normalised, casefolded text.

Pure functions over an ``ArticlePage``; nothing here knows Scrapy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from itertools import combinations
from typing import Any, NamedTuple

from newsbot.normalise.bylines import split_byline
from newsbot.normalise.dates import DAY, MILLISECOND, MINUTE, normalise_date
from newsbot.normalise.sections import canonical_section
from newsbot.normalise.text import clean_body, clean_text

STATS_PREFIX = "newsbot/agree/"
RESIZE_SEGMENT = re.compile(r"/(?:[whq]\d{1,4}/)+")
DATE_FIELDS = ("date_published", "date_modified")
_STEP = {MINUTE: timedelta(minutes=1), "second": timedelta(seconds=1),
         MILLISECOND: timedelta(milliseconds=1)}


class Comparison(NamedTuple):
    field: str
    first: str      # layer
    second: str     # layer
    equal: bool
    values: tuple[Any, Any]  # the two compared forms, for examples of disagreement


def comparable(field: str, value: Any, base_url: str | None = None) -> Any:
    """The form of ``value`` that two layers must share to agree; None when the value says
    nothing comparable (an unparseable date, authors that name no person)."""
    if field in DATE_FIELDS:
        result = normalise_date(value)
        return (result.value, result.precision) if result.value else None
    if field == "authors":
        people = split_byline(value).authors
        return tuple(sorted(p.casefold() for p in people)) or None
    if field == "section":
        name = canonical_section(clean_text(value) if isinstance(value, str) else None)
        return name.casefold() if name else None
    if field == "tags":
        tags = value if isinstance(value, list) else [value]
        folded = frozenset(t.casefold().strip() for t in tags if isinstance(t, str) and t.strip())
        return folded or None
    if field == "image":
        url = value.strip() if isinstance(value, str) else ""
        return RESIZE_SEGMENT.sub("/", url.split("?", 1)[0].split("#", 1)[0]).casefold() or None
    if field == "body":
        text = clean_body(value) if isinstance(value, str) else None
    else:
        text = clean_text(value) if isinstance(value, str) else None
    return " ".join(text.casefold().split()) if text else None


def equal(field: str, first: Any, second: Any) -> bool:
    """Whether two ``comparable()`` forms of ``field`` agree."""
    if field in DATE_FIELDS:
        return _same_time(first, second)
    return first == second


def page_agreement(page) -> Iterator[Comparison]:
    """Every pairwise comparison of the layers of one page, field by field."""
    for field in page.LAYERED_FIELDS:
        forms = []
        for layer, value in page.layer_values(field):
            if field == "image" and isinstance(value, str):
                value = page.response.urljoin(value.strip())
            form = comparable(field, value)
            if form is not None and all(layer != seen for seen, _ in forms):
                forms.append((layer, form))
        for (a, first), (b, second) in combinations(forms, 2):
            yield Comparison(field, a, b, equal(field, first, second), (first, second))


def count(stats, comparisons) -> None:
    """Add comparisons to the crawl's stats."""
    for comparison in comparisons:
        verdict = "equal" if comparison.equal else "differ"
        stats.inc_value(f"{STATS_PREFIX}{comparison.field}/{comparison.first}-{comparison.second}/{verdict}")


def read_counts(stats) -> dict[tuple[str, str], tuple[int, int]]:
    """``{(field, "a-b"): (equal, differ)}`` from a stats mapping."""
    counts: dict[tuple[str, str], list[int]] = {}
    for key, value in stats.items():
        if not key.startswith(STATS_PREFIX):
            continue
        parts = key[len(STATS_PREFIX):].split("/")
        if len(parts) != 3 or parts[2] not in ("equal", "differ"):
            continue
        pair = counts.setdefault((parts[0], parts[1]), [0, 0])
        pair[parts[2] == "differ"] += int(value or 0)
    return {key: (pair[0], pair[1]) for key, pair in counts.items()}


def _same_time(first: tuple[str, str], second: tuple[str, str]) -> bool:
    (a, a_precision), (b, b_precision) = first, second
    if a_precision == DAY or b_precision == DAY:
        day, other = (a, b) if a_precision == DAY else (b, a)
        return day[:10] in _days(other)
    coarser = max(_STEP[a_precision], _STEP[b_precision])
    return _truncate(a, coarser) == _truncate(b, coarser)


def _days(value: str) -> set[str]:
    moment = datetime.fromisoformat(value)
    return {value[:10], moment.astimezone(timezone.utc).date().isoformat()} if moment.tzinfo else {value[:10]}


def _truncate(value: str, step: timedelta) -> datetime:
    moment = datetime.fromisoformat(value).astimezone(timezone.utc)
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    return epoch + ((moment - epoch) // step) * step
