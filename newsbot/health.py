"""Was a crawl healthy? A verdict from its final stats, for cron runs that must fail loudly.

A crawl can "succeed" while producing nothing useful: the site blocks it (403/429), serves a
challenge or consent wall with status 200, moves its article URLs, or changes its layout so
extraction silently loses a field. Each of these leaves a trace in the stats; ``judge``
turns the traces into a list of reasons, and no reason means healthy.

An incremental run over an unchanged site extracts nothing and is still healthy, provided
discovery found article links (known ones count) and the run finished normally: coverage is
only judged over ``min_items_for_coverage`` items or more, because a handful of articles
says little about a field's coverage.

Pure: reads a stats mapping and a finish reason, never the crawler. Stats read:

* ``downloader/response_count``, ``downloader/response_status_count/<code>`` (Scrapy's)
* ``newsbot/discovery/article_links``: article URLs discovery found this run
* ``newsbot/coverage/items``, ``newsbot/coverage/<field>``: extracted articles counted, and
  how many had a non-empty ``<field>``
* ``newsbot/health/wall_pages``: 2xx pages that looked like a challenge or consent wall
  (``newsbot.pages.wall``)
* ``newsbot/robots/unreachable``: robots.txt answered 5xx, so nothing was allowed (RFC 9309)
* ``newsbot/discovery/failed/<kind>``, ``newsbot/discovery/<kind>/read``: discovery pages
  (``feed``, ``sitemap``) that failed and that were read; both feed and sitemap failing with
  none read leaves only the homepage to find articles
* ``spider_exceptions/count`` (Scrapy's) and ``newsbot/errors``: exceptions inside newsbot
* ``newsbot/network/...``: downloads that failed on the network (``newsbot.network``)

Coverage is a sample: one empty page among a dozen says little about the layout, fifty
among a thousand say a lot. A field fails its floor only when its share is below the floor
*and* so far below that a true share at the floor would give so few less often than
``1 - coverage_confidence`` (1%) of the time: an exact binomial test, i.e. the exact
(Clopper-Pearson) upper confidence bound of the share is under the floor.
* ``newsbot/agree/<field>/<layer>-<layer>/equal|differ``: pages on which two extraction
  layers agreed or not (``newsbot.agreement``); judged for the required fields only
"""

from __future__ import annotations

import errno
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from newsbot.agreement import read_counts
from newsbot.items import REQUIRED_FIELDS
from newsbot.network import KIND_TEXT, NETWORK_REQUESTS, network_counts
from newsbot.pipelines.coverage import COVERED_FIELDS

__all__ = ["ACCEPTED_FINISH_REASONS", "Thresholds", "Verdict", "binomial_cdf", "judge", "unreachable"]

# "finished": the crawl ran out of requests; "closespider_itemcount": it stopped at
# max_articles, as asked. Anything else ("shutdown", "cancelled", "closespider_timeout" ...)
# means the run was cut short.
ACCEPTED_FINISH_REASONS = ("finished", "closespider_itemcount")

# Not errors: a 404 or 410 is the site saying an article (or the optional /sitemap.xml) is
# not there, which the rejects file already records; counting them would fail a small
# incremental run over one missing sitemap.
NOT_ERRORS = frozenset({404, 410})
# The statuses with which a site or its CDN refuses a crawler.
BLOCKED = frozenset({403, 429})

RESPONSES = "downloader/response_count"
STATUS_PREFIX = "downloader/response_status_count/"
ARTICLE_LINKS = "newsbot/discovery/article_links"
COVERAGE_PREFIX = "newsbot/coverage/"
COVERAGE_ITEMS = COVERAGE_PREFIX + "items"
WALL_PAGES = "newsbot/health/wall_pages"
ROBOTS_UNREACHABLE = "newsbot/robots/unreachable"
DISCOVERY_FAILED = "newsbot/discovery/failed/"
# Failures of newsbot's own components that Scrapy only logs: an exception in a pipeline,
# the run-file writer, the rejects file, the WARC archive.
INTERNAL_ERRORS = "newsbot/errors"
# Of those, writes that failed because the disk is full (or a file size limit was hit),
# and the first such failure, as text (for the one line the crawl prints).
DISK_FULL = INTERNAL_ERRORS + "/disk_full"
FIRST_ERROR = INTERNAL_ERRORS + "/first"

# Only fields that newsbot.pipelines.coverage counts can have a floor.
KNOWN_FIELDS = frozenset(COVERED_FIELDS)

# The defaults: headline, body and date are required of every article (below 99% a layout
# change is eating them); authors are often legitimately absent (agency copy), so its floor
# only catches a byline extractor that stopped working altogether.
DEFAULT_COVERAGE_FLOORS = MappingProxyType(
    {"headline": 0.99, "body": 0.95, "date_published": 0.99, "authors": 0.2})

