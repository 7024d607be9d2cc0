"""``scrapy probe [-a n=20]``: which extraction layers work on the live site, and do they agree?

The command to run on the first day online, and whenever a cron run says the layout
drifted. It is a real crawl with the project's settings (robots.txt, delays, user agent):
the spider's own discovery (robots, sitemap, feed, homepage), then up to ``n`` article pages
of each site generation (told apart by URL shape before fetching: ``/article/<id>`` is gen
3, ``...-<8 digits>`` gen 2, ``...-<4-5 digits>`` gen 1; a request that fails gives its
slot to the next link waiting). For every page it prints, per
field, which layers have a value, which layer won, how often each pair of layers agrees
(``newsbot.agreement``) and examples of disagreement, and saves the page with its item as
a fixture marked unreviewed (``scrapy savefixture``'s machinery; ``--fixtures DIR``,
``--no-fixtures``). No article is exported (pages the crawl would reject still go to the
rejects file, with their reasons).

Exit 0 when every required field is filled at its health floor
(``NEWSBOT_HEALTH_COVERAGE_FLOORS``) and every judged pair of layers agrees at
``NEWSBOT_HEALTH_MIN_AGREEMENT`` or more; else exit 1, naming the fields and layers.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse
from scrapy.utils.conf import arglist_to_dict

from newsbot import agreement
from newsbot.commands.savefixture import FIXTURES_DIR, write_fixture
from newsbot.health import Thresholds, agreement_reasons
from newsbot.items import REQUIRED_FIELDS
from newsbot.middlewares import REQUESTED_META
from newsbot.offline import OfflinePipelines, extract
from newsbot.pages import ArticlePage, page_links
from newsbot.pages.structured import FLIGHT_MARKER
from newsbot.spiders.trtworld import TrtWorldSpider, positive_int

DEFAULT_PER_GENERATION = 20
GEN2_PATH = re.compile(r"-\d{8}/?$")
GEN1_PATH = re.compile(r"-\d{4,5}/?$")
EXAMPLES = 3
REPORTED_FIELDS = ("url", "article_id", *ArticlePage.LAYERED_FIELDS)


def url_generation(url: str) -> int:
    path = url.split("?", 1)[0]
    if "/article/" in path:
        return 3
    if GEN2_PATH.search(path):
        return 2
    return 1 if GEN1_PATH.search(path) else 3


def page_generation(page: ArticlePage, url: str) -> int:
    """Gen 3 pages carry Next.js flight data, gen 2 pages Nuxt state; else the URL decides."""
    if page.scripts.containing(FLIGHT_MARKER):
        return 3
    return 2 if page.nuxt_state.present else url_generation(url)


class ProbeSpider(TrtWorldSpider):
    """The crawl's spider, capped at ``n`` article pages per site generation; it records
    what each page's layers say instead of exporting items."""

    name = "newsbot-probe"

    def __init__(self, *args, n=DEFAULT_PER_GENERATION, fixtures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_generation = positive_int("n", n, required=True)
        self.fixtures = Path(fixtures) if fixtures else None
        self.requested_per_generation: Counter = Counter()  # requests per generation, failed ones given back
        self.waiting: dict[int, list] = defaultdict(list)  # links over the cap, in order
        self.seen: set[str] = set()
        self.pages: list[dict] = []
        self.rejected: list[str] = []

    def article_requests(self, url: str, source: str | None = None, hint: str | None = None):
        if url in self.seen:
            return
        self.seen.add(url)
        generation = url_generation(url)
        if self.requested_per_generation[generation] >= self.per_generation:
            self.waiting[generation].append((url, source, hint))
            return
        self.requested_per_generation[generation] += 1
        yield from super().article_requests(url, source, hint)

    def article_failed(self, failure):
        """A request that failed (404, 500, too large) gives its slot to a waiting link."""
        yield from super().article_failed(failure) or ()
        request = failure.request
        generation = url_generation(request.meta.get(REQUESTED_META, request.url))
        self.requested_per_generation[generation] -= 1
        while self.waiting[generation] and self.requested_per_generation[generation] < self.per_generation:
            url, source, hint = self.waiting[generation].pop(0)
            self.requested_per_generation[generation] += 1
            yield from super().article_requests(url, source, hint)

    def parse_article(self, response):
        if not isinstance(response, HtmlResponse) or self.is_wall(response):
            return
        page = ArticlePage(response, self.site)
        comparisons = list(agreement.page_agreement(page))
        agreement.count(self.crawler.stats, comparisons)
        extraction = extract(response.body, response.url, self.crawler.settings,
                             OfflinePipelines(self.crawler.settings), response=response)
        item = extraction.item
        if item is None:  # rejected before the pipelines (truncated, bad charset ...)
            self.rejected.append(response.url)
            return
        generation = page_generation(page, response.url)
        self.pages.append({
            "url": response.url, "generation": generation, "item": item,
            "layers": {field: [layer for layer, _ in page.layer_values(field)]
                       for field in ArticlePage.LAYERED_FIELDS},
            "comparisons": comparisons, "rejection": extraction.rejection,
        })
        if self.fixtures is not None:
            slug = item.article_id or f"page-{len(self.pages)}"
            write_fixture(self.fixtures, slug, response.body, response.url,
                          self.crawler.settings, headers=response.headers)
        links = page_links(response, self.site)
        related = [link.url for link in item.related if self.site.is_article(link.url)]
        yield from self.follow_links(response, list(dict.fromkeys(related + links.articles)),
                                     links.listings)


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[-a n=20] [--fixtures DIR | --no-fixtures]"

    def short_desc(self) -> str:
        return "Check which extraction layers work on the site and whether they agree"

    def long_desc(self) -> str:
        return __doc__.split("\n\n", 1)[1]

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                            help="n=<pages per site generation> (default 20)")
        parser.add_argument("--fixtures", default=FIXTURES_DIR,
                            help=f"where to save the pages as unreviewed fixtures (default {FIXTURES_DIR})")
        parser.add_argument("--no-fixtures", action="store_true", help="save no fixtures")

    def process_options(self, args, opts) -> None:
        super().process_options(args, opts)
        try:
            opts.spargs = arglist_to_dict(opts.spargs)
        except ValueError:
            raise UsageError("invalid -a value, use -a NAME=VALUE", print_help=False) from None
        unknown = sorted(set(opts.spargs) - {"n"})
        if unknown:
            raise UsageError(f"unknown argument(s): {', '.join(unknown)}", print_help=False)
        try:
            opts.spargs["n"] = positive_int("n", opts.spargs.get("n", DEFAULT_PER_GENERATION), required=True)
        except ValueError as error:
            raise UsageError(str(error), print_help=False) from None

    def run(self, args: list[str], opts) -> None:
        if args:
            raise UsageError("probe takes no positional arguments")
        try:
            thresholds = Thresholds.from_settings(self.settings)
        except ValueError as error:
            print(f"newsbot: bad configuration: {error}", file=sys.stderr)
            self.exitcode = 78
            return
        # A probe sees the site as it is: no incremental state, no run files, no export.
        for name, value in (("FEEDS", {}), ("NEWSBOT_INCREMENTAL", False), ("NEWSBOT_RUN_FILES", False)):
            self.settings.set(name, value, priority="cmdline")
        # Bounded: n article pages per generation, plus the discovery and listing pages.
        self.settings.set("CLOSESPIDER_PAGECOUNT", 3 * opts.spargs["n"] + 100, priority="cmdline")
        crawler = self.crawler_process.create_crawler(ProbeSpider)
        self.crawler_process.crawl(crawler, n=opts.spargs["n"],
                                   fixtures=None if opts.no_fixtures else opts.fixtures)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.spider is None:
            self.exitcode = 1
            return
        report, reasons = judge_probe(crawler.spider.pages, crawler.stats.get_stats(), thresholds)
        sys.stdout.write(report)
        if reasons:
            print("newsbot probe: FAIL: " + "; ".join(reasons), file=sys.stderr)
        self.exitcode = 1 if reasons else 0


