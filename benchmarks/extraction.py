"""Extraction speed: newsbot's full extraction + pipelines vs the bare lxml parse and
trafilatura, side by side in one run.

Two page sets: the site copy's article pages as they are (tests/site, 5-15 KB each), and the
realistic-size set of benchmarks/pageset.py (the same articles padded with navigation, card
rails, scripts and flight data to 200-600 KB). Each contender runs once per round over a
set, rounds interleaved (lxml, newsbot, trafilatura, lxml, ...) so that a load spike on the
shared machine hits all of them alike; the median round is reported, in pages per CPU
second of this process (waiting for a core does not count; cache contention still does).

A benchmark, not a test: figures depend on the machine and its load; compare the ratios.
trafilatura is a benchmark-only dependency (``pip install -e '.[bench]'``); without it its
column is skipped.

With ``--breakdown`` (realistic set) it also times the parts of newsbot's work on each page,
by wrapping the functions that do them, and prints where the time goes beside the budget the
0.5x goal leaves: the parse itself, decoding the body and the one literal pass
(``FoldedPage``), the wall check, the layers and the item, the pipelines.

    python benchmarks/extraction.py [--rounds 5] [--pages 36] [--breakdown]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import lxml.html
from scrapy.utils.project import get_project_settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pageset import benchmark_pages, describe, site_article_pages  # noqa: E402

import newsbot.pages.article  # noqa: E402
import newsbot.pages.decision  # noqa: E402
from newsbot.offline import OfflinePipelines, extract  # noqa: E402
from newsbot.pages.literals import FoldedPage  # noqa: E402

# (label, owner, attribute): the functions whose CPU time --breakdown adds up, each called
# about once a page by extract(); the rest of newsbot's time is the layers and the item.
PARTS = (
    ("parse (lxml, into the page's one tree)", newsbot.pages.article, "page_selector"),
    ("decode + one literal pass (FoldedPage)", FoldedPage, "of"),
    ("wall check (wall_kind)", newsbot.pages.decision, "wall_kind"),
    ("pipelines", OfflinePipelines, "process"),
)

try:
    from trafilatura import bare_extraction
except ImportError:  # the bench extra is not installed
    bare_extraction = None


def article_pages():
    """The site copy's article pages (kept for callers of the old benchmark)."""
    return site_article_pages()


def one_round(work, pages) -> float:
    """Pages per CPU second of one pass of ``work`` over ``pages``: CPU time of this process,
    so that time spent waiting for a core of the shared machine is not counted."""
    start = time.process_time()
    for url, body in pages:
        work(url, body)
    return len(pages) / (time.process_time() - start)


class Newsbot:
    """newsbot's extraction and pipelines, with pipelines made afresh for each round (outside
    the timing): a page seen in an earlier round would be dropped as a duplicate, and the
    pipelines after the dedupe step would not run."""

    def __init__(self, settings):
        self.settings = settings
        self.fresh()

    def fresh(self) -> None:
        self.pipelines = OfflinePipelines(self.settings)
        self.rejected: list[str] = []

    def __call__(self, url: str, body: bytes):
        extraction = extract(body, url, self.settings, self.pipelines)
        if extraction.rejection is not None:  # printed: a rejected page takes a shorter path
            self.rejected.append(f"{url} ({extraction.rejection})")


@contextmanager
def timed_parts(spent: dict[str, float]):
    """Add the CPU time of each of ``PARTS`` to ``spent[label]`` while inside."""
    originals = [(owner, name, owner.__dict__[name]) for _, owner, name in PARTS]
    try:
        for (label, owner, name), (_, _, original) in zip(PARTS, originals):
            setattr(owner, name, _timer(label, getattr(owner, name), spent, original))
        yield spent
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def _timer(label: str, function, spent: dict[str, float], original):
    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - start
    # a classmethod stays one (FoldedPage.of); a function or plain method stays a function
    return classmethod(lambda cls, *a, **k: timed(*a, **k)) if isinstance(original, classmethod) else timed