# Scrapy setting -> Thresholds field.
SETTINGS = {
    "NEWSBOT_HEALTH_MAX_ERROR_SHARE": "max_error_share",
    "NEWSBOT_HEALTH_MAX_BLOCKED_SHARE": "max_blocked_share",
    "NEWSBOT_HEALTH_COVERAGE_FLOORS": "coverage_floors",
    "NEWSBOT_HEALTH_MIN_ITEMS": "min_items_for_coverage",
    "NEWSBOT_HEALTH_MAX_WALL_PAGES": "max_wall_pages",
    "NEWSBOT_HEALTH_MIN_RESPONSES": "min_responses_for_shares",
    "NEWSBOT_HEALTH_MIN_AGREEMENT": "min_agreement",
    "NEWSBOT_HEALTH_MIN_AGREEMENT_SAMPLES": "min_agreement_samples",
    "NEWSBOT_HEALTH_COVERAGE_CONFIDENCE": "coverage_confidence",
}


def count_error(stats, error: BaseException, doing: str) -> None:
    """Count a failure inside newsbot in ``newsbot/errors`` (a full disk also in
    ``newsbot/errors/disk_full``) and keep the first one's text, e.g. ``"writing
    data/runs/...: [Errno 28] No space left on device"``."""
    count_internal_error(stats, f"{doing}: {error}")
    if is_disk_full(error):
        stats.inc_value(DISK_FULL)


def count_internal_error(stats, text: str) -> None:
    """Count one failure inside newsbot in ``newsbot/errors``, keeping the first one's text."""
    stats.inc_value(INTERNAL_ERRORS)
    if not stats.get_value(FIRST_ERROR):
        stats.set_value(FIRST_ERROR, text)


