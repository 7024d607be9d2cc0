"""Normalise ``date_published`` and ``date_modified`` with ``normalise_date()``."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from itemadapter import ItemAdapter

from newsbot.normalise.dates import DEFAULT_TIMEZONE, normalise_date

FUTURE_TOLERANCE = timedelta(days=1)
logger = logging.getLogger(__name__)


class NormaliseDates:
    """Keeps the raw published value in ``date_published_raw``. Unparseable values leave
    the field empty and are counted (``newsbot/dates/unparsed``); suspicious ones (modified
    before published, more than a day after the crawl) are counted, never "fixed"; a
    malformed value that normalise_date() could repair is counted by repair
    (``newsbot/dates/repaired/<doubled_z|comma_decimal|missing_t>``)."""

    def __init__(self, stats, timezone_name: str):
        self.stats = stats
        self.timezone = timezone_name

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler.settings.get("NEWSBOT_TIMEZONE", DEFAULT_TIMEZONE))

    def process_item(self, item):
        adapter = ItemAdapter(item)
        now = _parse(adapter.get("scraped_at")) or datetime.now(timezone.utc)
        if adapter.get("date_published") is not None and adapter.get("date_published_raw") is None:
            adapter["date_published_raw"] = str(adapter["date_published"])
        for field in ("date_published", "date_modified"):
            raw = adapter.get(field)
            if raw in (None, ""):
                adapter[field] = None
                continue
            result = normalise_date(raw, now=now, tz=self.timezone)
            adapter[field] = result.value
            if result.value is None:
                self.stats.inc_value("newsbot/dates/unparsed")
                self.stats.inc_value(f"newsbot/dates/unparsed/{field}")
                logger.warning("Unparsed %s %r (%s) on %s", field, raw, result.reason, adapter.get("url"))
            else:
                self.stats.inc_value(f"newsbot/dates/{field}/{result.precision}")
            for repair in result.repaired:
                self.stats.inc_value(f"newsbot/dates/repaired/{repair}")
        self._check(adapter, now)
        return item

    def _check(self, adapter, now: datetime) -> None:
        published = _parse(adapter.get("date_published"))
        modified = _parse(adapter.get("date_modified"))
        if published and modified and modified < published:
            self.stats.inc_value("newsbot/dates/modified_before_published")
        for value in (published, modified):
            if value and value > now + FUTURE_TOLERANCE:
                self.stats.inc_value("newsbot/dates/in_future")


def _parse(value) -> datetime | None:
    """An ISO value as an aware datetime (a day counts as its UTC start, for comparisons)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
