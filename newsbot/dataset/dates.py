"""Dates of two precisions, compared sensibly: the day everywhere, the instant where known.

``date_published`` is either a day (``2017-11-25``: only the day is known, no time was
invented) or a full timestamp with the source's own offset (``2025-07-20T12:41:00+03:00``).
Every dated record therefore has a **day**, and some also have an **instant**:

* the day is the calendar day *as published*, in the source's own offset (the first ten
  characters): what the site printed, what ``story_key`` uses, and the only frame a
  day-only date has. ``2025-02-28T01:00:00+03:00`` is on 2025-02-28 (though 2025-02-27 in
  UTC);
* the instant is the UTC point in time, in milliseconds since the epoch (finer digits are
  floored), only for timestamps with an offset.

Filter bounds (``--since`` / ``--until``) are days or timestamps with an offset (``Z``
allowed); a bound without an offset is refused rather than guessed. Comparisons use the
instant when both sides have one, else the day (a timestamp bound counts by its own day
against a day-only record): so ``--since 2025-03-01`` keeps everything published on that
day or later, whatever the precision, and ``--until 2025-03-01T12:00:00Z`` keeps a day-only
2025-03-01 article (it may be from that morning) but not one timed at 13:00 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

DAY_LENGTH = len("YYYY-MM-DD")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
EPOCH_DAY = EPOCH.date()
ONE_MS = timedelta(milliseconds=1)


@dataclass(frozen=True, order=True)
class When:
    """A date of known precision: always the day, the UTC instant (ms) when the time is known."""

    day: date
    instant_ms: int | None = None

    @property
    def epoch_day(self) -> int:
        """Days since 1970-01-01 (a Parquet ``date32``)."""
        return (self.day - EPOCH_DAY).days


def parse_when(text: str | None) -> When | None:
    """The day and, for a timestamp with an offset, the instant; ``None`` when unreadable.

    A time without an offset (not produced by newsbot, but possible in hand-made files)
    keeps its day and no instant: it is not a point in time.
    """
    if not text:
        return None
    try:
        if len(text) == DAY_LENGTH:
            return When(date.fromisoformat(text))
        moment = datetime.fromisoformat(_z_to_offset(text))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return When(moment.date())
    return When(moment.date(), (moment - EPOCH) // ONE_MS)


def parse_bound(text: str) -> When:
    """A ``--since`` / ``--until`` value; ``ValueError`` with a message an analyst can act on."""
    when = parse_when(text.strip())
    if when is None:
        raise ValueError(f"not an ISO date: {text!r} (give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+HH:MM)")
    if when.instant_ms is None and len(text.strip()) != DAY_LENGTH:
        raise ValueError(f"{text!r} has a time but no offset: add Z or +HH:MM")
    return when


def instant_ms(text: str | None) -> int | None:
    """The UTC instant of a timestamp with an offset (e.g. ``scraped_at``), else ``None``."""
    when = parse_when(text)
    return when.instant_ms if when else None


def on_or_after(when: When, bound: When) -> bool:
    if when.instant_ms is not None and bound.instant_ms is not None:
        return when.instant_ms >= bound.instant_ms
    return when.day >= bound.day


def on_or_before(when: When, bound: When) -> bool:
    if when.instant_ms is not None and bound.instant_ms is not None:
        return when.instant_ms <= bound.instant_ms
    return when.day <= bound.day


def _z_to_offset(text: str) -> str:
    # Python 3.10's fromisoformat does not read "Z"; newsbot supports 3.10.
    return text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