def is_disk_full(error: BaseException) -> bool:
    """No space left (ENOSPC, EDQUOT), a file size limit (EFBIG), or SQLite saying so."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    return "disk is full" in str(error) or "database or disk is full" in str(error)


# Validation, shared by Thresholds() (naming the field) and from_settings (naming the setting).


def _share(name: str, value: Any) -> float:
    number = _number(name, value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name}: {value!r} is not a share between 0 and 1")
    return number


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: {value!r} is not a whole number")
    if value < 0:
        raise ValueError(f"{name}: {value!r} is negative")
    return value


def _floors(name: str, floors: Any) -> dict[str, float]:
    if not isinstance(floors, Mapping):
        raise ValueError(f"{name}: {floors!r} is not a mapping of field to share")
    unknown = sorted(str(key) for key in floors if key not in KNOWN_FIELDS)
    if unknown:
        raise ValueError(f"{name}: unknown article field(s) {', '.join(unknown)}")
    return {key: _share(f"{name}[{key!r}]", value) for key, value in floors.items()}


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name}: {value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {value!r} is not a number") from None
    if number != number:  # NaN compares false with every limit: it would never fail a run
        raise ValueError(f"{name}: {value!r} is not a number")
    return number


@dataclass(frozen=True)
class Thresholds:
    """Limits of a healthy run. Shares are fractions (0.2 = 20%); a value exactly at its
    limit is healthy."""

    # Share of HTTP responses with a status >= 400, 404 and 410 apart (see NOT_ERRORS).
    max_error_share: float = 0.2
    # Share of HTTP responses that were 403 or 429: a few mean the crawler is being refused.
    max_blocked_share: float = 0.05
    # Per field, the least share of extracted articles that must have it.
    coverage_floors: Mapping[str, float] = field(default_factory=lambda: DEFAULT_COVERAGE_FLOORS)
    # Below this many extracted articles, coverage is not judged (too few to mean anything).
    min_items_for_coverage: int = 10
    # Pages that looked like a challenge or consent wall but came back 2xx.
    max_wall_pages: int = 0
    # Below this many responses, the error and blocked shares are not judged.
    min_responses_for_shares: int = 1
    # Per required field and pair of layers, the least share of pages where both agree,
    # judged over min_agreement_samples pages or more (a layout change shows as one layer
    # going wrong while the other stays right).
    min_agreement: float = 0.9
    min_agreement_samples: int = 10
    # How sure the run must be that a field's true share is under its floor before it fails
    # (0: any share under the floor fails).
    coverage_confidence: float = 0.99

    def __post_init__(self):
        for name in ("max_error_share", "max_blocked_share", "min_agreement",
                     "coverage_confidence"):
            object.__setattr__(self, name, _share(name, getattr(self, name)))
        for name in ("min_items_for_coverage", "max_wall_pages", "min_responses_for_shares",
                     "min_agreement_samples"):
            object.__setattr__(self, name, _count(name, getattr(self, name)))
        # A read-only copy: the thresholds are frozen, their floors too.
        object.__setattr__(self, "coverage_floors",
                           MappingProxyType(_floors("coverage_floors", self.coverage_floors)))

    def __hash__(self):
        return hash((self.max_error_share, self.max_blocked_share,
                     tuple(sorted(self.coverage_floors.items())), self.min_items_for_coverage,
                     self.max_wall_pages, self.min_responses_for_shares, self.min_agreement,
                     self.min_agreement_samples, self.coverage_confidence))

    @classmethod
    def from_settings(cls, settings) -> Thresholds:
        """Thresholds from Scrapy settings (``SETTINGS``); a missing setting keeps its default.

        ``NEWSBOT_HEALTH_COVERAGE_FLOORS`` (a dict, or its JSON on the command line) is merged
        over the default floors, so ``{"authors": 0}`` relaxes one floor without dropping the
        others; set a floor to 0 to stop judging that field. Raises ``ValueError`` naming the
        setting when a value is not a number, a share is outside 0..1, a count is negative,
        or a floor names a field the article does not have.
        """
        values: dict[str, Any] = {}
        for setting, name in SETTINGS.items():
            if settings.get(setting) is None:
                continue
            try:
                if name == "coverage_floors":
                    floors = _floors(setting, settings.getdict(setting))
                    values[name] = {**DEFAULT_COVERAGE_FLOORS, **floors}
                elif name.endswith(("_share", "_confidence")) or name == "min_agreement":
                    values[name] = _share(setting, settings.getfloat(setting))
                else:
                    values[name] = _count(setting, settings.getint(setting))
            except (TypeError, ValueError) as error:
                if str(error).startswith(setting):
                    raise
                raise ValueError(f"{setting}: {settings.get(setting)!r} is not valid "
                                 f"({error})") from error
        return cls(**values)


@dataclass(frozen=True)
class Verdict:
    """``healthy`` is true exactly when there is no reason; each reason is one short sentence
    for a person reading a cron mail."""

    healthy: bool
    reasons: tuple[str, ...] = ()


def judge(stats: Mapping[str, Any], finish_reason: str | None,
          thresholds: Thresholds = Thresholds(), *, host: str = "the site",
          gates: bool = True) -> Verdict:
    """The health of a finished run, from its final stats and its finish reason.

    ``gates=False`` judges only what every crawl must pass, whatever the profile: it
    finished, it discovered articles (or says why not), nothing broke inside newsbot, and
    it did not reject every article it saw. The cron profile adds the gates: error and
    blocked shares, walls, coverage floors."""
    reasons: list[str] = []
    if finish_reason not in ACCEPTED_FINISH_REASONS:
        reasons.append(f"finish reason is {finish_reason!r}, not 'finished'")
    cause = unreachable(stats)
    # Workers sharing Redis: the article URLs the whole shared run found count.
    if max(_stat(stats, ARTICLE_LINKS), _stat(stats, "newsbot/workers/run_article_links")) <= 0:
        reasons.append(f"cannot reach {host}: {cause}" if cause else
                       "no article URL discovered (blocked, bot wall, or the site moved?)")
    crashes = _stat(stats, "spider_exceptions/count") + _stat(stats, INTERNAL_ERRORS)
    if crashes > 0:
        reasons.append(f"{crashes} error(s) inside newsbot while crawling (see the log)")
    if not gates:
        rejected = _stat(stats, "newsbot/rejected")
        if rejected and not _stat(stats, "item_scraped_count"):
            reasons.append(f"no article exported: all {rejected} article(s) seen were rejected "
                           f"(see the rejects file)")
        return Verdict(healthy=not reasons, reasons=tuple(reasons))
    reasons.extend(_status_reasons(stats, thresholds))
    walls = _stat(stats, WALL_PAGES)
    if walls > thresholds.max_wall_pages:
        reasons.append(f"{walls} page(s) looked like a challenge or consent wall "
                       f"(max {thresholds.max_wall_pages})")
    if cause:  # the site could not be reached: robots.txt and discovery failing follow from it
        pass
    elif _stat(stats, ROBOTS_UNREACHABLE) > 0:
        reasons.append("robots.txt answered a server error or could not be fetched: everything was disallowed (RFC 9309)")
    if not cause and all(_stat(stats, DISCOVERY_FAILED + kind) > 0 and _stat(stats, f"newsbot/discovery/{kind}/read") <= 0
           for kind in ("feed", "sitemap")):
        reasons.append("both the feed and the sitemap failed: articles were only found on listings")
    reasons.extend(_coverage_reasons(stats, thresholds))
    reasons.extend(agreement_reasons(stats, thresholds))
    return Verdict(healthy=not reasons, reasons=tuple(reasons))


def _status_reasons(stats: Mapping[str, Any], thresholds: Thresholds) -> list[str]:
    total = _stat(stats, RESPONSES)
    if total <= 0 or total < thresholds.min_responses_for_shares:
        return []
    errors = blocked = 0
    for key, value in stats.items():
        code = key[len(STATUS_PREFIX):] if key.startswith(STATUS_PREFIX) else ""
        if not code.isdigit():
            continue
        count = _stat(stats, key)
        if int(code) >= 400 and int(code) not in NOT_ERRORS:
            errors += count
        if int(code) in BLOCKED:
            blocked += count
    reasons = []
    if errors / total > thresholds.max_error_share:
        reasons.append(f"{_percent(errors / total, thresholds.max_error_share)} of HTTP "
                       f"responses were errors ({errors} of {total}; "
                       f"max {_percent(thresholds.max_error_share)})")
    if blocked / total > thresholds.max_blocked_share:
        reasons.append(f"{_percent(blocked / total, thresholds.max_blocked_share)} of HTTP "
                       f"responses were blocked (403 or 429: {blocked} of {total}; "
                       f"max {_percent(thresholds.max_blocked_share)})")
    return reasons


def unreachable(stats: Mapping[str, Any]) -> str | None:
    """When every download failed on the network, what happened: ``"DNS lookup failed for
    38 of 38 requests"``; None when anything answered."""
    total = _stat(stats, NETWORK_REQUESTS)
    failed = network_counts(stats)
    if not total or sum(failed.values()) < total:
        return None
    parts = [f"{KIND_TEXT.get(kind, kind)} for {count}"
             for kind, count in sorted(failed.items(), key=lambda pair: (-pair[1], pair[0]))]
    return f"{', '.join(parts)} of {total} requests"


