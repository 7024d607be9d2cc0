"""``scrapy extract PATH [--url URL]``: the item a saved page would become, as one JSON line."""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from parsel import Selector

from newsbot.commands._usage import StrictOptions
from newsbot.commands._output import dumps_line, extraction_record
from newsbot.offline import extract
from newsbot.urls import SiteRules


class Command(StrictOptions, ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "PATH [--url URL]"

    def short_desc(self) -> str:
        return "Print the item the pipelines would produce for a saved HTML page"

    def long_desc(self) -> str:
        return ("Runs newsbot's extraction and item pipelines on a saved page, offline, and prints "
                "the resulting item as one JSON line. A page that would be rejected is printed "
                "with a \"rejected\" key holding the reasons, and the command exits 1. The page's "
                "URL comes from --url, else from its <link rel=canonical>.")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the URL the page was served at")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one PATH")
        path = Path(args[0])
        try:
            body = path.read_bytes()
        except OSError as error:
            raise UsageError(f"cannot read {path}: {error.strerror}") from None
        url = opts.url or Selector(body=body, type="html").xpath('//link[@rel="canonical"]/@href').get()
        site = SiteRules(self.settings.get("NEWSBOT_SITE_URL"))
        if not url or not site.canonical(url):
            raise UsageError(f"{path} has no canonical link on {site.root}: give --url")
        extraction = extract(body, site.canonical(url), self.settings)
        sys.stdout.write(dumps_line(extraction_record(extraction)) + "\n")
        if extraction.rejection is not None:
            self.exitcode = 1
