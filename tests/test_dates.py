"""Tests for newsbot.normalise.dates: a readable table of real and realistic inputs, then
property tests (hypothesis) for totality, output shape, idempotence and round trips.

The CMS values are copied from the real TRT World records in /work/shared/trtworld-samples
(the tests never read that folder)."""

from __future__ import annotations

import email.utils
import inspect
import re
from dataclasses import FrozenInstanceError
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsbot.normalise import dates
from newsbot.normalise.dates import DEFAULT_TIMEZONE, DateResult, normalise_date

UTC = timezone.utc
ISTANBUL = ZoneInfo("Europe/Istanbul")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2025, 2, 28, 14, 30, 45, 123456, tzinfo=ISTANBUL)  # for relative dates
NOW_UTC = datetime(2025, 3, 1, 1, 0, tzinfo=UTC)
LIVE_DAY = "Tuesday, July 9, 2024"  # a live-blog day heading (gen-2 site)

RANK = {"day": 0, "minute": 1, "second": 2, "millisecond": 3}
ISO_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2})?")


def _label(raw) -> str:
    if isinstance(raw, int) and abs(raw) > 10**100:
        return f"<int of {len(str(raw // 10**4000)) + 4000} digits>"
    return repr(raw)


def _id(raw, kwargs) -> str:
    text = _label(raw)
    text = text if len(text) <= 60 else text[:57] + "..."
    extra = ",".join(f"{key}={'NOW' if value is NOW else value}" for key, value in kwargs.items())
    return f"{text} [{extra}]" if extra else text


def ok(raw, value, precision, **kwargs):
    return pytest.param(raw, kwargs, value, precision, None, id=_id(raw, kwargs))


def bad(raw, reason, **kwargs):
    return pytest.param(raw, kwargs, None, None, reason, id=_id(raw, kwargs))


CMS_SAMPLES = [  # every distinct published.date / publishedDate in the two CMS samples
    ok("2017-07-04T00:00:00.000Z", "2017-07-04", "day"),  # migrated item: a date, not midnight
    ok("2023-04-26T10:25:42.760Z", "2023-04-26T10:25:42.760+00:00", "millisecond"),
    ok("2023-05-08T06:12:19.102Z", "2023-05-08T06:12:19.102+00:00", "millisecond"),
    ok("2024-03-06T10:21:32.302Z", "2024-03-06T10:21:32.302+00:00", "millisecond"),
    ok("2024-04-17T11:19:59.677Z", "2024-04-17T11:19:59.677+00:00", "millisecond"),
    ok("2024-12-04T08:30:49.654Z", "2024-12-04T08:30:49.654+00:00", "millisecond"),
    ok("2024-12-04T08:35:47.009Z", "2024-12-04T08:35:47.009+00:00", "millisecond"),
    ok("2024-12-04T10:03:51.898Z", "2024-12-04T10:03:51.898+00:00", "millisecond"),
    ok("2024-12-04T11:09:36.122Z", "2024-12-04T11:09:36.122+00:00", "millisecond"),
    ok("2024-12-04T11:43:13.381Z", "2024-12-04T11:43:13.381+00:00", "millisecond"),
    ok("2024-12-04T12:31:21.196Z", "2024-12-04T12:31:21.196+00:00", "millisecond"),
    ok("2024-12-04T13:19:22.938Z", "2024-12-04T13:19:22.938+00:00", "millisecond"),
    ok("2024-12-04T13:57:10.549Z", "2024-12-04T13:57:10.549+00:00", "millisecond"),
    ok("2024-12-04T13:58:17.464Z", "2024-12-04T13:58:17.464+00:00", "millisecond"),
    ok("2024-12-04T14:33:06.340Z", "2024-12-04T14:33:06.340+00:00", "millisecond"),
    ok("2024-12-04T15:17:02.701Z", "2024-12-04T15:17:02.701+00:00", "millisecond"),
    ok("2024-12-04T15:36:56.406Z", "2024-12-04T15:36:56.406+00:00", "millisecond"),
    ok("2024-12-04T15:46:17.046Z", "2024-12-04T15:46:17.046+00:00", "millisecond"),
    ok("2024-12-04T17:27:22.159Z", "2024-12-04T17:27:22.159+00:00", "millisecond"),
    ok("2024-12-04T17:53:10.157Z", "2024-12-04T17:53:10.157+00:00", "millisecond"),
    ok("2025-02-27T14:30:15.813Z", "2025-02-27T14:30:15.813+00:00", "millisecond"),
    ok("2025-02-27T19:24:17.778Z", "2025-02-27T19:24:17.778+00:00", "millisecond"),
    ok("2025-02-28T01:19:43.276Z", "2025-02-28T01:19:43.276+00:00", "millisecond"),
    ok("2025-02-28T02:44:55.005Z", "2025-02-28T02:44:55.005+00:00", "millisecond"),
    ok("2025-02-28T05:20:12.725Z", "2025-02-28T05:20:12.725+00:00", "millisecond"),
    ok("2025-02-28T05:39:38.133Z", "2025-02-28T05:39:38.133+00:00", "millisecond"),
    ok("2025-02-28T07:24:49.261Z", "2025-02-28T07:24:49.261+00:00", "millisecond"),
    ok("2025-02-28T07:50:36.370Z", "2025-02-28T07:50:36.370+00:00", "millisecond"),
    ok("2025-02-28T08:17:02.167Z", "2025-02-28T08:17:02.167+00:00", "millisecond"),
    ok("2025-02-28T08:22:44.895Z", "2025-02-28T08:22:44.895+00:00", "millisecond"),
    ok("2025-02-28T08:32:17.844Z", "2025-02-28T08:32:17.844+00:00", "millisecond"),
    ok("2025-02-28T09:29:02.485Z", "2025-02-28T09:29:02.485+00:00", "millisecond"),
    ok("2025-02-28T09:50:02.366Z", "2025-02-28T09:50:02.366+00:00", "millisecond"),
    ok("2025-02-28T11:27:25.310Z", "2025-02-28T11:27:25.310+00:00", "millisecond"),
    ok("2025-02-28T11:30:00.601Z", "2025-02-28T11:30:00.601+00:00", "millisecond"),
]