def _coverage_reasons(stats: Mapping[str, Any], thresholds: Thresholds) -> list[str]:
    items = _stat(stats, COVERAGE_ITEMS)
    if items <= 0 or items < thresholds.min_items_for_coverage:
        return []
    reasons = []
    for name, floor in thresholds.coverage_floors.items():
        have = min(_stat(stats, COVERAGE_PREFIX + name), items)
        if have / items < floor and binomial_cdf(have, items, floor) < 1 - thresholds.coverage_confidence:
            reasons.append(f"{name} coverage {_percent(have / items, floor)} is under its "
                           f"floor {_percent(floor)} ({have} of {items} articles)")
    return reasons


def agreement_reasons(stats: Mapping[str, Any], thresholds: Thresholds) -> list[str]:
    """One reason per required field and pair of layers that agree too rarely."""
    reasons = []
    for (name, pair), (same, differ) in sorted(read_counts(stats).items()):
        pages = same + differ
        if name not in REQUIRED_FIELDS or pages < max(thresholds.min_agreement_samples, 1):
            continue
        if same / pages < thresholds.min_agreement:
            first, _, second = pair.partition("-")
            reasons.append(f"{name}: layers {first} and {second} agree on "
                           f"{_percent(same / pages, thresholds.min_agreement)} of {pages} pages, "
                           f"under the floor {_percent(thresholds.min_agreement)} "
                           f"(a layout change?)")
    return reasons


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p): how likely so few successes are when the true
    share is p. Summed from k down, where the terms of a lower tail are largest, until
    they stop mattering; exact enough to compare with a significance level."""
    if k >= n or p <= 0.0:
        return 1.0
    if k < 0:
        return 0.0
    if p >= 1.0:
        return 0.0
    log_term = (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
                + k * math.log(p) + (n - k) * math.log1p(-p))
    term = math.exp(log_term)
    total = 0.0
    for i in range(k, -1, -1):
        total += term
        if term < total * 1e-17:
            break
        term *= i / (n - i + 1) * (1 - p) / p  # P(X = i - 1) from P(X = i)
    return min(total, 1.0)


def _stat(stats: Mapping[str, Any], key: str) -> int:
    """A counter; missing or None is 0."""
    return int(stats.get(key) or 0)


def _percent(value: float, differs_from: float | None = None) -> str:
    """``0.42`` -> ``"42%"``; with more decimals (up to 3) when needed so that a value just
    past a limit never prints the same as the limit ("99% is under its floor 99%")."""
    for decimals in range(4):
        text = f"{value * 100:.{decimals}f}%"
        if differs_from is None or text != f"{differs_from * 100:.{decimals}f}%":
            return text
    return text
