"""Scrapy's stock commands as a Scrapy user runs them: list, parse, check, runspider."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from scrapy import Request
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from newsbot.commands.parse import PIPELINES_NOTE
from tests.conftest import REPO, SITE_DIR
from tests.site_server import SiteServer

pytestmark = pytest.mark.e2e


def scrapy(*args: str, env: dict | None = None, cwd=REPO) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, env={**clean, **(env or {})},
                          capture_output=True, text=True, timeout=600)


def test_list():
    done = scrapy("list")
    assert done.returncode == 0
    assert done.stdout.split() == ["trtworld"]


def test_the_spider_is_found_by_a_production_url(monkeypatch):
    monkeypatch.chdir(REPO)
    loader = SpiderLoader.from_settings(get_project_settings())
    for url in ("https://www.trtworld.com/article/13099992", "https://www.trtworld.com/"):
        assert loader.find_by_request(Request(url)) == ["trtworld"]
    assert loader.find_by_request(Request("https://www.example.com/article/13099992")) == []


def parse(site, url: str, *args: str) -> subprocess.CompletedProcess:
    done = scrapy("parse", url, "--nolog", "--nocolour", *args, env={"NEWSBOT_SITE_URL": site.url})
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_parse_an_article_url_runs_the_article_callback(site):
    done = parse(site, "https://www.trtworld.com/article/13099992")
    items, _, rest = done.stdout.partition("# Requests")
    assert "'article_id': '13099992'" in items
    assert "'headline': 'Iraqi forces open new front in final push against Daesh'" in items
    assert PIPELINES_NOTE in items
    assert "scrapy extract" in PIPELINES_NOTE
    assert f"{site.url}/article/" in rest  # the Explore links it would follow, on the local copy


def test_parse_a_listing_url_runs_the_listing_callback(site):
    done = parse(site, "https://www.trtworld.com/")
    items, _, requests = done.stdout.partition("# Requests")
    assert "[]" in items and PIPELINES_NOTE not in items
    assert requests.count(f"<GET {site.url}/article/") > 5


@pytest.mark.parametrize("path, found", [("/feed/rss.xml", "/article/"), ("/robots.txt", "/sitemaps/")])
def test_parse_discovery_pages(site, path, found):
    done = parse(site, f"{site.url}{path}", "--spider", "trtworld")
    assert f"<GET {site.url}{found}" in done.stdout.partition("# Requests")[2]


def test_check_runs_the_contracts_against_the_local_copy(site, tmp_path):
    done = scrapy("check", "trtworld", "-s", f"NEWSBOT_DATA_DIR={tmp_path}",
                  env={"NEWSBOT_SITE_URL": site.url})
    assert done.returncode == 0, done.stderr[-3000:]
    ran = next(line for line in done.stderr.splitlines() if line.startswith("Ran "))
    assert int(ran.split()[1]) >= 10
    assert done.stderr.rstrip().endswith("OK")


def test_check_fails_when_a_callback_breaks_its_contract(tmp_path):
    """The contracts hold the site copy to something: a copy without the article fails them."""
    with SiteServer(root=SITE_DIR) as own:  # not the shared server: its routes stay as built
        own.set_route("/article/13099992", {"status": 404})
        done = scrapy("check", "trtworld", "-s", f"NEWSBOT_DATA_DIR={tmp_path}",
                      env={"NEWSBOT_SITE_URL": own.url})
    assert done.returncode != 0
    assert "parse_article" in done.stderr


SPIDER_OF_YOUR_OWN = '''
import scrapy


class QuotesSpider(scrapy.Spider):
    name = "quotes"

    async def start(self):
        yield scrapy.Request("data:text/html,<p>hello</p>", callback=self.parse)

    def parse(self, response):
        yield {"text": response.css("p::text").get()}
'''


def test_items_of_another_spider_pass_the_pipelines_untouched(tmp_path):
    spider = tmp_path / "quotes.py"
    spider.write_text(SPIDER_OF_YOUR_OWN, encoding="utf-8")
    output = tmp_path / "quotes.jsonl"
    done = scrapy("runspider", str(spider), "-O", str(output), "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()] == [{"text": "hello"}]
    assert "Dropped" not in done.stderr
    assert not (tmp_path / "data" / "rejects").exists()


@pytest.mark.parametrize("command", [("crawl", "trtworld"), ("dataset", "-o", "x.csv"), ("state", "show")])
def test_an_unknown_option_is_one_line(command):
    done = scrapy(*command, "--badopt")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["newsbot: unknown option --badopt (see --help)"]