SITE_FORMS = [  # every date form in SITE.md
    ok("November 25, 2017", "2017-11-25", "day"),  # gen-3 display date
    ok("2017-11-25", "2017-11-25", "day"),
    ok("date 2017-11-25", "2017-11-25", "day"),  # first line of the stored seed text
    ok("1843 GMT", "2024-07-09T18:43:00+00:00", "minute", day=LIVE_DAY),
    ok("Tuesday, July 9, 2024", "2024-07-09", "day"),
    ok("3 hours ago", "2025-02-28T11:30:00+03:00", "minute", now=NOW),
]

ISO = [
    ok("2025-07-20T12:41:00+03:00", "2025-07-20T12:41:00+03:00", "second"),
    ok("2025-07-20T12:41:00+0300", "2025-07-20T12:41:00+03:00", "second"),
    ok("2025-07-20T12:41:00+03", "2025-07-20T12:41:00+03:00", "second"),
    ok("2025-07-20T12:41+03:00", "2025-07-20T12:41:00+03:00", "minute"),
    ok("2025-07-20T12:41:00-05:00", "2025-07-20T12:41:00-05:00", "second"),
    ok("2025-07-20T12:41:00+05:45", "2025-07-20T12:41:00+05:45", "second"),
    ok("2025-07-20T12:41:00-03:30", "2025-07-20T12:41:00-03:30", "second"),
    ok("2025-07-20T12:41:00.5+03:00", "2025-07-20T12:41:00.500+03:00", "millisecond"),
    ok("2025-02-28T11:30:00.601234Z", "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok("2025-02-28T11:30:00.601999999Z", "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok("2025-02-28T11:30:00.000Z", "2025-02-28T11:30:00+00:00", "second"),
    ok("2025-02-28T11:30:00.000400Z", "2025-02-28T11:30:00+00:00", "second"),  # < 1 ms
    ok("2025-02-28T11:30:00Z", "2025-02-28T11:30:00+00:00", "second"),
    ok("2025-02-28t11:30:00z", "2025-02-28T11:30:00+00:00", "second"),
    ok("2025-02-28 11:30:00Z", "2025-02-28T11:30:00+00:00", "second"),
    ok("2025-02-28 11:30:00 +03:00", "2025-02-28T11:30:00+03:00", "second"),
    ok("2025-02-28T11:30:00 UTC", "2025-02-28T11:30:00+00:00", "second"),
    ok("2025-07-20 12:41", "2025-07-20T12:41:00+03:00", "minute"),
    ok("2025-07-20 12:41:07", "2025-07-20T12:41:07+03:00", "second"),
    ok("2025-07-20T12:41:00", "2025-07-20T12:41:00+03:00", "second"),
    ok("2024-04-17", "2024-04-17", "day"),
    ok("2024-4-7", "2024-04-07", "day"),
    ok("2017/11/25", "2017-11-25", "day"),
    ok("2017.11.25", "2017-11-25", "day"),
    ok("2017/11/25 14:30", "2017-11-25T14:30:00+03:00", "minute"),
    # midnight UTC is how the CMS writes a date without a time
    ok("2017-07-04T00:00:00Z", "2017-07-04", "day"),
    ok("2017-07-04T00:00:00+00:00", "2017-07-04", "day"),
    ok("2017-07-04T00:00:00.000+00:00", "2017-07-04", "day"),
    ok("2017-07-04T00:00:00-00:00", "2017-07-04", "day"),
    ok("2017-07-04T00:00Z", "2017-07-04", "day"),
    ok("2017-07-04T00:00:00.001Z", "2017-07-04T00:00:00.001+00:00", "millisecond"),
    ok("2017-07-04T00:00:01Z", "2017-07-04T00:00:01+00:00", "second"),
    ok("2017-07-04T00:00:00+03:00", "2017-07-04T00:00:00+03:00", "second"),
    ok("2017-07-04T00:00:00", "2017-07-04T00:00:00+03:00", "second"),  # local midnight
    ok("1990-01-01T00:00:00.000Z", "1990-01-01", "day"),
    ok("2100-12-31T23:59:59Z", "2100-12-31T23:59:59+00:00", "second"),
    bad("1989-12-31T23:59:59Z", "out_of_range"),
    bad("2101-01-01T00:00:00Z", "out_of_range"),
    bad("0001-01-01", "out_of_range"),
    bad("9999-12-31T23:59:59Z", "out_of_range"),
    bad("2025-02-30T10:00:00Z", "unparsed"),
    bad("2025-13-01", "unparsed"),
    bad("2025-07-20T24:00:00Z", "unparsed"),
    bad("2025-07-20T12:60:00Z", "unparsed"),
    bad("2025-07-20T12:41:60Z", "unparsed"),
    bad("2025-07-20T12:41:00+24:00", "unparsed"),
    bad("2025-07-20T12:41:00+030", "unparsed"),
    bad("2024-04-17-05:00", "unparsed"),  # XML Schema date with offset: not supported
    bad("2024-04-17Z", "unparsed"),
    bad("2017/11-25", "unparsed"),
]

RFC_2822 = [
    ok("Fri, 20 Jun 2025 09:15:00 GMT", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 +0300", "2025-06-20T09:15:00+03:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 -0000", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 -0430", "2025-06-20T09:15:00-04:30", "second"),
    ok("20 Jun 2025 09:15:00 GMT", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15 GMT", "2025-06-20T09:15:00+00:00", "minute"),
    ok("Fri,20 Jun 2025 09:15:00 GMT", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 UT", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 UTC", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 Z", "2025-06-20T09:15:00+00:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 EST", "2025-06-20T09:15:00-05:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 EDT", "2025-06-20T09:15:00-04:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 CST", "2025-06-20T09:15:00-06:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 MDT", "2025-06-20T09:15:00-06:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 PST", "2025-06-20T09:15:00-08:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00 PDT", "2025-06-20T09:15:00-07:00", "second"),
    ok("Fri, 20 Jun 2025 09:15:00", "2025-06-20T09:15:00+03:00", "second"),
    ok("Fri, 20 Jun 2025 00:00:00 GMT", "2025-06-20", "day"),
    ok("Fri, 20 Jun 2025 00:00:00 +0300", "2025-06-20T00:00:00+03:00", "second"),
    ok("Sat, 25 Nov 2017 14:30:00 +0000", "2017-11-25T14:30:00+00:00", "second"),
    ok("Sat Nov 25 2017 14:30:00 GMT+0300 (GMT+03:00)", "2017-11-25T14:30:00+03:00", "second"),
    ok("Tue Jul 09 2024 21:43:00 GMT+0300 (Türkiye Saati)", "2024-07-09T21:43:00+03:00",
       "second"),  # JavaScript Date.toString()
    bad("Tue Jul 09 2024 21:43:00 (Türkiye Saati)", "unparsed"),
    ok("Fri, 20\u202fJun 2025 09:15:00 GMT", "2025-06-20T09:15:00+00:00", "second"),
    bad("Fri, 20 Jun 25 09:15:00 GMT", "unparsed"),  # two-digit year
    bad("Fri, 20 Jun 2025 09:15:00 XYZ", "unparsed"),
]

DISPLAY = [
    ok("Nov 25, 2017", "2017-11-25", "day"),
    ok("Nov. 25, 2017", "2017-11-25", "day"),
    ok("NOVEMBER 25, 2017", "2017-11-25", "day"),
    ok("november 25, 2017", "2017-11-25", "day"),
    ok("November 25 2017", "2017-11-25", "day"),
    ok("Nov 25,2017", "2017-11-25", "day"),
    ok("November 25th, 2017", "2017-11-25", "day"),
    ok("Sept 5, 2024", "2024-09-05", "day"),
    ok("Sept. 5, 2024", "2024-09-05", "day"),
    ok("Sep 5, 2024", "2024-09-05", "day"),
    ok("September 05, 2024", "2024-09-05", "day"),
    ok("25 November 2017", "2017-11-25", "day"),
    ok("25 Nov 2017", "2017-11-25", "day"),
    ok("25 Nov. 2017", "2017-11-25", "day"),
    ok("25-Nov-2017", "2017-11-25", "day"),
    ok("25th November 2017", "2017-11-25", "day"),
    ok("9th of July 2024", "2024-07-09", "day"),
    ok("1st March 2024", "2024-03-01", "day"),
    ok("9 July, 2024", "2024-07-09", "day"),
    ok("Tue, July 9, 2024", "2024-07-09", "day"),
    ok("Tuesday 9 July 2024", "2024-07-09", "day"),
    ok("Tuesday, 9 July 2024", "2024-07-09", "day"),
    ok("Thurs. Jan 2, 2020", "2020-01-02", "day"),
    ok("May 5, 2024", "2024-05-05", "day"),
    ok("Mar 2, 2020", "2020-03-02", "day"),
    ok("Dec. 1, 2024", "2024-12-01", "day"),
    ok("Jun 1 2024", "2024-06-01", "day"),
    ok("Feb 29, 2024", "2024-02-29", "day"),
    bad("Feb 29, 2023", "unparsed"),
    bad("June 31, 2024", "unparsed"),
    bad("Mayday 5, 2024", "unparsed"),
    bad("Nov 2017", "unparsed"),  # month and year only
    bad("November 25", "unparsed"),  # no year
    bad("Nov 25, 17", "unparsed"),  # two-digit year
    bad("Nov 25, 1985", "out_of_range"),
    bad("Nov 25, 2017 | 4 MIN READ", "unparsed"),
    bad("Nov 25, 2017 Nov 26, 2017", "unparsed"),
]

NUMERIC_DATES = [
    ok("25.11.2017", "2017-11-25", "day"),  # dotted: always day first (Turkish/European)
    ok("5.7.2024", "2024-07-05", "day"),
    ok("03.04.2024", "2024-04-03", "day"),
    ok("25/11/2017", "2017-11-25", "day"),  # 25 > 12: day first
    ok("11/25/2017", "2017-11-25", "day"),  # 25 > 12: month first
    ok("25-11-2017", "2017-11-25", "day"),
    ok("04/04/2024", "2024-04-04", "day"),  # both readings agree
    ok("31/12/2099", "2099-12-31", "day"),
    ok("12/31/2099", "2099-12-31", "day"),
    bad("03/04/2024", "unparsed"),  # March 4 or 3 April: never guessed
    bad("12/11/2024", "unparsed"),
    bad("03-04-2024", "unparsed"),
    bad("13/13/2024", "unparsed"),
    bad("25/11/17", "unparsed"),
    bad("25.11.17", "unparsed"),
    ok("20250228", "2025-02-28", "day"),  # 8 digits: compact YYYYMMDD, never an epoch
    ok("20170704", "2017-07-04", "day"),
    bad("20251301", "unparsed"),
    bad("19891231", "out_of_range"),
]

WITH_TIME = [
    ok("November 25, 2017 14:30", "2017-11-25T14:30:00+03:00", "minute"),
    ok("November 25, 2017 at 2:30 PM", "2017-11-25T14:30:00+03:00", "minute"),
    ok("November 25, 2017 at 2:30 pm", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017, 2:30 p.m.", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 2:30PM", "2017-11-25T14:30:00+03:00", "minute"),
    ok("November 25, 2017 12:00 AM", "2017-11-25T00:00:00+03:00", "minute"),
    ok("November 25, 2017 12:15 PM", "2017-11-25T12:15:00+03:00", "minute"),
    ok("20 June 2025 9am", "2025-06-20T09:00:00+03:00", "minute"),
    ok("25.11.2017 14:30", "2017-11-25T14:30:00+03:00", "minute"),
    ok("25.11.2017 14:30:15", "2017-11-25T14:30:15+03:00", "second"),
    ok("25.11.2017 - 14:30", "2017-11-25T14:30:00+03:00", "minute"),
    ok("25/11/2017 - 14:30", "2017-11-25T14:30:00+03:00", "minute"),
    ok("25 November 2017, 14:30 GMT", "2017-11-25T14:30:00+00:00", "minute"),
    ok("25 Nov 2017 | 14:30 UTC", "2017-11-25T14:30:00+00:00", "minute"),
    ok("14:30, 25 November 2017", "2017-11-25T14:30:00+03:00", "minute"),
    ok("14:30 GMT, 25 November 2017", "2017-11-25T14:30:00+00:00", "minute"),
    ok("2:30 PM ET, Nov 25, 2017", "2017-11-25T14:30:00-05:00", "minute"),  # ET in winter
    ok("Nov 25, 2017 14:30 GMT+3", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 14:30 GMT+03:00", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 14:30 (GMT+03:00)", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 14:30 UTC+3", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 14:30 UTC-05:00", "2017-11-25T14:30:00-05:00", "minute"),
    ok("Nov 25, 2017 14:30 GMT +3", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 14:30 +0300", "2017-11-25T14:30:00+03:00", "minute"),
    ok("Nov 25, 2017 14:30 TSI", "2017-11-25T14:30:00+03:00", "minute"),
    ok("25.11.2017 14:30 TSİ", "2017-11-25T14:30:00+03:00", "minute"),  # Türkiye Saati
    ok("10.01.2015 14:30 TSİ", "2015-01-10T14:30:00+02:00", "minute"),  # EET before 2016
    ok("Nov 25, 2017 14:30 TRT", "2017-11-25T14:30:00+03:00", "minute"),
    ok("June 20, 2025 9:15 AM GMT+3", "2025-06-20T09:15:00+03:00", "minute"),  # Reuters
    ok("Updated 9:15 AM EDT, Fri June 20, 2025", "2025-06-20T09:15:00-04:00", "minute"),  # CNN
    ok("June 20, 2025, 9:15 a.m. ET", "2025-06-20T09:15:00-04:00", "minute"),  # NYT
    ok("June 20, 2025 at 9:15 a.m. EDT", "2025-06-20T09:15:00-04:00", "minute"),  # WaPo
    ok("Fri 20 Jun 2025 09.15 BST", "2025-06-20T09:15:00+01:00", "minute"),  # Guardian
    ok("Fri 20 Jun 2025 09.15 CEST", "2025-06-20T09:15:00+02:00", "minute"),
    ok("JUN 20, 2025 - 9:15 AM GMT+3", "2025-06-20T09:15:00+03:00", "minute"),  # Daily Sabah
    ok("20 Jun 2025 09:15:00 +0300", "2025-06-20T09:15:00+03:00", "second"),
    bad("November 25, 2017 13:30 PM", "unparsed"),
    bad("November 25, 2017 25:30", "unparsed"),
    bad("Nov 25, 2017 14:30 IST", "unparsed"),  # India, Israel or Ireland?
    bad("Nov 25, 2017 14:30 XYZ", "unparsed"),
    bad("Nov 25, 2017 14:30 GMT+25", "unparsed"),
    bad("Nov 25, 2017 GMT", "unparsed"),  # a zone without a time
]

LABELS = [
    ok("Updated: Nov 25, 2017", "2017-11-25", "day"),
    ok("Updated Nov 25, 2017", "2017-11-25", "day"),
    ok("UPDATED: 25.11.2017 14:30", "2017-11-25T14:30:00+03:00", "minute"),
    ok("updated: 2024-04-17", "2024-04-17", "day"),
    ok("Updated: Dec 1, 2024", "2024-12-01", "day"),
    ok("Published Nov 25, 2017", "2017-11-25", "day"),
    ok("Published on 25 November 2017", "2017-11-25", "day"),
    ok("Published On 20 Jun 2025", "2025-06-20", "day"),  # Al Jazeera
    ok("Published: 2025-02-28T11:30:00.601Z", "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok("Published: May 5, 2024", "2024-05-05", "day"),
    ok("Published date: 20 June 2025 09:15 BST", "2025-06-20T09:15:00+01:00", "minute"),
    ok("Last updated: 20 June 2025 09:15 BST", "2025-06-20T09:15:00+01:00", "minute"),
    ok("Last updated on June 20, 2025", "2025-06-20", "day"),
    ok("Last Modified: 2024-04-17", "2024-04-17", "day"),
    ok("First published on 25 November 2017", "2017-11-25", "day"),
    ok("Posted Nov 25, 2017", "2017-11-25", "day"),
    ok("Posted on: Nov 25, 2017", "2017-11-25", "day"),
    ok("Posted: Sept 5, 2024", "2024-09-05", "day"),
    ok("Date: 2024-04-17", "2024-04-17", "day"),
    ok("Date: Dec 1, 2024", "2024-12-01", "day"),
    ok("Dated 25 Nov 2017", "2017-11-25", "day"),
    ok("On Oct 5, 2024", "2024-10-05", "day"),
    ok("On November 25, 2017", "2017-11-25", "day"),
    ok("Updated 3 hours ago", "2025-02-28T11:30:00+03:00", "minute", now=NOW),
    ok("Posted yesterday", "2025-02-27", "day", now=NOW),
    bad("Updated:", "empty"),
    bad("Updatednov 25, 2017", "unparsed"),  # a label is stripped only as a whole word
    bad("Posted by John on Nov 25, 2017", "unparsed"),
]

CLEANUP = [
    ok("  November 25, 2017  ", "2017-11-25", "day"),
    ok("November\u00a025,\u00a02017", "2017-11-25", "day"),
    ok("November&nbsp;25, 2017", "2017-11-25", "day"),
    ok("\u200bNov 25, 2017\ufeff", "2017-11-25", "day"),
    ok("Nov 25, 2017.", "2017-11-25", "day"),
    ok("— Nov 25, 2017 —", "2017-11-25", "day"),
    ok("| 25.11.2017, 14:30 |", "2017-11-25T14:30:00+03:00", "minute"),
    ok("\n\t2024-04-17\n", "2024-04-17", "day"),
    ok("2025-07-20T12:41:00\u221205:00", "2025-07-20T12:41:00-05:00", "second"),  # minus sign
    ok("1843 GMT \u2014", "2024-07-09T18:43:00+00:00", "minute", day=LIVE_DAY),
]

LIVE_BLOG = [
    ok("0905 GMT", "2024-07-09T09:05:00+00:00", "minute", day=LIVE_DAY),
    ok("1843 GMT+3", "2024-07-09T18:43:00+03:00", "minute", day=LIVE_DAY),
    ok("18:43 GMT", "2024-07-09T18:43:00+00:00", "minute", day=LIVE_DAY),
    ok("18:43", "2024-07-09T18:43:00+03:00", "minute", day=LIVE_DAY),
    ok("2359 UTC", "2024-07-09T23:59:00+00:00", "minute", day="2024-07-09"),
    ok("1200 GMT", "2024-07-09T12:00:00+00:00", "minute", day=date(2024, 7, 9)),
    ok("0000 GMT", "2024-07-09", "day", day=LIVE_DAY),  # midnight UTC prints as the day
    ok("Nov 25, 2017 14:30", "2017-11-25T14:30:00+03:00", "minute", day=LIVE_DAY),  # own date
    bad("1843 GMT", "unparsed"),  # no day heading: no date
    bad("1843", "unparsed", day=LIVE_DAY),  # four digits need a zone to be a time
    bad("2460 GMT", "unparsed", day=LIVE_DAY),
    bad("1843 GMT", "unparsed", day="not a day"),
]

TIME_ZONES = [
    ok("2025-07-20 12:41", "2025-07-20T12:41:00+00:00", "minute", tz="UTC"),
    ok("2025-07-20 12:41", "2025-07-20T12:41:00-04:00", "minute", tz="America/New_York"),
    ok("2025-01-20 12:41", "2025-01-20T12:41:00-05:00", "minute", tz=NEW_YORK),
    ok("2025-01-20 12:41", "2025-01-20T12:41:00+05:30", "minute",
       tz=timezone(timedelta(hours=5, minutes=30))),
    ok("2015-01-10 14:30", "2015-01-10T14:30:00+02:00", "minute"),  # Istanbul before 2016
    ok("2015-07-10 14:30", "2015-07-10T14:30:00+03:00", "minute"),
    ok("2025-07-20T12:41:00+03:00", "2025-07-20T12:41:00+03:00", "second", tz="UTC"),
    ok("2025-07-20 00:00", "2025-07-20", "day", tz="UTC"),
]

RELATIVE = [
    ok("an hour ago", "2025-02-28T13:30:00+03:00", "minute", now=NOW),
    ok("one hour ago", "2025-02-28T13:30:00+03:00", "minute", now=NOW),
    ok("45 minutes ago", "2025-02-28T13:45:00+03:00", "minute", now=NOW),
    ok("1 minute ago", "2025-02-28T14:29:00+03:00", "minute", now=NOW),
    ok("a minute ago", "2025-02-28T14:29:00+03:00", "minute", now=NOW),
    ok("5 mins ago", "2025-02-28T14:25:00+03:00", "minute", now=NOW),
    ok("3h ago", "2025-02-28T11:30:00+03:00", "minute", now=NOW),
    ok("2 hrs ago", "2025-02-28T12:30:00+03:00", "minute", now=NOW),
    ok("15 hours ago", "2025-02-27T23:30:00+03:00", "minute", now=NOW),
    ok("30 seconds ago", "2025-02-28T14:30:15+03:00", "second", now=NOW),
    ok("2 days ago", "2025-02-26", "day", now=NOW),
    ok("a day ago", "2025-02-27", "day", now=NOW),
    ok("1 week ago", "2025-02-21", "day", now=NOW),
    ok("yesterday", "2025-02-27", "day", now=NOW),
    ok("Yesterday", "2025-02-27", "day", now=NOW),
    ok("today", "2025-02-28", "day", now=NOW),
    ok("just now", "2025-02-28T14:30:00+03:00", "minute", now=NOW),
    ok("moments ago", "2025-02-28T14:30:00+03:00", "minute", now=NOW),
    ok("Yesterday at 14:30", "2025-02-27T14:30:00+03:00", "minute", now=NOW),
    ok("Today, 09:15 GMT", "2025-02-28T09:15:00+00:00", "minute", now=NOW),
    ok("2 hours ago", "2025-02-28T23:00:00+00:00", "minute", now=NOW_UTC),
    ok("yesterday", "2025-02-28", "day", now=NOW_UTC),  # now's own zone decides the day
    ok("2 days ago", "2025-02-27", "day", now=NOW_UTC),
    ok("1 hour ago", "2025-03-01", "day", now=NOW_UTC),  # exactly midnight UTC: the day
    bad("99999 weeks ago", "out_of_range", now=NOW),
    ok("99999 hours ago", "2013-10-02T23:30:00+03:00", "minute", now=NOW),
    bad("2 months ago", "unparsed", now=NOW),  # too vague
    bad("in 3 hours", "unparsed", now=NOW),
    bad("a few minutes ago", "unparsed", now=NOW),
    bad("3 hours ago", "relative_without_now"),
    bad("an hour ago", "relative_without_now"),
    bad("yesterday", "relative_without_now"),
    bad("just now", "relative_without_now"),
    bad("2 days ago", "relative_without_now"),
]

NUMBERS = [
    ok(1740742200, "2025-02-28T11:30:00+00:00", "second"),
    ok("1740742200", "2025-02-28T11:30:00+00:00", "second"),
    ok(1740742200.601, "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok("1740742200.601", "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok(1740742200601, "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok("1740742200601", "2025-02-28T11:30:00.601+00:00", "millisecond"),
    ok(1740742200000, "2025-02-28T11:30:00+00:00", "second"),
    ok(1499126400, "2017-07-04", "day"),  # midnight UTC
    ok(1499126400000, "2017-07-04", "day"),
    ok(631152000, "1990-01-01", "day"),  # 9 digits: seconds
    ok(946684799, "1999-12-31T23:59:59+00:00", "second"),
    ok(1700000000.5, "2023-11-14T22:13:20.500+00:00", "millisecond"),
    ok(Decimal("1700000000.123456"), "2023-11-14T22:13:20.123+00:00", "millisecond"),
    ok(4102444800, "2100-01-01", "day"),
    ok(20250228, "2025-02-28", "day"),  # 8 digits: compact date
    ok(20250228.0, "2025-02-28", "day"),
    bad(4133980800, "out_of_range"),  # 2101
    bad(631151999, "out_of_range"),  # 1989
    bad(100000000, "out_of_range"),
    bad(99999999999, "out_of_range"),
    bad(10**13, "out_of_range"),
    bad(10**5000, "out_of_range"),
    bad(0, "out_of_range"),
    bad(-1, "out_of_range"),
    bad(2025, "out_of_range"),
    bad("-1740742200", "unparsed"),
    bad("1740742200.601.5", "unparsed"),
    bad("20250228.5", "unparsed"),
    bad("2024", "unparsed"),
    bad("1843", "unparsed"),
    bad(float("nan"), "unparsed"),
    bad(float("inf"), "unparsed"),
    bad(Decimal("NaN"), "unparsed"),
    bad(True, "unparsed"),
]

OBJECTS = [
    ok(datetime(2025, 2, 28, 11, 30, 0, 601000, tzinfo=UTC), "2025-02-28T11:30:00.601+00:00",
       "millisecond"),
    ok(datetime(2025, 7, 20, 12, 41), "2025-07-20T12:41:00+03:00", "second"),  # naive: tz
    ok(datetime(2025, 1, 20, 12, 41, tzinfo=NEW_YORK), "2025-01-20T12:41:00-05:00", "second"),
    ok(datetime(2017, 7, 4, tzinfo=UTC), "2017-07-04", "day"),
    ok(date(2024, 4, 17), "2024-04-17", "day"),
    bad(datetime(1985, 1, 1), "out_of_range"),
    bad(date(2200, 1, 1), "out_of_range"),
    bad(time(12, 0), "unparsed"),
    bad(b"2024-04-17", "unparsed"),
    bad(["2024-04-17"], "unparsed"),
    bad({"date": "2024-04-17"}, "unparsed"),
    bad(object(), "unparsed"),
    bad(3 + 4j, "unparsed"),
]

GARBAGE = [
    bad(None, "empty"),
    bad("", "empty"),
    bad("   ", "empty"),
    bad("\u00a0", "empty"),
    bad("&nbsp;", "empty"),
    bad("garbage", "unparsed"),
    bad("N/A", "unparsed"),
    bad("null", "unparsed"),
    bad("x" * 1000, "unparsed"),
    bad("2017", "unparsed"),
    bad("Z", "unparsed"),
]

CASES = (CMS_SAMPLES + SITE_FORMS + ISO + RFC_2822 + DISPLAY + NUMERIC_DATES + WITH_TIME
         + LABELS + CLEANUP + LIVE_BLOG + TIME_ZONES + RELATIVE + NUMBERS + OBJECTS + GARBAGE)


@pytest.mark.parametrize(("raw", "kwargs", "value", "precision", "reason"), CASES)
def test_table(raw, kwargs, value, precision, reason):
    assert normalise_date(raw, **kwargs) == DateResult(value, precision, reason)


# Malformed ISO timestamps repaired because what was meant is certain; the result says so.
REPAIR_CASES = [
    pytest.param("2025-02-28T11:30:00.601ZZ", "2025-02-28T11:30:00.601+00:00", ("doubled_z",),
                 id="doubled-z"),
    pytest.param("2025-02-28T11:30:00ZZZ", "2025-02-28T11:30:00+00:00", ("doubled_z",), id="tripled-z"),
    pytest.param("2025-02-28T11:30:00,601Z", "2025-02-28T11:30:00.601+00:00", ("comma_decimal",),
                 id="comma-decimal"),
    pytest.param("2025-02-2811:30:00Z", "2025-02-28T11:30:00+00:00", ("missing_t",), id="missing-t"),
    pytest.param("2025-02-2814:30+03:00", "2025-02-28T14:30:00+03:00", ("missing_t",),
                 id="missing-t-offset"),
    pytest.param("2025-02-2811:30:00,5ZZ", "2025-02-28T11:30:00.500+00:00",
                 ("missing_t", "comma_decimal", "doubled_z"), id="all-three"),
    pytest.param("2025-02-28T11:30:00.601Z", "2025-02-28T11:30:00.601+00:00", (), id="sound-value"),
]


@pytest.mark.parametrize("raw, value, repaired", REPAIR_CASES)
def test_repairs_are_named(raw, value, repaired):
    result = normalise_date(raw)
    assert (result.value, result.repaired) == (value, repaired)
    assert normalise_date(result.value).repaired == ()


@pytest.mark.parametrize("raw", ["2025-02-28ZZ", "11:30:00,601Z", "2025-02-281130Z", "ZZ"])
def test_no_repair_without_proof(raw):
    assert normalise_date(raw).value is None


@pytest.mark.parametrize(("raw", "kwargs", "value", "precision", "reason"),
                         [case for case in CASES if case.values[2] is not None])
def test_table_values_are_idempotent(raw, kwargs, value, precision, reason):
    again = normalise_date(value)
    assert again.value == value
    assert RANK[again.precision] >= RANK[precision]


def test_table_is_large_and_distinct():
    inputs = {_label(case.values[0]) for case in CASES}
    assert len(inputs) >= 150
    assert len(CASES) == len({case.id for case in CASES})


# --- API ----------------------------------------------------------------------------------

def test_api_constants_and_result_is_frozen():
    assert DEFAULT_TIMEZONE == "Europe/Istanbul"
    result = normalise_date("2024-04-17")
    with pytest.raises(FrozenInstanceError):
        result.value = "x"  # type: ignore[misc]


def test_tz_none_means_default():
    assert normalise_date("2025-07-20 12:41", tz=None).value == "2025-07-20T12:41:00+03:00"


def test_naive_now_is_read_in_tz():
    naive = NOW.replace(tzinfo=None)
    assert normalise_date("3 hours ago", now=naive).value == "2025-02-28T11:30:00+03:00"
    assert normalise_date("3 hours ago", now=naive, tz="UTC").value == "2025-02-28T11:30:00+00:00"


def test_misconfiguration_is_loud():
    with pytest.raises(ValueError):
        normalise_date("2024-04-17", tz="Not/A_Zone")
    with pytest.raises(TypeError):
        normalise_date("2024-04-17", now="2025-02-28")  # type: ignore[arg-type]


def test_never_reads_the_clock():
    source = inspect.getsource(dates)
    assert not re.search(r"\.now\(|\.today\(|utcnow|time\.time\(|import time\b", source)


# --- properties -----------------------------------------------------------------------------

FIXED_OFFSETS = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
ZONES = st.one_of(st.just(UTC), FIXED_OFFSETS, st.timezones())
AWARE = st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2100, 12, 30),
                     timezones=ZONES)
NAIVE = st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2100, 12, 30))

TOKENS = st.sampled_from([
    "Nov", "November", "Sept", "May", "Tuesday", "Fri,", "GMT", "UTC", "Z", "T", "+03:00",
    "+0300", "(GMT+03:00)", "TSİ", "EST", "ET", "PM", "a.m.", "at", "on", "ago", "hours",
    "an", "yesterday", "Updated:", "Published", "Date:", "&nbsp;", "\u00a0", ",", ".", "-",
    "/", ":", "|", "2017", "2024", "25", "12", "03", "00", "1843", "14:30", "09:15:00",
    "2025-02-28", "2017-07-04T00:00:00.000Z", "25.11.2017", "03/04/2024", "1740742200",
])
DATEISH = st.lists(st.one_of(TOKENS, st.integers(0, 3000).map(str)), max_size=8).map(" ".join)
FORMATTED = st.tuples(st.one_of(AWARE, NAIVE), st.sampled_from([
    "%Y-%m-%dT%H:%M:%S.%f%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M", "%a, %d %b %Y %H:%M:%S %z",
    "%B %d, %Y", "%b %d, %Y at %I:%M %p", "%d.%m.%Y %H:%M", "%A, %B %d, %Y", "%d/%m/%Y",
    "%m/%d/%Y %H:%M", "%Y%m%d", "%H%M GMT", "Updated: %d %b %Y %H:%M:%S",
])).map(lambda pair: pair[0].strftime(pair[1]))
DATE_TEXT = st.one_of(DATEISH, FORMATTED, st.from_regex(ISO_SHAPE, fullmatch=True),
                      st.sampled_from([case.values[0] for case in CASES
                                       if isinstance(case.values[0], str)]))
ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.fractions(),
    st.complex_numbers(), st.text(), st.binary(), DATE_TEXT, st.datetimes(), st.dates(),
    st.times(), st.datetimes(timezones=ZONES), st.lists(st.integers()),
    st.dictionaries(st.text(), st.text()), st.builds(object),
)


def assert_well_formed(result: DateResult) -> None:
    assert isinstance(result, DateResult)
    if result.value is None:
        assert result.precision is None
        assert result.reason in dates.REASONS
        return
    assert result.reason is None
    assert ISO_SHAPE.fullmatch(result.value), result.value
    if result.precision == "day":
        assert len(result.value) == 10
        date.fromisoformat(result.value)
        return
    parsed = datetime.fromisoformat(result.value)
    assert parsed.utcoffset() is not None
    assert 1990 <= parsed.year <= 2100
    assert ("." in result.value) == (result.precision == "millisecond")
    if result.precision == "minute":
        assert parsed.second == 0
    assert not (parsed.utcoffset() == timedelta(0) and parsed.time() == time(0))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=ANYTHING, now=st.one_of(st.none(), AWARE), day=st.one_of(st.none(), DATE_TEXT))
@example(raw="1843 GMT", now=None, day=LIVE_DAY)
def test_never_raises_and_output_is_well_formed(raw, now, day):
    assert_well_formed(normalise_date(raw, now=now, day=day))


@settings(max_examples=500, deadline=None)
@given(raw=st.one_of(DATE_TEXT, st.text()), now=st.one_of(st.none(), AWARE))
def test_idempotent(raw, now):
    first = normalise_date(raw, now=now)
    if first.value is None:
        return
    again = normalise_date(first.value)
    assert again.value == first.value
    assert RANK[again.precision] >= RANK[first.precision]


def _to_millisecond(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def assert_same_instant(result: DateResult, expected: datetime) -> None:
    if result.precision == "day":  # only midnight UTC collapses to a day
        assert expected.utcoffset() == timedelta(0) and expected.time() == time(0)
        assert result.value == expected.date().isoformat()
    else:
        parsed = datetime.fromisoformat(result.value)
        # compare in UTC: PEP 495 makes times in a DST fold unequal across zones
        assert parsed.astimezone(UTC) == expected.astimezone(UTC)
        assert parsed.utcoffset() == expected.utcoffset()  # the source's own offset


@settings(deadline=None)
@given(AWARE)
def test_aware_datetimes_round_trip(moment):
    expected = _to_millisecond(moment)
    assert_same_instant(normalise_date(moment.isoformat()), expected)
    assert_same_instant(normalise_date(moment), expected)


@given(AWARE)
def test_rfc_2822_agrees_with_email_utils(moment):
    text = email.utils.format_datetime(moment)
    assert_same_instant(normalise_date(text), email.utils.parsedate_to_datetime(text))


@given(NAIVE, st.sampled_from(["UT", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST",
                               "PDT"]))
def test_rfc_822_zone_names_agree_with_email_utils(moment, zone):
    text = f"{moment:%a, %d %b %Y %H:%M:%S} {zone}"
    assert_same_instant(normalise_date(text), email.utils.parsedate_to_datetime(text))


DISPLAY_FORMATS = [
    ("%B %d, %Y", "day"), ("%b %d, %Y", "day"), ("%b. %d, %Y", "day"), ("%d %B %Y", "day"),
    ("%d %b %Y", "day"), ("%A, %B %d, %Y", "day"), ("%d.%m.%Y", "day"), ("%Y/%m/%d", "day"),
    ("%Y-%m-%d", "day"), ("%B %d, %Y %H:%M", "minute"), ("%d.%m.%Y %H:%M", "minute"),
    ("%b %d, %Y at %I:%M %p", "minute"), ("Updated: %d %b %Y %H:%M:%S", "second"),
    ("%Y-%m-%d %H:%M:%S", "second"), ("%H:%M, %d %B %Y", "minute"),
]


@settings(deadline=None)
@given(NAIVE, st.sampled_from(DISPLAY_FORMATS))
def test_display_formats_read_in_tz(moment, form):
    pattern, precision = form
    result = normalise_date(moment.strftime(pattern))
    assert result.precision == precision
    if precision == "day":
        assert result.value == moment.date().isoformat()
    else:
        cut = {"minute": dict(second=0, microsecond=0), "second": dict(microsecond=0)}[precision]
        # printed text has no fold: an ambiguous or skipped local time is read with fold=0
        expected = moment.replace(**cut, fold=0, tzinfo=ISTANBUL)
        assert_same_instant(result, expected)


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1990, 2100))
def test_ambiguous_numeric_dates_are_never_guessed(a, b, year):
    result = normalise_date(f"{a:02d}/{b:02d}/{year}")
    if a == b:
        assert result.value == date(year, a, b).isoformat()
    else:
        assert result == DateResult(None, None, "unparsed")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)).filter(
    lambda d: d.day > 12))
