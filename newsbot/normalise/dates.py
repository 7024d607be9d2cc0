"""Normalise the dates found on news pages, feeds and CMS JSON to ISO 8601.

Standard library only (re, datetime, zoneinfo); never reads the clock, never raises on any
``raw`` value. Case-insensitive. Surrounding whitespace, non-breaking spaces, ``&nbsp;``
leftovers, trailing dots and leading labels (``Updated:``, ``Updated``, ``Published``,
``Published on``, ``Last updated:``, ``Posted``, ``Date:``, ``On`` ...; whole words only)
are ignored. Accepted forms:

* ISO 8601 / RFC 3339: ``2025-02-28T11:30:00.601Z``, ``2025-07-20T12:41:00+03:00`` or
  ``+0300``, a space for ``T``, minutes only, date only ``2024-04-17``; ``2017/11/25``.
* RFC 822 / 2822 (RSS): ``Fri, 20 Jun 2025 09:15:00 GMT`` (``+0300``, ``UT``, ``EST`` ...),
  with or without the weekday and the seconds; JavaScript's
  ``Sat Nov 25 2017 14:30:00 GMT+0300 (Turkey Time)``.
* Display dates: ``November 25, 2017``, ``Nov. 25, 2017``, ``Sept 5, 2024``,
  ``25 November 2017``, ``25-Nov-2017``, ``Tuesday, July 9, 2024``, ``9th of July 2024``,
  ``25.11.2017`` (dotted is always day first), optionally with a time before or after
  (``14:30``, ``14:30:15``, ``2:30 PM``, ``9.15 a.m.``; joined by a space, ``,``, ``at``,
  ``on``, ``|`` or `` - ``) and a zone after the time (``_FIXED_ZONES``, ``_REGION_ZONES``,
  ``GMT+3``, ``UTC-05:00``, ``(GMT+03:00)``, ``+0300``, ``Z``).
* Numeric ``d/m/yyyy`` or ``m/d/yyyy`` (``/`` or ``-``) only when unambiguous: a part above
  12 decides, equal parts agree; ``03/04/2024`` is unparsed (never guessed).
* A bare time (``1843 GMT``, ``18:43``) only with ``day=`` (the live-blog day heading).
* Relative, only with ``now=``: ``3 hours ago``, ``an hour ago``, ``45 minutes ago``,
  ``3h ago``, ``30 seconds ago``, ``just now`` (minute or second precision, printed in
  ``now``'s offset); ``2 days ago``, ``1 week ago``, ``today``, ``yesterday`` (days, in
  ``now``'s zone; ``yesterday 14:30`` adds a time read like any other).
* Numbers (int, float, Decimal or a string of digits): 8 digits = compact date
  ``YYYYMMDD``; 9-11 digits = epoch seconds; 12-13 digits = epoch milliseconds (UTC).
  Other numbers are ``out_of_range`` (they would be before 1974 or after 2286).
* ``datetime`` (naive ones are read in ``tz``) and ``date`` objects.

Repairs: three malformations of ISO timestamps seen on news pages are repaired, because
what was meant is certain, and the result names each in ``repaired`` (empty otherwise):
``doubled_z`` (``...00.601ZZ``: one ``Z``), ``comma_decimal`` (``11:30:00,601``: the
fraction, as ISO 8601 also allows) and ``missing_t`` (``2025-02-2811:30:00Z``: the date and
the time run together). Nothing else is guessed.

Output: ``YYYY-MM-DD`` when only the day is known, else ``YYYY-MM-DDTHH:MM:SS[.fff]+HH:MM``
in the offset the source gave (a zone-less time takes ``tz``'s offset at that moment).
Precision is what the source carried: ``day`` (no time), ``minute`` (no seconds; printed
``:00``), ``second``, ``millisecond`` (a non-zero fraction, truncated to milliseconds).
An instant at exactly 00:00:00.000 with offset +00:00 is a date-only value: the CMS stores
date-only items as ``T00:00:00.000Z``. This rule applies to every result, so that
``normalise_date(r.value).value == r.value`` always holds. Years outside 1990..2100 are
``out_of_range``.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["DEFAULT_TIMEZONE", "DateResult", "PRECISIONS", "REASONS", "REPAIRS", "normalise_date"]

DEFAULT_TIMEZONE = "Europe/Istanbul"
MIN_YEAR, MAX_YEAR = 1990, 2100

DAY, MINUTE, SECOND, MILLISECOND = "day", "minute", "second", "millisecond"
PRECISIONS = (DAY, MINUTE, SECOND, MILLISECOND)
EMPTY, UNPARSED, OUT_OF_RANGE, RELATIVE_WITHOUT_NOW = (
    "empty", "unparsed", "out_of_range", "relative_without_now")
REASONS = (EMPTY, UNPARSED, OUT_OF_RANGE, RELATIVE_WITHOUT_NOW)
DOUBLED_Z, COMMA_DECIMAL, MISSING_T = "doubled_z", "comma_decimal", "missing_t"
REPAIRS = (DOUBLED_Z, COMMA_DECIMAL, MISSING_T)


@dataclass(frozen=True)
class DateResult:
    """What normalise_date() returns; exactly one of value and reason is None."""

    value: str | None      # ISO 8601 (see the module docstring), None when not parseable
    precision: str | None  # one of PRECISIONS; None when value is None
    reason: str | None     # None when parsed, else one of REASONS
    repaired: tuple[str, ...] = ()  # the REPAIRS applied to the text, in order


_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_MAX_RAW_LENGTH = 10_000   # longer strings are not dates; do not even clean them
_MAX_TEXT_LENGTH = 200     # after cleaning
_MS = Decimal("0.001")
_F = re.IGNORECASE | re.ASCII

# Zone names after a time. RFC 822 names as in email.utils (UT, GMT, EST ... PDT), plus
# common unambiguous ones; ambiguous abbreviations (IST, AST, GST ...) are not accepted.
_FIXED_ZONES = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AKST": -9, "AKDT": -8, "HST": -10,
    "BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "PKT": 5, "WIB": 7, "HKT": 8, "SGT": 8, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11,
}
# Names whose offset depends on the date. TSI ("TSİ", Türkiye Saati) and TRT are Turkish
# time: +03:00 since 2016, +02:00/+03:00 (EET/EEST) before, hence the zone, not a number.
_REGION_ZONES = {
    "TSI": "Europe/Istanbul", "TRT": "Europe/Istanbul",
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_ZONE_NAME_RE = re.compile(r"(?P<zone>[^()]*[^()\s])\s*\([^()]*\)")  # the name is ignored
_OFFSET_RE = re.compile(
    r"(?:GMT|UTC|UT)?(?P<sign>[+-])"
    r"(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?|(?P<h4>\d{2})(?P<m4>\d{2}))", _F)

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH = (r"(?<![a-z])(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
          r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
          r"(?![a-z])\.?")
_ORDINAL = r"(?:st|nd|rd|th)?"
_NOT_AFTER_NUMBER = r"(?<![\d.:/-])"

# Date parts, searched for in this order; the text around the match must be a time.
_YMD_RE = re.compile(
    _NOT_AFTER_NUMBER + r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)",
    _F)
_DMY_DOTTED_RE = re.compile(
    _NOT_AFTER_NUMBER + r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?!\d)", _F)
_NUMERIC_RE = re.compile(  # d/m/yyyy or m/d/yyyy: decided by _numeric_month_day()
    _NOT_AFTER_NUMBER + r"(?P<a>\d{1,2})(?P<sep>[/-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)",
    _F)
_DMY_NAMED_RE = re.compile(
    _NOT_AFTER_NUMBER + rf"(?P<d>\d{{1,2}}){_ORDINAL}(?:\s+of)?[\s-]*{_MONTH}[\s,-]*"
    r"(?P<y>\d{4})(?!\d)", _F)
_MDY_NAMED_RE = re.compile(
    rf"{_MONTH}[\s-]*(?P<d>\d{{1,2}}){_ORDINAL}[\s,]+(?P<y>\d{{4}})(?!\d)", _F)
_RELATIVE_DAY_RE = re.compile(r"(?<![a-z])(?P<rel>today|yesterday)(?![a-z])", _F)
_DATE_RES = (_YMD_RE, _DMY_DOTTED_RE, _NUMERIC_RE, _DMY_NAMED_RE, _MDY_NAMED_RE,
             _RELATIVE_DAY_RE)

# What may stand around a date part: separators, a weekday, a time and its zone.
_BEFORE_JUNK_RE = re.compile(
    r"(?:[\s,;|@\u00b7\u2022\u2013\u2014-]|(?<![a-z])(?:at|on)(?![a-z]))+$", _F)
_AFTER_JUNK_RE = re.compile(
    r"^(?:[\s,;|@\u00b7\u2022\u2013\u2014]+|-(?=\s)|(?:at|on)(?![a-z])|t(?=\d))*", _F)
_WEEKDAY_RE = re.compile(
    r"(?<![a-z])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)(?![a-z])\.?", _F)
_CLOCK_RE = re.compile(
    r"(?:(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"|(?P<hhmm>\d{4})"                                   # 1843 GMT (needs a zone)
    r"|(?P<h12>\d{1,2})(?=\s*[ap]\.?\s?m(?![a-z])))"      # 2 PM
    r"(?:\s*(?P<ampm>[ap])\.?\s?m(?![a-z])\.?)?"
    r"\s*(?P<zone>.*)", _F)

_RELATIVE_RE = re.compile(
    r"(?:(?P<n>\d{1,5}|an?|one)\s*(?P<unit>[a-z]+)\s+ago"
    r"|(?P<instant>just now|right now|now|a moment ago|moments ago|a few seconds ago))", _F)
_UNITS = {  # unit of "N <unit> ago": (step, precision of the result)
    name: (step, precision)
    for names, step, precision in (
        (("s", "sec", "secs", "second", "seconds"), timedelta(seconds=1), SECOND),
        (("m", "min", "mins", "minute", "minutes"), timedelta(minutes=1), MINUTE),
        (("h", "hr", "hrs", "hour", "hours"), timedelta(hours=1), MINUTE),
        (("d", "day", "days"), timedelta(days=1), DAY),
        (("w", "wk", "wks", "week", "weeks"), timedelta(weeks=1), DAY),
    )
    for name in names
}

_LABEL_RE = re.compile(
    r"^(?:(?:(?:last|first|originally)\s+)?"
    r"(?:updated|modified|published|posted|created|dated|date|time|on)(?![a-z])"
    r"(?:\s+(?:on|at)(?![a-z]))?\s*[:|\u2013\u2014-]?\s*)+", _F)
_DIGITS_RE = re.compile(r"(?P<int>\d+)(?:\.(?P<frac>\d*))?", re.ASCII)
_SPACE_RE = re.compile(r"(?:\s|&nbsp;?|&#160;|&#xa0;)+", re.IGNORECASE)
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_LEADING_JUNK = " ,;:|\u00b7\u2022\u2013\u2014"   # never "-": "-1740742200" is no epoch
_TRAILING_JUNK = _LEADING_JUNK + ".-"


# (name, pattern, replacement) of each repair, applied in this order to the cleaned text.
_REPAIR_RES = (
    (MISSING_T, re.compile(r"^(\d{4}-\d{2}-\d{2})(?=\d{2}:\d{2})", re.ASCII), r"\1T"),
    (COMMA_DECIMAL, re.compile(r"(?<=\d{2}:\d{2}:\d{2}),(?=\d)", re.ASCII), "."),
    (DOUBLED_Z, re.compile(r"(?<=\d)[Zz]{2,}$"), "Z"),
)


def _repair(text: str) -> tuple[str, tuple[str, ...]]:
    done = []
    for name, regex, replacement in _REPAIR_RES:
        text, count = regex.subn(replacement, text)
        if count:
            done.append(name)
    return text, tuple(done)


class _Reject(Exception):
    """Raised inside the parsers to give up with a reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise_date(raw, *, now: datetime | None = None, tz: str | tzinfo = DEFAULT_TIMEZONE,
                   day: str | date | None = None) -> DateResult:
    """Normalise one raw date value; see the module docstring.

    Never raises because of ``raw`` or ``day`` (page data); a misconfigured ``tz`` (unknown
    zone name) raises ValueError and a ``now`` that is not a datetime raises TypeError. A
    naive ``now`` is read in ``tz``; ``tz=None`` means DEFAULT_TIMEZONE.
    """
    zone = _zone_argument(tz)
    if now is not None:
        if not isinstance(now, datetime):
            raise TypeError(f"now must be a datetime, not {type(now).__name__}")
        if now.utcoffset() is None:
            now = now.replace(tzinfo=zone)
    try:
        return _normalise(raw, now, zone, day)
    except _Reject as rejected:
        return DateResult(None, None, rejected.reason)
    except Exception:  # totality: a crawl must never die on a date
        return DateResult(None, None, UNPARSED)