def judge_probe(pages: list[dict], stats: dict, thresholds: Thresholds) -> tuple[str, list[str]]:
    """(the printed report, the reasons to fail)."""
    lines, reasons = [], []
    generations = Counter(page["generation"] for page in pages)
    lines.append(f"probe: {len(pages)} article page(s): "
                 + ", ".join(f"gen {g}: {generations[g]}" for g in sorted(generations)))
    if not pages:
        return "\n".join(lines) + "\n", ["no article page was fetched (blocked, or the site moved?)"]
    counts = agreement.read_counts(stats)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for page in pages:
        for comparison in page["comparisons"]:
            key = (comparison.field, f"{comparison.first}-{comparison.second}")
            if not comparison.equal and len(examples[key]) < EXAMPLES:
                first, second = (_short(v) for v in comparison.values)
                examples[key].append(f"{page['url']}: {comparison.first} {first} / "
                                     f"{comparison.second} {second}")
    lines.append("")
    lines.append(f"{'field':<16} {'filled':>9}  layers with a value / winner / agreement (equal of compared)")
    for field in REPORTED_FIELDS:
        filled = sum(1 for page in pages if _filled(getattr(page["item"], field, None)))
        lines.append(f"{field:<16} {filled:>4}/{len(pages):<4}")
        if field in REQUIRED_FIELDS:
            floor = thresholds.coverage_floors.get(field, 1.0)
            if filled / len(pages) < floor:
                reasons.append(f"{field} filled on {filled} of {len(pages)} pages (floor {floor:.0%})")
        if field not in ArticlePage.LAYERED_FIELDS:
            continue
        have = Counter(layer for page in pages for layer in page["layers"][field])
        won = Counter(page["item"].provenance.get(field) for page in pages
                      if page["item"].provenance.get(field))
        lines.append("    layers:    " + (", ".join(f"{k} {v}" for k, v in have.most_common()) or "-"))
        lines.append("    winner:    " + (", ".join(f"{k} {v}" for k, v in won.most_common()) or "-"))
        pairs = sorted((pair, c) for (name, pair), c in counts.items() if name == field)
        lines.append("    agreement: " + (", ".join(f"{pair} {same}/{same + differ}"
                                                     for pair, (same, differ) in pairs) or "-"))
        for pair, _ in pairs:
            for example in examples.get((field, pair), []):
                lines.append(f"      differ {pair}: {example}")
    reasons.extend(agreement_reasons(stats, thresholds))
    lines.append("")
    lines.append("verdict: " + ("OK" if not reasons else "FAIL"))
    lines.extend(f"  - {reason}" for reason in reasons)
    return "\n".join(lines) + "\n", reasons


def _filled(value) -> bool:
    return value not in (None, "", [], {})


def _short(value, limit: int = 60) -> str:
    text = repr(value[0] if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str)
                and value[1] in ("day", "minute", "second", "millisecond") else value)
    return text if len(text) <= limit else text[:limit - 1] + "…"