def test_unambiguous_numeric_dates(day):
    assert normalise_date(f"{day.day}/{day.month}/{day.year}").value == day.isoformat()
    assert normalise_date(f"{day.month}/{day.day}/{day.year}").value == day.isoformat()
    assert normalise_date(f"{day.month:02d}.{day.day:02d}.{day.year}").value is None


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31, 23),
                    timezones=st.just(UTC)))
def test_epochs(moment):
    expected = _to_millisecond(moment)
    seconds = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(seconds=1)
    millis = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(milliseconds=1)
    assert_same_instant(normalise_date(seconds), expected.replace(microsecond=0))
    assert_same_instant(normalise_date(str(seconds)), expected.replace(microsecond=0))
    assert_same_instant(normalise_date(millis), expected)
    assert_same_instant(normalise_date(str(millis)), expected)


@given(AWARE.filter(lambda m: m.utcoffset() != timedelta(0)), st.integers(1, 5000),
       st.sampled_from(["hours", "minutes"]))
def test_relative_times(now, count, unit):
    result = normalise_date(f"{count} {unit} ago", now=now)
    expected = (now.astimezone(UTC) - timedelta(**{unit: count})).astimezone(now.tzinfo)
    expected = expected.replace(second=0, microsecond=0)
    if not 1990 <= expected.year <= 2100:
        assert result.reason == "out_of_range"
        return
    assert result.precision in ("minute", "day")  # "day": landed on midnight UTC
    assert_same_instant(result, expected)
    assert normalise_date(f"{count} {unit} ago").reason == "relative_without_now"