def _normalise(raw, now, zone, day) -> DateResult:
    if raw is None:
        raise _Reject(EMPTY)
    if isinstance(raw, bool):
        raise _Reject(UNPARSED)
    if isinstance(raw, datetime):
        if raw.utcoffset() is None:
            raw = raw.replace(tzinfo=zone)
        return _instant(raw, MILLISECOND if raw.microsecond >= 1000 else SECOND)
    if isinstance(raw, date):
        return _day(raw)
    if isinstance(raw, str):
        return _from_text(raw, now, zone, day)

    if isinstance(raw, (numbers.Real, Decimal)):
        return _from_number(raw)
    raise _Reject(UNPARSED)


# --- output ------------------------------------------------------------------------------

def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Reject(OUT_OF_RANGE)


def _day(value: date) -> DateResult:
    _check_year(value.year)
    return DateResult(f"{value.year:04d}-{value.month:02d}-{value.day:02d}", DAY, None)


def _instant(moment: datetime, precision: str) -> DateResult:
    """Print an aware datetime in its own offset (``precision`` is the source's)."""
    offset = moment.utcoffset()
    if offset % timedelta(minutes=1):  # a sub-minute offset cannot be printed as +HH:MM
        moment, offset = moment.astimezone(_UTC), timedelta(0)
    _check_year(moment.year)
    millis = moment.microsecond // 1000
    if precision == MILLISECOND and not millis:
        precision = SECOND
    if not offset and (moment.hour, moment.minute, moment.second, millis) == (0, 0, 0, 0):
        return _day(moment.date())  # midnight UTC: a date-only value (CMS convention)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    fraction = f".{millis:03d}" if precision == MILLISECOND else ""
    return DateResult(
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
        f"{moment.minute:02d}:{moment.second:02d}{fraction}{sign}{hours:02d}:{minutes:02d}",
        precision, None)