def breakdown(pages, rounds: int, settings) -> None:
    """Where newsbot's time goes on ``pages``, median ms a page over ``rounds``, beside the
    budget of the 0.5x goal (twice the bare parse), measured in the same rounds."""
    newsbot, parse = Newsbot(settings), contenders(settings)["bare lxml.html parse"]
    one_round(newsbot, pages[:3])
    per_part: dict[str, list[float]] = {label: [] for label, _, _ in PARTS}
    totals, bare = [], []
    for _ in range(rounds):
        bare.append(1000 / one_round(parse, pages))
        newsbot.fresh()
        spent: dict[str, float] = {}
        with timed_parts(spent):
            totals.append(1000 / one_round(newsbot, pages))
        for label in per_part:
            per_part[label].append(1000 * spent.get(label, 0.0) / len(pages))
    total, floor = statistics.median(totals), statistics.median(bare)
    print(f"\nwhere newsbot's time goes ({len(pages)} realistic pages, median of {rounds} rounds, ms a page)")
    for label, values in per_part.items():
        print(f"  {label:<44}{statistics.median(values):>7.2f}")
    rest = total - sum(statistics.median(values) for values in per_part.values())
    print(f"  {'layers + item (the rest)':<44}{rest:>7.2f}")
    print(f"  {'total':<44}{total:>7.2f}   (the timers add a little)")
    print(f"  {'bare lxml.html parse, same rounds':<44}{floor:>7.2f}   the 0.5x goal allows {2 * floor:.2f} in all")


def contenders(settings) -> dict:
    found = {
        "bare lxml.html parse": lambda url, body: lxml.html.fromstring(body),
        "newsbot extraction + pipelines": Newsbot(settings),
    }
    if bare_extraction is not None:
        found["trafilatura bare_extraction"] = lambda url, body: bare_extraction(body, url=url, with_metadata=True)
    return found


def measure(name: str, pages, rounds: int, settings) -> None:
    works = contenders(settings)
    rates: dict[str, list[float]] = {label: [] for label in works}
    for label, work in works.items():  # warm-up: imports, caches
        one_round(work, pages[:3])
    for _ in range(rounds):
        for label, work in works.items():
            if isinstance(work, Newsbot):
                work.fresh()
            rates[label].append(one_round(work, pages))
    median = {label: statistics.median(values) for label, values in rates.items()}
    print(f"\n{name}: {describe(pages)}; {rounds} interleaved rounds, median (min-max) pages/s")
    rejected = next(work.rejected for work in works.values() if isinstance(work, Newsbot))
    for page in rejected:
        print(f"  rejected in each round: {page}")
    for label, values in rates.items():
        print(f"  {label:<34}{median[label]:>9.0f}   ({min(values):.0f}-{max(values):.0f})")
    newsbot = median["newsbot extraction + pipelines"]
    print(f"  {'newsbot / lxml parse':<34}{newsbot / median['bare lxml.html parse']:>9.2f}x   (goal >= 0.5x)")
    if "trafilatura bare_extraction" in median:
        print(f"  {'newsbot / trafilatura':<34}{newsbot / median['trafilatura bare_extraction']:>9.1f}x   (goal >= 10x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=36, help="size of the realistic page set (>= 30)")
    parser.add_argument("--only", choices=("site", "realistic"), help="measure one page set only")
    parser.add_argument("--breakdown", action="store_true",
                        help="also time the parts of newsbot's work on the realistic set")
    args = parser.parse_args()
    settings = get_project_settings()
    if bare_extraction is None:
        print("trafilatura is not installed (pip install -e '.[bench]'): its column is skipped")
    if args.only != "realistic":
        measure("site copy", site_article_pages(), args.rounds, settings)
    if args.only != "site":
        realistic = benchmark_pages(args.pages)
        measure("realistic size", realistic, args.rounds, settings)
        if args.breakdown:
            breakdown(realistic, args.rounds, settings)


if __name__ == "__main__":
    main()
