"""``scrapy savefixture URL``: save a live page and its extracted item as a test fixture.

Writes ``tests/fixtures/<slug>.html`` (the page as served) and ``tests/fixtures/<slug>.json``
(the item newsbot extracts today, without ``scraped_at``), marked ``"review": "unreviewed"``.
Review the JSON by hand, correct what newsbot got wrong, delete the ``review`` key, and the
golden tests will hold the extractor to it (until then they skip the fixture, saying so).
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy import Request, Spider
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import HtmlResponse

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


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "URL [--slug SLUG] [--dir DIR]"

    def short_desc(self) -> str:
        return "Save a live article page and its extracted item as a new test fixture"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--slug", help="fixture name (default: the article id)")
        parser.add_argument("--dir", default=FIXTURES_DIR, help=f"where to write (default: {FIXTURES_DIR})")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one URL")
        site = SiteRules(self.settings.get("NEWSBOT_SITE_URL"))
        url = site.canonical(args[0])
        if url is None or not site.is_article(url):
            raise UsageError(f"{args[0]} is not an article URL of {site.root}")
        self.settings.set("FEEDS", {}, priority="cmdline")
        self.crawler_process.crawl(FixtureSpider, url=url, slug=opts.slug or site.article_id(url),
                                   directory=opts.dir)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or not FixtureSpider.saved:
            self.exitcode = 1


class FixtureSpider(Spider):
    """Fetches one page with the project's settings (robots.txt, user agent, retries)."""

    name = "newsbot-savefixture"
    saved: list[str] = []

    def __init__(self, url: str, slug: str, directory: str, **kwargs):
        super().__init__(**kwargs)
        self.url, self.slug, self.directory = url, slug, Path(directory)

    async def start(self):
        yield Request(self.url, callback=self.save, dont_filter=True)

    def save(self, response):
        if not isinstance(response, HtmlResponse):
            self.logger.error("%s is not an HTML page", response.url)
            return
        html_path, json_path = write_fixture(self.directory, self.slug, response.body, self.url,
                                             self.settings, headers=response.headers)
        FixtureSpider.saved.append(str(html_path))
        self.logger.info("Saved %s and %s: review the JSON before committing", html_path, json_path)