# --- numbers -----------------------------------------------------------------------------

def _from_number(number) -> DateResult:
    if isinstance(number, numbers.Integral):
        number = int(number)
    elif not isinstance(number, Decimal):
        number = float(number)
    if isinstance(number, float) and not math.isfinite(number):
        raise _Reject(UNPARSED)
    if isinstance(number, Decimal) and not number.is_finite():
        raise _Reject(UNPARSED)
    if not 0 <= number < 10**13:
        raise _Reject(OUT_OF_RANGE)
    exact = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    return _from_digits(format(exact.quantize(_MS, rounding=ROUND_DOWN), "f"), OUT_OF_RANGE)


def _from_digits(text: str, otherwise: str) -> DateResult:
    """8 digits: YYYYMMDD; 9-11: epoch seconds; 12-13: epoch milliseconds."""
    match = _DIGITS_RE.fullmatch(text)
    if not match:
        raise _Reject(otherwise)
    whole, fraction = int(match["int"]), match["frac"] or ""
    if 10**7 <= whole < 10**8 and not fraction.strip("0"):
        _check_year(whole // 10_000)
        return _day(date(whole // 10_000, whole // 100 % 100, whole % 100))
    if 10**8 <= whole < 10**11:
        seconds, millis = whole, int((fraction + "000")[:3])
    elif 10**11 <= whole < 10**13:
        seconds, millis = divmod(whole, 1000)
    else:
        raise _Reject(otherwise)
    moment = _EPOCH + timedelta(seconds=seconds, milliseconds=millis)
    return _instant(moment, MILLISECOND if millis else SECOND)


# --- text --------------------------------------------------------------------------------

def _clean(text: str) -> str:
    text = _INVISIBLE_RE.sub("", text).replace("\u2212", "-")
    return _SPACE_RE.sub(" ", text).lstrip(_LEADING_JUNK).rstrip(_TRAILING_JUNK)


def _from_text(raw: str, now, zone, day) -> DateResult:
    if len(raw) > _MAX_RAW_LENGTH:
        raise _Reject(UNPARSED)
    text = _clean(raw)
    if len(text) > _MAX_TEXT_LENGTH:
        raise _Reject(UNPARSED)
    text = _LABEL_RE.sub("", text, count=1)
    if not text:
        raise _Reject(EMPTY)
    text, repairs = _repair(text)
    result = _parse_text(text, now, zone, day)
    return replace(result, repaired=repairs) if repairs else result


def _parse_text(text: str, now, zone, day) -> DateResult:
    if _DIGITS_RE.fullmatch(text):
        return _from_digits(text, UNPARSED)
    relative = _RELATIVE_RE.fullmatch(text)
    if relative:
        return _from_relative(relative, now)
    for regex in _DATE_RES:
        match = regex.search(text)
        if match:
            clock = _clock(_around(text, match))
            the_day = _date_of(match, now)
            break
    else:  # no date part: a bare time, dated by the live-blog day heading
        clock = _clock(text)
        if clock is None:
            raise _Reject(UNPARSED)
        the_day = _day_argument(day, zone)
    if clock is None:
        return _day(the_day)
    hour, minute, second, micro, precision, clock_zone = clock
    moment = datetime(the_day.year, the_day.month, the_day.day, hour, minute, second, micro,
                      tzinfo=clock_zone or zone)
    return _instant(moment, precision)


def _around(text: str, match: re.Match) -> str:
    """The text before and after a date part, without the separators next to it."""
    before = _BEFORE_JUNK_RE.sub("", text[:match.start()])
    after = _AFTER_JUNK_RE.sub("", text[match.end():], count=1)
    return f"{before} {after}".strip()


def _date_of(match: re.Match, now: datetime | None) -> date:
    parts = match.groupdict()
    if parts.get("rel"):
        if now is None:
            raise _Reject(RELATIVE_WITHOUT_NOW)
        return now.date() - timedelta(days=parts["rel"].lower() == "yesterday")
    year = int(parts["y"])
    _check_year(year)
    if parts.get("a"):
        month, day = _numeric_month_day(int(parts["a"]), int(parts["b"]))
    elif parts.get("mon"):
        month, day = _MONTHS[parts["mon"][:3].lower()], int(parts["d"])
    else:
        month, day = int(parts["m"]), int(parts["d"])
    return date(year, month, day)


def _numeric_month_day(a: int, b: int) -> tuple[int, int]:
    """``a/b/yyyy``: month-first if b > 12, day-first if a > 12; never a guess."""
    if a == b or b > 12:
        return a, b
    if a > 12:
        return b, a
    raise _Reject(UNPARSED)  # 03/04/2024: March 4 (US) or 3 April (Europe)?


def _clock(text: str):
    """Parse ``[weekday] time [zone]``: None when there is no time, else
    (hour, minute, second, microsecond, precision, tzinfo or None)."""
    text = _WEEKDAY_RE.sub(" ", text, count=1).strip(" ,")
    if not text:
        return None
    match = _CLOCK_RE.fullmatch(text)
    if not match:
        raise _Reject(UNPARSED)
    zone_text = match["zone"].strip(" ,")
    zone = _zone_of(zone_text) if zone_text else None
    second, micro, precision = 0, 0, MINUTE
    if match["hhmm"]:
        if zone is None or match["ampm"]:
            raise _Reject(UNPARSED)
        hour, minute = int(match["hhmm"][:2]), int(match["hhmm"][2:])
    elif match["h12"]:
        hour, minute = int(match["h12"]), 0
    else:
        hour, minute = int(match["h"]), int(match["mi"])
        if match["s"]:
            second, precision = int(match["s"]), SECOND
            micro = int((match["f"] or "").ljust(6, "0")[:6])
            if micro >= 1000:
                precision = MILLISECOND
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise _Reject(UNPARSED)
        hour = hour % 12 + (12 if match["ampm"].lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _Reject(UNPARSED)
    return hour, minute, second, micro, precision, zone


def _zone_of(text: str) -> tzinfo:
    named = _ZONE_NAME_RE.fullmatch(text)  # JavaScript: "GMT+0300 (Turkey Time)"
    if named:
        text = named["zone"]
    key = re.sub(r"\s+", "", text.strip("()[] ")).replace("\u0130", "I").upper()
    if key in _FIXED_ZONES:
        return timezone(timedelta(hours=_FIXED_ZONES[key]))
    if key in _REGION_ZONES:
        return ZoneInfo(_REGION_ZONES[key])
    match = _OFFSET_RE.fullmatch(key)
    if not match:
        raise _Reject(UNPARSED)
    hours, minutes = int(match["h"] or match["h4"]), int(match["m"] or match["m4"] or 0)
    if hours > 23 or minutes > 59:
        raise _Reject(UNPARSED)
    sign = -1 if match["sign"] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _from_relative(match: re.Match, now: datetime | None) -> DateResult:
    if match["instant"]:
        step, count, precision = timedelta(0), 0, MINUTE
    else:
        unit = _UNITS.get(match["unit"].lower())
        if unit is None:  # months, years: too vague to date
            raise _Reject(UNPARSED)
        step, precision = unit
        count = 1 if match["n"].isalpha() else int(match["n"])
    if now is None:
        raise _Reject(RELATIVE_WITHOUT_NOW)
    if precision == DAY:
        return _day(now.date() - count * step)
    moment = (now.astimezone(_UTC) - count * step).astimezone(now.tzinfo)
    if precision == MINUTE:
        moment = moment.replace(second=0)
    return _instant(moment.replace(microsecond=0), precision)


# --- arguments ---------------------------------------------------------------------------

def _zone_argument(tz) -> tzinfo:
    if tz is None:
        tz = DEFAULT_TIMEZONE
    if isinstance(tz, tzinfo):
        return tz
    if not isinstance(tz, str):
        raise TypeError(f"tz must be a zone name or a tzinfo, not {type(tz).__name__}")
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {tz!r}") from error


def _day_argument(day, zone) -> date:
    if isinstance(day, datetime):
        return day.date()
    if isinstance(day, date):
        return day
    if isinstance(day, str):
        heading = normalise_date(day, tz=zone)
        if heading.value:
            return date.fromisoformat(heading.value[:10])
    raise _Reject(UNPARSED)  # a bare time without its day
