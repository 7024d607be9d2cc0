"""Which article pages an incremental crawl fetches: the one place of that decision.

``decide()`` (a pure function) says whether one article is fetched:

* unknown to the state: yes, unless it failed recently (back-off) or answered 404/410
  (``gone``; a feed or sitemap hint it did not have before opens it again);
* known: yes when a hint (feed date, sitemap ``lastmod``) *differs* from the one stored for
  that source (a first hint from a source counts when it is after the last visit), when the
  revisit schedule says its age makes it due (``NEWSBOT_REVISIT_SCHEDULE``), or when the last
  visit is older than ``NEWSBOT_REFRESH_AGE_HOURS``; otherwise it is skipped.

``Planner`` applies it during a run, before a request exists (so a run over a known site
costs only lookups): it merges the hints of all sources for an article within the run (a
later, different hint re-schedules an article skipped earlier), follows the links the state
recorded for each known article it skips (a skipped parent never hides a child), keeps the
frontier (URLs scheduled and not finished, failures with their back-off), and hands each
fetched page's hints and links to the state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from newsbot.normalise.dates import normalise_date
from newsbot.state import FrontierRow, KnownRecord, StateBackend, state_for
from newsbot.urls import SiteRules

GRAPH = "graph"  # source of a link followed from the state's link graph (no hint)
DISCOVERY_SOURCES = ("feed", "sitemap")
PAGE_SOURCE = "page"  # the page's own dateModified, stored when it was fetched
# An hourly cron starting a few minutes early still revisits: a visit is due this much early.
SCHEDULE_SLACK, MAX_SLACK = 0.1, timedelta(minutes=10)


@dataclass(frozen=True)
class RevisitPolicy:
    """``schedule``: ``(age below, revisit interval)`` steps, youngest first; older articles
    are revisited every ``refresh_age``. Failures wait ``backoff`` × (2^(attempts−1) − 1),
    at most ``max_backoff`` (the first retry is the next run)."""

    schedule: tuple[tuple[timedelta, timedelta], ...]
    refresh_age: timedelta
    backoff: timedelta = timedelta(hours=1)
    max_backoff: timedelta = timedelta(hours=24)

    @classmethod
    def from_settings(cls, settings) -> RevisitPolicy:
        """Raises ValueError for a setting that cannot work."""
        refresh = settings.getfloat("NEWSBOT_REFRESH_AGE_HOURS", 168)
        raw = settings.get("NEWSBOT_REVISIT_SCHEDULE") or {}
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise ValueError("NEWSBOT_REVISIT_SCHEDULE must be a JSON object of"
                                 " {age hours: interval hours}") from None
        try:
            steps = sorted((float(age), float(interval)) for age, interval in dict(raw).items())
        except (TypeError, ValueError):
            raise ValueError("NEWSBOT_REVISIT_SCHEDULE must map age hours to interval hours (numbers)") from None
        if any(age <= 0 or interval < 0 for age, interval in steps):
            raise ValueError("NEWSBOT_REVISIT_SCHEDULE: ages must be positive, intervals at least 0")
        steps = [(age, min(interval, refresh)) for age, interval in steps]  # the refresh age caps them
        backoff = settings.getfloat("NEWSBOT_RETRY_BACKOFF_HOURS", 1)
        max_backoff = settings.getfloat("NEWSBOT_RETRY_MAX_BACKOFF_HOURS", 24)
        if backoff < 0 or max_backoff < backoff:
            raise ValueError("NEWSBOT_RETRY_BACKOFF_HOURS must be >= 0 and at most NEWSBOT_RETRY_MAX_BACKOFF_HOURS")
        return cls(tuple((timedelta(hours=a), timedelta(hours=i)) for a, i in steps),
                   timedelta(hours=refresh), timedelta(hours=backoff), timedelta(hours=max_backoff))

    def interval(self, age: timedelta) -> timedelta:
        for below, interval in self.schedule:
            if age < below:
                return interval
        return self.refresh_age

    def retry_after(self, attempts: int, now: datetime) -> datetime:
        return now + min(self.max_backoff, self.backoff * (2 ** max(attempts - 1, 0) - 1))


@dataclass(frozen=True)
class Decision:
    fetch: bool
    reason: str  # new, retry, hint_changed, hint_newer, revisit, refresh / known, backoff, gone


def decide(known: KnownRecord | None, hints: dict[str, str], stored: dict[str, str],
           failure: FrontierRow | None, policy: RevisitPolicy, now: datetime) -> Decision:
    """Whether to fetch one article page; see the module docstring."""
    if known is None or known.revision == 0:
        if failure is not None and failure.status == "gone":
            reopened = any(hint and not same_hint(hint, failure.hints.get(source))
                           for source, hint in hints.items() if source in DISCOVERY_SOURCES)
            return Decision(True, "retry") if reopened else Decision(False, "gone")
        if failure is not None and failure.status == "failed":
            if failure.next_after and _instant(failure.next_after) > now:
                return Decision(False, "backoff")
            return Decision(True, "retry")
        return Decision(True, "new")
    last_visit = _instant(known.last_seen)
    for source, hint in hints.items():
        if source not in DISCOVERY_SOURCES or not hint:
            continue
        before = stored.get(source)
        if before is None:
            if _after(hint, last_visit):
                return Decision(True, "hint_newer")
        elif not same_hint(hint, before) and not same_hint(hint, stored.get(PAGE_SOURCE)):
            return Decision(True, "hint_changed")
    published = _instant(known.published) if known.published else None
    age = now - (published or _instant(known.first_seen))
    interval = policy.interval(age)
    if now - last_visit >= interval - min(interval * SCHEDULE_SLACK, MAX_SLACK):
        return Decision(True, "refresh" if interval >= policy.refresh_age else "revisit")
    return Decision(False, "known")


def same_hint(a: str | None, b: str | None) -> bool:
    """Two hints say the same time (``2025-02-28T07:24:49Z`` == ``…+00:00``)."""
    if a is None or b is None:
        return a is b
    if a == b:
        return True
    value_a, value_b = normalise_date(a).value, normalise_date(b).value
    if value_a and value_b:
        if "T" in value_a and "T" in value_b:  # the same instant, whatever the offset written
            return _instant(value_a) == _instant(value_b)
        return value_a == value_b
    return a.strip() == b.strip()


def _after(hint: str, moment: datetime) -> bool:
    value = normalise_date(hint).value
    if value is None:
        return False
    if "T" not in value:  # only the day: after when the day is after the moment's day
        return datetime.fromisoformat(value).date() > moment.date()
    return _instant(value) > moment


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _now_iso(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


@dataclass
class _Seen:
    """One article in this run: fetched (``requested``) or skipped, with every hint seen."""

    requested: bool = False
    hints: dict[str, str] = field(default_factory=dict)


class Planner:
    def __init__(self, store: StateBackend, site: SiteRules, policy: RevisitPolicy, crawler):
        self.store = store
        self.site = site
        self.policy = policy
        self.crawler = crawler  # for its stats, set only once the crawl starts
        self.seen: dict[str, _Seen] = {}
        self.parsed: dict[str, str] = {}  # key of a page parsed in this run -> its article id
        # Earlier runs' frontier, read once: failures (back-off, gone) and pending URLs.
        self.left: dict[str, FrontierRow] = {row.url: row for row in store.frontier()}

    @classmethod
    def from_crawler(cls, crawler) -> Planner:
        settings = crawler.settings
        return cls(state_for(crawler), SiteRules(settings.get("NEWSBOT_SITE_URL")),
                   RevisitPolicy.from_settings(settings), crawler)

    @property
    def stats(self):
        return self.crawler.stats

    def key(self, url: str) -> str:
        article_id = self.site.article_id(url)
        return f"id:{article_id}" if article_id else f"url:{url}"

    def offer(self, url: str, source: str = GRAPH, hint: str | None = None) -> list[tuple[str, dict, bool]]:
        """The article pages to request now for this link: ``(url, hints, rescheduled)``,
        none when it is known and unchanged (then the pages its recorded links lead to)."""
        out = []
        stack = [(url, source, hint)]
        while stack:
            url, source, hint = stack.pop()
            key = self.key(url)
            seen = self.seen.get(key)
            fresh = seen is None
            if fresh:
                seen = self.seen[key] = _Seen()
            new_hint = bool(hint) and not same_hint(hint, seen.hints.get(source))
            if new_hint:
                seen.hints[source] = hint
                if key in self.parsed and source in DISCOVERY_SOURCES:
                    # Too late for the page's own staging: without it the next run would take
                    # this source's first hint as a baseline and miss the change it brings.
                    self.store.late_hints(self.parsed[key], {source: hint})
            if seen.requested or not (fresh or new_hint):
                continue
            now = datetime.now(timezone.utc)
            known = self.store.find([f"url:{url}", key])
            stored = self.store.hints(known.article_id) if known else {}
            failure = None if known else self.left.get(url)
            decision = decide(known, seen.hints, stored, failure, self.policy, now)
            if decision.fetch:
                seen.requested = True
                self.stats.inc_value(f"newsbot/state/fetch/{decision.reason}")
                if not fresh:
                    self.stats.inc_value("newsbot/state/rescheduled")
                self.store.scheduled(url, _now_iso(now))
                out.append((url, seen.hints, not fresh))
                continue
            if not fresh:
                continue  # still skipped: counted the first time
            self.stats.inc_value(f"newsbot/state/skip/{decision.reason}")
            if known is None:
                continue
            self.stats.inc_value("newsbot/incremental/skipped_known")
            baseline = {s: h for s, h in seen.hints.items() if s in DISCOVERY_SOURCES and s not in stored}
            if baseline:
                self.store.note_hints(known.article_id, baseline)
            links = self.store.links(known.article_id)
            self.stats.inc_value("newsbot/state/graph_links", len(links))
            stack.extend((link, GRAPH, None) for link in reversed(links))
        return out

    def known_skipped(self, article_id: str) -> list[tuple[str, dict, bool]]:
        """A known article skipped after a redirect: the pages its recorded links lead to."""
        out = []
        for link in self.store.links(article_id):
            out.extend(self.offer(link))
        return out

    def decide_redirect(self, url: str, hints: dict) -> tuple[Decision, KnownRecord | None]:
        """The decision for a redirect's target (its source URL was unknown)."""
        known = self.store.find([f"url:{url}", self.key(url)])
        if known is None:
            return Decision(True, "new"), None
        seen = self.seen.setdefault(self.key(url), _Seen(hints=dict(hints)))
        decision = decide(known, seen.hints, self.store.hints(known.article_id), None, self.policy,
                          datetime.now(timezone.utc))
        seen.requested = seen.requested or decision.fetch
        return decision, known

    def resume(self) -> list[tuple[str, dict, bool]]:
        """The frontier left by earlier runs (pending, and failures whose back-off is over)."""
        out = []
        rows = [row for row in self.left.values() if row.status != "gone"]
        self.stats.inc_value("newsbot/state/frontier_resumed", len(rows))
        for row in rows:
            out.extend(self.offer(row.url, "frontier"))
        return out

    def fetched(self, requested_url: str, article_id: str | None, links: list[str], url: str | None = None) -> None:
        """A page came back and was parsed (as the article ``article_id`` at canonical
        ``url``): stage the hints seen for it in this run and its links, clear its frontier row."""
        self.store.finished(requested_url)
        if article_id:
            hints = {}
            for key in dict.fromkeys([self.key(requested_url), self.key(url or requested_url), f"id:{article_id}"]):
                self.parsed[key] = article_id
                seen = self.seen.get(key)
                hints.update({s: h for s, h in (seen.hints if seen else {}).items() if s in DISCOVERY_SOURCES})
            self.store.stage(article_id, hints, links)

    def failed(self, requested_url: str, reason: str, gone: bool = False) -> None:
        now = datetime.now(timezone.utc)
        row = self.left.get(requested_url)
        attempts = (row.attempts if row and row.status != "pending" else 0) + 1
        seen = self.seen.get(self.key(requested_url))
        self.store.failed(requested_url, reason, gone, _now_iso(now),
                          None if gone else _now_iso(self.policy.retry_after(attempts, now)),
                          dict(seen.hints) if seen else {})
        self.stats.inc_value("newsbot/state/gone" if gone else "newsbot/state/failed")
