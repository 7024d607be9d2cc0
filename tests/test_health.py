"""Tests for newsbot.health: the verdict on a finished run, from its stats.

A table of runs, healthy and not, one reason each where possible; boundaries (exactly at a
limit is healthy); then Thresholds.from_settings with real Scrapy settings objects.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from scrapy.settings import Settings

from newsbot.health import (
    ACCEPTED_FINISH_REASONS,
    DEFAULT_COVERAGE_FLOORS,
    Thresholds,
    Verdict,
    binomial_cdf,
    judge,
)

FIELDS = ("headline", "body", "date_published", "authors")


def run(responses=120, statuses=None, links=40, items=40, covered=None, walls=0, **extra):
    """Final stats of a run: by default a normal full crawl over a healthy site."""
    statuses = {200: responses} if statuses is None else statuses
    covered = {name: items for name in FIELDS} if covered is None else covered
    stats = {
        "downloader/response_count": responses,
        "newsbot/discovery/article_links": links,
        "newsbot/coverage/items": items,
        "newsbot/health/wall_pages": walls,
        "item_scraped_count": items,
        "log_count/INFO": 12,
    }
    stats.update({f"downloader/response_status_count/{code}": n for code, n in statuses.items()})
    stats.update({f"newsbot/coverage/{name}": n for name, n in covered.items()})
    stats.update(extra)
    return stats


HEALTHY = [
    ("normal crawl", run(), "finished"),
    # Incremental run over an unchanged site: every article known, nothing extracted.
    ("incremental, nothing new", run(responses=4, statuses={200: 3, 404: 1}, items=0,
                                     covered={}), "finished"),
    # max_articles=50: Scrapy stops it with this reason; that is what was asked for.
    ("max_articles reached", run(items=50), "closespider_itemcount"),
    # Too few items for coverage to mean anything: 2 of 5 without a date is not judged.
    ("few items", run(items=5, covered={"headline": 5, "body": 5, "date_published": 3}),
     "finished"),
    # 404s and 410s are the site saying "not here" (the optional sitemap, removed stories).
    ("404 and 410 are not errors", run(responses=10, statuses={200: 4, 404: 5, 410: 1}),
     "finished"),
    # Authors are often absent (agency copy): 20% is the floor.
    ("authors at 25%", run(items=40, covered={"headline": 40, "body": 40, "date_published": 40,
                                              "authors": 10}), "finished"),
    # Redirects are not errors.
    ("redirects", run(responses=100, statuses={200: 60, 301: 40}), "finished"),
    # Stats of a real run hold many other keys, some not counters at all.
    ("unrelated stats keys", run(**{"start_time": "2025-02-28T11:30:00", "finish_reason":
                                    "finished", "downloader/response_status_count/xyz": 3}),
     "finished"),
]


@pytest.mark.parametrize(("stats", "finish_reason"), [c[1:] for c in HEALTHY],
                         ids=[c[0] for c in HEALTHY])
def test_healthy_runs(stats, finish_reason):
    assert judge(stats, finish_reason) == Verdict(healthy=True, reasons=())


UNHEALTHY = [
    ("shut down", run(), "shutdown",
     "finish reason is 'shutdown', not 'finished'"),
    ("timed out", run(), "closespider_timeout",
     "finish reason is 'closespider_timeout', not 'finished'"),
    ("no finish reason", run(), None,
     "finish reason is None, not 'finished'"),
    ("nothing discovered", run(links=0, items=0, covered={}), "finished",
     "no article URL discovered (blocked, bot wall, or the site moved?)"),
    ("discovery stat missing", {k: v for k, v in run().items()
                                if k != "newsbot/discovery/article_links"}, "finished",
     "no article URL discovered (blocked, bot wall, or the site moved?)"),
    ("server errors", run(responses=50, statuses={200: 29, 500: 11, 502: 10}), "finished",
     "42% of HTTP responses were errors (21 of 50; max 20%)"),
    ("blocked", run(responses=100, statuses={200: 92, 403: 5, 429: 3}), "finished",
     "8% of HTTP responses were blocked (403 or 429: 8 of 100; max 5%)"),
    ("walls", run(walls=3), "finished",
     "3 page(s) looked like a challenge or consent wall (max 0)"),
    ("dates lost", run(items=100, covered={"headline": 100, "body": 100, "date_published": 61,
                                           "authors": 80}), "finished",
     "date_published coverage 61% is under its floor 99% (61 of 100 articles)"),
    ("coverage stat missing", run(items=40, covered={"headline": 40, "body": 40,
                                                     "date_published": 40}), "finished",
     "authors coverage 0% is under its floor 20% (0 of 40 articles)"),
    # Just past the confidence bound, and a share just under a floor never prints as the floor.
    ("just past the bound", run(items=1000, covered={"headline": 981, "body": 1000,
                                                     "date_published": 1000, "authors": 500}),
     "finished", "headline coverage 98% is under its floor 99% (981 of 1000 articles)"),
    ("fifty bad pages in a thousand", run(items=1000, covered={"headline": 950, "body": 1000,
                                                               "date_published": 1000, "authors": 500}),
     "finished", "headline coverage 95% is under its floor 99% (950 of 1000 articles)"),
    ("every article lost to a pipeline error", {**run(), "newsbot/errors": 40},
     "finished", "40 error(s) inside newsbot while crawling (see the log)"),
    ("every request failed on DNS", run(responses=0, statuses={}, links=0, items=0, covered={},
                                        **{"newsbot/network/requests": 4, "newsbot/network/dns": 4}),
     "finished", "cannot reach the site: DNS lookup failed for 4 of 4 requests"),
    ("refused and timed out", run(responses=0, statuses={}, links=0, items=0, covered={},
                                  **{"newsbot/network/requests": 4, "newsbot/network/connection_refused": 3,
                                     "newsbot/network/timeout": 1}),
     "finished", "cannot reach the site: connection refused for 3, timed out for 1 of 4 requests"),
    ("some answered, no link", run(responses=1, statuses={200: 1}, links=0, items=0, covered={},
                                   **{"newsbot/network/requests": 4, "newsbot/network/dns": 3}),
     "finished", "no article URL discovered (blocked, bot wall, or the site moved?)"),
    ("a page crashed the spider", {**run(), "spider_exceptions/count": 2, "spider_exceptions/KeyError": 2},
     "finished", "2 error(s) inside newsbot while crawling (see the log)"),
    ("the run file failed", {**run(), "newsbot/errors": 1},
     "finished", "1 error(s) inside newsbot while crawling (see the log)"),
    ("just over a limit", run(responses=10000, statuses={200: 7999, 503: 2001}), "finished",
     "20.01% of HTTP responses were errors (2001 of 10000; max 20%)"),
]


@pytest.mark.parametrize(("stats", "finish_reason", "reason"), [c[1:] for c in UNHEALTHY],
                         ids=[c[0] for c in UNHEALTHY])
def test_each_reason(stats, finish_reason, reason):
    assert judge(stats, finish_reason) == Verdict(healthy=False, reasons=(reason,))


def test_every_reason_at_once_in_a_stable_order():
    stats = run(responses=20, statuses={200: 10, 403: 6, 500: 4}, links=0, walls=2, items=10,
                covered={"headline": 10, "body": 5, "date_published": 10, "authors": 0})
    verdict = judge(stats, "shutdown")
    assert not verdict.healthy
    assert verdict.reasons == (
        "finish reason is 'shutdown', not 'finished'",
        "no article URL discovered (blocked, bot wall, or the site moved?)",
        "50% of HTTP responses were errors (10 of 20; max 20%)",
        "30% of HTTP responses were blocked (403 or 429: 6 of 20; max 5%)",
        "2 page(s) looked like a challenge or consent wall (max 0)",
        "body coverage 50% is under its floor 95% (5 of 10 articles)",
    )


# --- boundaries: exactly at a limit is healthy, one step past it is not ------------------------

BOUNDARIES = [
    # (name, stats at the limit, stats one step past it)
    ("error share 20%", run(responses=100, statuses={200: 80, 500: 20}),
     run(responses=100, statuses={200: 79, 500: 21})),
    ("error share 20% of 15", run(responses=15, statuses={200: 12, 500: 3}),
     run(responses=15, statuses={200: 11, 500: 4})),
    ("blocked share 5%", run(responses=100, statuses={200: 95, 403: 5}),
     run(responses=100, statuses={200: 94, 403: 6})),
    # Coverage fails only when the share is below its floor with 99% confidence (an exact
    # binomial test): 96 of 100 with headlines could be bad luck at a 99% floor, 95 not.
    ("floor 99% of 100", run(items=100, covered={"headline": 96, "body": 99, "date_published": 99,
                                                 "authors": 20}),
     run(items=100, covered={"headline": 95, "body": 99, "date_published": 99, "authors": 20})),
    ("authors floor 20% of 100", run(items=100, covered={"headline": 100, "body": 100,
                                                         "date_published": 100, "authors": 11}),
     run(items=100, covered={"headline": 100, "body": 100, "date_published": 100,
                             "authors": 10})),
    ("floor 99% of 12", run(items=12, covered={"headline": 11, "body": 12, "date_published": 12,
                                               "authors": 12}),
     run(items=12, covered={"headline": 10, "body": 12, "date_published": 12, "authors": 12})),
    ("floor 95% of 1000", run(items=1000, covered={"headline": 1000, "body": 933,
                                                   "date_published": 1000, "authors": 1000}),
     run(items=1000, covered={"headline": 1000, "body": 932, "date_published": 1000,
                              "authors": 1000})),
    ("coverage judged from 10 items", run(items=9, covered={}), run(items=10, covered={})),
    ("wall pages 0", run(walls=0), run(walls=1)),
    ("one discovered link is enough", run(links=1), run(links=0)),
]


@pytest.mark.parametrize(("at_limit", "past_limit"), [c[1:] for c in BOUNDARIES],
                         ids=[c[0] for c in BOUNDARIES])
def test_boundaries(at_limit, past_limit):
    assert judge(at_limit, "finished").healthy
    assert not judge(past_limit, "finished").healthy


def test_every_accepted_finish_reason_is_healthy():
    for reason in ACCEPTED_FINISH_REASONS:
        assert judge(run(), reason).healthy
    for reason in ("shutdown", "cancelled", "closespider_errorcount", "closespider_pagecount",
                   "", "FINISHED"):
        assert not judge(run(), reason).healthy


def test_shares_need_responses():
    """No response at all is no share of errors; the missing discovery says what went wrong."""
    verdict = judge({"downloader/response_count": 0}, "finished")
    assert verdict.reasons == (
        "no article URL discovered (blocked, bot wall, or the site moved?)",)
    few = run(responses=3, statuses={200: 1, 500: 2})
    assert judge(few, "finished", Thresholds(min_responses_for_shares=5)).healthy
    assert not judge(few, "finished", Thresholds(min_responses_for_shares=3)).healthy


def test_custom_thresholds():
    stats = run(responses=10, statuses={200: 7, 500: 3}, walls=2, items=10,
                covered={"headline": 10, "body": 10, "date_published": 10, "authors": 0})
    assert not judge(stats, "finished").healthy
    relaxed = Thresholds(max_error_share=0.3, max_wall_pages=2, coverage_floors={"authors": 0})
    assert judge(stats, "finished", relaxed).healthy
    assert judge(run(items=3, covered={}), "finished", Thresholds(min_items_for_coverage=4)).healthy
    assert not judge(run(items=3, covered={}), "finished",
                     Thresholds(min_items_for_coverage=3)).healthy


def test_thresholds_are_frozen_and_hashable():
    thresholds = Thresholds()
    with pytest.raises(FrozenInstanceError):
        thresholds.max_error_share = 0.5
    with pytest.raises(TypeError):
        thresholds.coverage_floors["body"] = 0.1
    assert dict(thresholds.coverage_floors) == {"headline": 0.99, "body": 0.95,
                                                "date_published": 0.99, "authors": 0.2}
    assert hash(thresholds) == hash(Thresholds()) and thresholds == Thresholds()
    floors = {"body": 0.5}
    custom = Thresholds(coverage_floors=floors)
    floors["body"] = 0.0
    assert custom.coverage_floors["body"] == 0.5


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"max_error_share": 1.5}, "max_error_share: 1.5 is not a share between 0 and 1"),
    ({"max_blocked_share": -0.1}, "max_blocked_share: -0.1 is not a share between 0 and 1"),
    ({"max_wall_pages": -1}, "max_wall_pages: -1 is negative"),
    ({"min_items_for_coverage": 2.5}, "min_items_for_coverage: 2.5 is not a whole number"),
    ({"coverage_floors": {"bylines": 0.5}}, "coverage_floors: unknown article field(s) bylines"),
    ({"coverage_floors": {"body": 2}}, "coverage_floors['body']: 2 is not a share"),
    ({"max_error_share": float("nan")}, "max_error_share: nan is not a number"),
])
def test_thresholds_reject_invalid_values(kwargs, message):
    with pytest.raises(ValueError) as raised:
        Thresholds(**kwargs)
    assert str(raised.value).startswith(message)


# --- from_settings ---------------------------------------------------------------------------

def test_from_settings_defaults_when_unset():
    assert Thresholds.from_settings(Settings()) == Thresholds()
    assert Thresholds.from_settings(Settings({"NEWSBOT_HEALTH_MIN_ITEMS": None})) == Thresholds()


def test_from_settings_reads_every_setting():
    settings = Settings({
        "NEWSBOT_HEALTH_MAX_ERROR_SHARE": "0.3",  # as `-s NAME=value` gives it: a string
        "NEWSBOT_HEALTH_MAX_BLOCKED_SHARE": 0.1,
        "NEWSBOT_HEALTH_COVERAGE_FLOORS": '{"authors": 0, "image": 0.5}',
        "NEWSBOT_HEALTH_MIN_ITEMS": "25",
        "NEWSBOT_HEALTH_MAX_WALL_PAGES": 2,
        "NEWSBOT_HEALTH_MIN_RESPONSES": "30",
    })
    thresholds = Thresholds.from_settings(settings)
    assert thresholds.max_error_share == 0.3
    assert thresholds.max_blocked_share == 0.1
    # Merged over the defaults: naming one floor does not drop the others.
    assert dict(thresholds.coverage_floors) == {**DEFAULT_COVERAGE_FLOORS, "authors": 0.0,
                                                "image": 0.5}
    assert thresholds.min_items_for_coverage == 25
    assert thresholds.max_wall_pages == 2
    assert thresholds.min_responses_for_shares == 30


def test_from_settings_floors_as_a_dict():
    settings = Settings({"NEWSBOT_HEALTH_COVERAGE_FLOORS": {"body": 0.9}})
    assert Thresholds.from_settings(settings).coverage_floors["body"] == 0.9


@pytest.mark.parametrize(("name", "value", "message"), [
    ("NEWSBOT_HEALTH_MAX_ERROR_SHARE", "1.2", "is not a share between 0 and 1"),
    ("NEWSBOT_HEALTH_MAX_ERROR_SHARE", "20%", "is not valid"),
    ("NEWSBOT_HEALTH_MAX_BLOCKED_SHARE", -0.01, "is not a share between 0 and 1"),
    ("NEWSBOT_HEALTH_MAX_BLOCKED_SHARE", "nan", "is not a number"),
    ("NEWSBOT_HEALTH_MIN_ITEMS", "-5", "is negative"),
    ("NEWSBOT_HEALTH_MIN_ITEMS", "ten", "is not valid"),
    ("NEWSBOT_HEALTH_MAX_WALL_PAGES", "1.5", "is not valid"),
    ("NEWSBOT_HEALTH_MAX_WALL_PAGES", -1, "is negative"),
    ("NEWSBOT_HEALTH_MIN_RESPONSES", "-1", "is negative"),
    ("NEWSBOT_HEALTH_COVERAGE_FLOORS", '{"bylines": 0.5}', "unknown article field(s) bylines"),
    ("NEWSBOT_HEALTH_COVERAGE_FLOORS", '{"body": 1.5}', "is not a share between 0 and 1"),
    ("NEWSBOT_HEALTH_COVERAGE_FLOORS", '{"body": "most"}', "is not a number"),
    ("NEWSBOT_HEALTH_COVERAGE_FLOORS", "body=0.5", "is not valid"),
    ("NEWSBOT_HEALTH_COVERAGE_FLOORS", "[0.5]", "is not valid"),
])
def test_from_settings_rejects_invalid_values_naming_the_setting(name, value, message):
    with pytest.raises(ValueError) as raised:
        Thresholds.from_settings(Settings({name: value}))
    assert str(raised.value).startswith(name)
    assert message in str(raised.value)


# --- coverage as a sample ----------------------------------------------------------------------

def exact_cdf(k, n, p):
    """P(X <= k), X ~ Binomial(n, p), in exact rational arithmetic."""
    p = Fraction(str(p))  # 0.99 as 99/100: the float's exact binary value is slow to raise to powers
    return float(sum(comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1)))


@pytest.mark.parametrize(("k", "n", "p"), [
    (0, 1, 0.5), (11, 12, 0.99), (10, 12, 0.99), (18, 19, 0.95), (0, 12, 0.2), (0, 40, 0.2),
    (95, 100, 0.99), (96, 100, 0.99), (3, 10, 0.5), (9, 10, 0.5), (932, 1000, 0.95),
    (950, 1000, 0.99), (100, 300, 0.2),
])
def test_binomial_cdf_matches_exact_arithmetic(k, n, p):
    assert binomial_cdf(k, n, p) == pytest.approx(exact_cdf(k, n, p), rel=1e-9, abs=1e-300)


@given(n=st.integers(1, 80), data=st.data(), p=st.sampled_from([0.01, 0.2, 0.5, 0.9, 0.95, 0.99]))
@hypothesis_settings(max_examples=150, deadline=None)
def test_binomial_cdf_matches_exact_arithmetic_anywhere(n, data, p):
    k = data.draw(st.integers(0, n))
    assert binomial_cdf(k, n, p) == pytest.approx(exact_cdf(k, n, p), rel=1e-9, abs=1e-300)


def test_binomial_cdf_edges():
    assert binomial_cdf(12, 12, 0.99) == 1.0 and binomial_cdf(-1, 12, 0.5) == 0.0
    assert binomial_cdf(3, 12, 0.0) == 1.0 and binomial_cdf(11, 12, 1.0) == 0.0
    assert binomial_cdf(49_000, 100_000, 0.5) < 1e-9  # large runs stay fast and finite


COVERAGE_SAMPLES = [
    # (bad pages, articles, floor, fails?)
    (1, 12, 0.99, False),   # one deliberately empty page in a dozen: not a layout change
    (1, 19, 0.95, False),   # the rerun of 19 after a crash, with that page among them
    (2, 12, 0.99, True),
    (50, 1000, 0.99, True),
    (50, 1000, 0.95, False),  # exactly at the floor
    (68, 1000, 0.95, True),
    (12, 12, 0.2, False),   # no author on 12 pages may be agency copy
    (40, 40, 0.2, True),
]


@pytest.mark.parametrize(("bad", "items", "floor", "fails"), COVERAGE_SAMPLES)
def test_coverage_is_judged_as_a_sample(bad, items, floor, fails):
    stats = run(items=items, covered={"headline": items, "body": items - bad,
                                      "date_published": items, "authors": items})
    thresholds = Thresholds(coverage_floors={"body": floor})
    assert judge(stats, "finished", thresholds).healthy is not fails


def test_coverage_confidence_zero_is_a_plain_comparison():
    stats = run(items=12, covered={"headline": 11, "body": 12, "date_published": 12, "authors": 12})
    assert judge(stats, "finished").healthy
    assert not judge(stats, "finished", Thresholds(coverage_confidence=0)).healthy
    settings = Settings({"NEWSBOT_HEALTH_COVERAGE_CONFIDENCE": "0"})
    assert Thresholds.from_settings(settings).coverage_confidence == 0
    with pytest.raises(ValueError, match="NEWSBOT_HEALTH_COVERAGE_CONFIDENCE"):
        Thresholds.from_settings(Settings({"NEWSBOT_HEALTH_COVERAGE_CONFIDENCE": "99"}))


def test_default_profile_checks_fail_an_all_rejected_run_only():
    everything_rejected = {**run(items=0, covered={}), "newsbot/rejected": 5, "item_scraped_count": 0}
    assert judge(everything_rejected, "finished", gates=False).reasons == (
        "no article exported: all 5 article(s) seen were rejected (see the rejects file)",)
    some = {**everything_rejected, "item_scraped_count": 3}
    assert judge(some, "finished", gates=False).healthy
    # The gates are the cron profile's: a walled run passes the basic checks.
    assert judge(run(walls=3), "finished", gates=False).healthy
