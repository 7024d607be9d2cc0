"""End to end: real `scrapy crawl trtworld` subprocesses against the local site copy."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter

import jsonschema
import pytest

from newsbot.urls import article_id_from_path
from tests.conftest import REPO, run_crawl
from tests.goldens import compared_fields, site_expectations, with_site

pytestmark = pytest.mark.e2e

EXPECTED = site_expectations()
SCHEMA = json.loads((REPO / "newsbot" / "article.schema.json").read_text(encoding="utf-8"))


def by_id(crawl) -> dict[str, dict]:
    return {item["article_id"]: item for item in crawl.items}


def expected_item(slug: str, crawl, manifest, site) -> dict:
    """The expected item, under the alternate id when the crawl kept the alternate copy."""
    expected = with_site(EXPECTED[slug], site.url)
    exported = by_id(crawl)
    for path in manifest["alternates"].get(slug, []):
        other_id = article_id_from_path(path)
        if other_id in exported:
            expected = {**expected, "url": site.url + path, "article_id": other_id}
    return expected


def test_crawl_finishes_cleanly(full_crawl):
    assert full_crawl.returncode == 0
    assert full_crawl.stats["finish_reason"] == "finished"
    assert "Traceback" not in full_crawl.log
    # -O replaces the default feed, as Scrapy users expect; it does not add to it.
    assert not (full_crawl.workdir / "data" / "articles").exists()


def test_every_reachable_article_exactly_once(full_crawl, manifest, site):
    ids = Counter(item["article_id"] for item in full_crawl.items)
    assert all(count == 1 for count in ids.values()), ids.most_common(3)
    wanted = {expected_item(slug, full_crawl, manifest, site)["article_id"] for slug in EXPECTED}
    assert set(ids) == wanted


CASES = [(slug, field) for slug, expected in EXPECTED.items() for field in compared_fields(expected)]


@pytest.mark.parametrize("slug, field", CASES, ids=[f"{s}:{f}" for s, f in CASES])
def test_article_field(full_crawl, manifest, site, slug, field):
    expected = expected_item(slug, full_crawl, manifest, site)
    item = by_id(full_crawl).get(expected["article_id"])
    assert item is not None, f"{slug} was not exported"
    assert item[field] == expected[field]


def test_articles_reachable_only_through_explore_are_reached(full_crawl, manifest, site):
    urls = {item["url"] for item in full_crawl.items}
    assert {site.url + path for path in manifest["explore_only"]} <= urls


def test_one_item_from_each_group_of_duplicates(full_crawl, manifest, site):
    exported = {item["url"] for item in full_crawl.items}
    ids = {item["article_id"] for item in full_crawl.items}
    for group in manifest["duplicates"]:
        found = [p for p in group if site.url + p in exported or article_id_from_path(p) in ids]
        assert len({article_id_from_path(p) for p in found} & ids) == 1, group


def test_rejects_file_names_every_broken_article(full_crawl, manifest, site):
    rejected = {}
    for record in full_crawl.rejects:
        rejected.setdefault(record["url"], set()).add(record["reason"])
    for path, why in manifest["rejected"].items():
        assert why["reason"] in rejected.get(site.url + path, set()), path
    assert full_crawl.stats["newsbot/rejected"] == len(full_crawl.rejects)


def test_invalid_article_is_recorded_with_its_item_and_reasons(full_crawl, manifest, site):
    path = next(p for p, why in manifest["rejected"].items() if why["reason"] == "invalid")
    record = next(r for r in full_crawl.rejects if r["url"] == site.url + path)
    assert record["reasons"] == [f"missing {f}" for f in manifest["rejected"][path]["missing"]]
    assert record["item"]["headline"]


def test_nothing_off_site_or_excluded_is_requested(full_crawl, manifest):
    paths = {path for _, path in full_crawl.requests}
    assert not paths & set(manifest["never_requested"])
    # Every request the crawler made reached the local server: nothing went elsewhere.
    assert full_crawl.stats["downloader/request_count"] == len(full_crawl.requests)


def test_no_article_is_downloaded_twice(full_crawl, manifest):
    gets = Counter(path for method, path in full_crawl.requests if method == "GET")
    retried = {p for p, why in manifest["rejected"].items() if why["reason"] == "http_500"}
    assert [p for p, n in gets.items() if n > 1 and p not in retried and p != "/robots.txt"] == []
    redirected = set(manifest["redirects"])
    ids = Counter(article_id_from_path(p) for p in gets if article_id_from_path(p) and p not in redirected)
    assert [i for i, n in ids.items() if n > 1] == []


def test_output_is_utf8_jsonl_without_escapes(full_crawl):
    raw = full_crawl.output.read_bytes()
    text = raw.decode("utf-8")
    assert "Türkiye" in text
    assert not re.search(r"\\u[0-9a-fA-F]{4}", text)
    assert len(text.splitlines()) == len(full_crawl.items)


def test_every_line_follows_the_schema_and_field_order(full_crawl):
    validator = jsonschema.Draft202012Validator(SCHEMA)
    order = list(SCHEMA["properties"])
    for line in full_crawl.lines:
        item = json.loads(line)
        validator.validate(item)
        assert list(item) == order


def test_stats_count_sources_and_rejections(full_crawl):
    stats = full_crawl.stats
    items = len(full_crawl.items)
    assert stats["item_scraped_count"] == items
    for field in ("headline", "body", "date_published"):
        counted = sum(v for k, v in stats.items() if k.startswith(f"newsbot/extract/{field}/"))
        assert counted == stats["item_scraped_count"] + stats.get("item_dropped_count", 0)
    assert stats["newsbot/rejected/too_large"] == 1
    assert stats["newsbot/page/jsonld_invalid"] == 1


def test_max_articles_stops_the_crawl(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-a", "max_articles=5", server=site)
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert len(crawl.items) == 5
    assert crawl.stats["finish_reason"] == "closespider_itemcount"
    assert not any(r["reason"] == "dropped" for r in crawl.rejects)


def test_since_skips_older_articles(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-a", "since=2025-01-01", server=site)
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert crawl.items
    assert all(item["date_published"] >= "2025-01-01" for item in crawl.items)
    assert any(k.startswith("newsbot/skipped/older_than_since/") for k in crawl.stats)


def test_start_urls_crawl_only_the_given_pages(site, tmp_path, manifest):
    urls = [site.url + manifest["articles"][slug] for slug in sorted(EXPECTED)[:2]]
    crawl = run_crawl(site.url, tmp_path, "-a", f"start_urls={','.join(urls)}", server=site)
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert sorted(item["url"] for item in crawl.items) == sorted(urls)
    assert {path for _, path in crawl.requests} == {"/robots.txt", *(u[len(site.url):] for u in urls)}


def test_without_output_options_the_default_feed_is_written(site, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "trtworld", "-a", "max_articles=2",
                           "-s", f"NEWSBOT_SITE_URL={site.url}", "-s", f"NEWSBOT_DATA_DIR={tmp_path}",
                           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    [feed] = (tmp_path / "articles").glob("trtworld-*.jsonl")
    assert len(feed.read_text(encoding="utf-8").splitlines()) == 2


def test_bad_argument_fails_with_a_clear_message(site, tmp_path):
    crawl = run_crawl(site.url, tmp_path, "-a", "since=yesterday", server=site)
    assert crawl.returncode != 0
    assert "since must be an ISO date" in crawl.log


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)


def test_extract_command_prints_the_item(manifest):
    slug = "iraqi-forces-open-new-front-in-final-push-against-daesh-13099992"
    path = manifest["articles"][slug]
    page = REPO / "tests" / "site" / json.loads((REPO / "tests/site/routes.json").read_text())[path]["file"]
    done = scrapy("extract", str(page), "--url", f"https://www.trtworld.com{path}")
    assert done.returncode == 0, done.stderr
    item = json.loads(done.stdout)
    expected = with_site(EXPECTED[slug], "https://www.trtworld.com")
    assert {f: item[f] for f in compared_fields(expected)} == {f: expected[f] for f in compared_fields(expected)}


def test_extract_command_under_the_cron_profile_leaves_the_state_alone(manifest, tmp_path):
    # A preview: neither the first extract nor a second one of the same page reads or
    # writes the incremental state (an exported article would else be "unchanged": exit 1).
    slug = "iraqi-forces-open-new-front-in-final-push-against-daesh-13099992"
    path = manifest["articles"][slug]
    page = REPO / "tests" / "site" / json.loads((REPO / "tests/site/routes.json").read_text())[path]["file"]
    data = tmp_path / "data"
    for _ in range(2):
        done = scrapy("extract", str(page), "--url", f"https://www.trtworld.com{path}",
                      "-s", f"NEWSBOT_DATA_DIR={data}", "-s", "NEWSBOT_INCREMENTAL=True")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["article_id"] == "13099992"
    assert not (data / "state.sqlite3").exists()


def test_extract_command_shows_why_a_page_is_rejected(manifest):
    path = next(p for p, why in manifest["rejected"].items() if why["reason"] == "invalid")
    page = REPO / "tests" / "site" / json.loads((REPO / "tests/site/routes.json").read_text())[path]["file"]
    done = scrapy("extract", str(page), "--url", f"https://www.trtworld.com{path}")
    assert done.returncode == 1
    assert json.loads(done.stdout)["rejected"] == {"reason": "invalid", "reasons": ["missing body"]}


def test_extract_command_needs_a_url_it_can_place(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>x</h1></body></html>")
    done = scrapy("extract", str(page))
    assert done.returncode != 0
    assert "--url" in done.stderr + done.stdout


def test_savefixture_saves_page_and_item(site, tmp_path, manifest):
    slug = "turkiye-africa-media-forum-today-5e0f2a7c9b14"
    url = site.url + manifest["articles"][slug]
    done = scrapy("savefixture", url, "--dir", str(tmp_path), "-s", f"NEWSBOT_SITE_URL={site.url}")
    assert done.returncode == 0, done.stderr[-2000:]
    saved = json.loads((tmp_path / "5e0f2a7c9b14.json").read_text(encoding="utf-8"))
    expected = with_site(EXPECTED[slug], site.url)
    assert {f: saved[f] for f in compared_fields(expected)} == {f: expected[f] for f in compared_fields(expected)}
    assert (tmp_path / "5e0f2a7c9b14.html").read_bytes().startswith(b"<!")
