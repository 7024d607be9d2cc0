"""``scrapy savefixture URL``: save a live page and its extracted item as a test fixture.

Writes ``tests/fixtures/<slug>.html`` (the page as served) and ``tests/fixtures/<slug>.json``
(the item newsbot extracts today, without ``scraped_at``), marked ``"review": "unreviewed"``.
Review the JSON by hand, correct what newsbot got wrong, delete the ``review`` key, and the
golden tests will hold the extractor to it (until then they skip the fixture, saying so).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy import Request, Spider
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError

from newsbot.commands._usage import StrictOptions
from newsbot.commands._output import extraction_record
from newsbot.offline import extract
from newsbot.urls import SiteRules

FIXTURES_DIR = "tests/fixtures"
REVIEW_KEY = "review"
UNREVIEWED = "unreviewed"


def write_fixture(directory: Path, slug: str, body: bytes, url: str, settings,
                  headers=None) -> tuple[Path, Path]:
    """Save a page and the item extracted from it, marked unreviewed: (html path, json path)."""
    directory.mkdir(parents=True, exist_ok=True)
    html_path, json_path = directory / f"{slug}.html", directory / f"{slug}.json"
    html_path.write_bytes(body)
    record = {REVIEW_KEY: UNREVIEWED,
              **extraction_record(extract(body, url, settings, headers=headers))}
    record.pop("scraped_at", None)
    json_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return html_path, json_path


class Command(StrictOptions, ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "URL [--slug SLUG] [--dir DIR]"

    def short_desc(self) -> str:
        return "Save a live article page and its extracted item as a new test fixture"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--slug", help="fixture name (default: the article id)")
        parser.add_argument("--dir", default=FIXTURES_DIR, help=f"where to write (default: {FIXTURES_DIR})")

    def process_options(self, args: list[str], opts) -> None:
        super().process_options(args, opts)
        # The outcome is one line of its own; `-L INFO` still shows the crawl's log.
        if self.settings.getpriority("LOG_LEVEL") < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("LOG_LEVEL", "CRITICAL", priority="cmdline")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one URL")
        site = SiteRules(self.settings.get("NEWSBOT_SITE_URL"))
        url = site.canonical(args[0])
        if url is None or not site.is_article(url):
            raise UsageError(f"{args[0]} is not an article URL of {site.root}")
        self.settings.set("FEEDS", {}, priority="cmdline")
        outcome: dict = {}
        self.crawler_process.crawl(FixtureSpider, url=url, slug=opts.slug or site.article_id(url),
                                   directory=opts.dir, outcome=outcome)
        self.crawler_process.start()
        if "saved" in outcome:
            html_path, json_path = outcome["saved"]
            print(f"newsbot: saved {html_path} and {json_path}: review the JSON before committing")
            return
        problem = outcome.get("problem") or "the crawl did not run (run with -L INFO to see why)"
        print(f"newsbot: nothing saved: {url}: {problem}", file=sys.stderr)
        self.exitcode = 1


class FixtureSpider(Spider):
    """Fetches one page with the project's settings (robots.txt, user agent, retries) and
    says in ``outcome`` what came of it: ``saved`` paths, or the ``problem``."""

    name = "newsbot-savefixture"

    def __init__(self, url: str, slug: str, directory: str, outcome: dict, **kwargs):
        super().__init__(**kwargs)
        self.url, self.slug, self.directory, self.outcome = url, slug, Path(directory), outcome

    async def start(self):
        yield Request(self.url, callback=self.save, errback=self.failed, dont_filter=True)

    def failed(self, failure):
        if failure.check(HttpError):
            self.outcome["problem"] = f"the site answered HTTP {failure.value.response.status}"
        else:
            self.outcome["problem"] = (f"cannot download it ({failure.value}): check the network, "
                                       "or point NEWSBOT_SITE_URL at a copy of the site")

    def save(self, response):
        if not isinstance(response, HtmlResponse):
            self.outcome["problem"] = "not an HTML page"
            return
        html_path, json_path = write_fixture(self.directory, self.slug, response.body, self.url,
                                             self.settings, headers=response.headers)
        self.outcome["saved"] = (html_path, json_path)
