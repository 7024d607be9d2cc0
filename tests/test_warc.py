"""The WARC archive of article responses, and `scrapy reextract` over it.

Unit tests drive the extension directly (no crawl); the end-to-end ones archive a real crawl
of the local site copy and re-extract it in `scrapy reextract` subprocesses, no network.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from warcio.archiveiterator import ArchiveIterator

from newsbot import settings as project_settings
from newsbot.extensions.warc import WarcArchive
from newsbot.middlewares import ARTICLE_META
from newsbot.urls import article_id_from_path
from tests.conftest import REPO, run_crawl
from tests.goldens import load_manifest

CLEAN_TEXT_PIPELINE = "newsbot.pipelines.text.CleanText"
SITE_MANIFEST = load_manifest()
NOT_DOWNLOADED = {path for path, why in SITE_MANIFEST["rejected"].items() if why["reason"] == "too_large"}
EXIT_UNREADABLE, EXIT_USAGE, EXIT_BAD_STATE, EXIT_BAD_CONFIGURATION = 1, 2, 65, 78
ARTICLE_URL = "https://www.trtworld.com/article/13099992"


# --- helpers ---------------------------------------------------------------------------------

def warc_crawl_args() -> list[str]:
    """`-s` arguments that turn the archive on."""
    return ["-s", "NEWSBOT_WARC_ENABLED=True"]


def reextract(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    return subprocess.run([sys.executable, "-m", "scrapy", "reextract", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def read_warc(path: Path) -> list[dict]:
    records = []
    with path.open("rb") as file:
        for record in ArchiveIterator(file):
            records.append({
                "type": record.rec_type,
                "uri": record.rec_headers.get_header("WARC-Target-URI"),
                "date": record.rec_headers.get_header("WARC-Date"),
                "status": int(record.http_headers.get_statuscode())
                if record.rec_type == "response" else None,
                "http_headers": record.http_headers,
                "body": record.content_stream().read(),
            })
    return records


def record_spans(path: Path) -> list[tuple[str, int, int]]:
    """(type, offset, length) of every record, in the compressed file."""
    spans = []
    with path.open("rb") as file:
        records = ArchiveIterator(file)
        for record in records:
            record.raw_stream.read()
            spans.append((record.rec_type, records.get_record_offset(), records.get_record_length()))
    return spans


def manifests(data_dir: Path) -> set[Path]:
    return set((data_dir / "runs").rglob("*.manifest.json"))


def run_file(data_dir: Path, before: set[Path] = frozenset()) -> tuple[list[dict], dict]:
    """The items and the manifest of the one run in `data_dir` not in `before`."""
    new = manifests(data_dir) - before
    assert len(new) == 1, new
    path = new.pop()
    manifest = json.loads(path.read_text(encoding="utf-8"))
    lines = path.with_name(manifest["file"]["path"]).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines], manifest


def without_scraped_at(items: list[dict]) -> dict[str, dict]:
    return {item["article_id"]: {k: v for k, v in item.items() if k != "scraped_at"} for item in items}


def fake_crawler(tmp_path: Path, **settings) -> SimpleNamespace:
    """What the extension uses of a crawler, without a crawl."""
    values = Settings({"NEWSBOT_DATA_DIR": str(tmp_path), "NEWSBOT_WARC_ENABLED": True, **settings})
    crawler = SimpleNamespace(settings=values, spider=SimpleNamespace(name="trtworld"),
                              signals=SimpleNamespace(connect=lambda *args, **kwargs: None))
    crawler.stats = MemoryStatsCollector(crawler)
    return crawler


def article_request(url: str = ARTICLE_URL) -> Request:
    return Request(url, meta={ARTICLE_META: True}, headers={"User-Agent": "newsbot-test"})


# --- the extension, without a crawl --------------------------------------------------------------

def test_off_unless_enabled(tmp_path):
    with pytest.raises(NotConfigured):
        WarcArchive.from_crawler(fake_crawler(tmp_path, NEWSBOT_WARC_ENABLED=False))


def test_each_record_is_readable_before_close(tmp_path):
    """A killed crawl: every record written so far is whole on disk, without spider_closed."""
    crawler = fake_crawler(tmp_path)
    archive = WarcArchive.from_crawler(crawler)
    body = b"<html><body>a page</body></html>"
    for number, status in enumerate((200, 404, 500)):
        url = f"{ARTICLE_URL[:-1]}{number}"
        archive.response_received(Response(url, status=status, body=body, request=article_request(url)),
                                  article_request(url))
    records = read_warc(archive.path)  # the file is still open: only flushes made it whole
    assert [r["type"] for r in records] == ["warcinfo"] + ["response", "request"] * 3
    assert [r["status"] for r in records if r["type"] == "response"] == [200, 404, 500]
    assert crawler.stats.get_value("newsbot/warc/records") == len(records) == 7
    assert archive.path.parent == tmp_path / "warc" and archive.path.name.endswith(".warc.gz")
    info = records[0]["body"].decode()
    assert "software: newsbot/" in info
    archive.spider_closed(None, "finished")


def test_other_requests_are_not_archived(tmp_path):
    archive = WarcArchive.from_crawler(fake_crawler(tmp_path))
    request = Request("https://www.trtworld.com/robots.txt")
    archive.response_received(Response(request.url, body=b"User-agent: *", request=request), request)
    archive.spider_closed(None, "finished")
    assert archive.path is None and not (tmp_path / "warc").exists()


def test_record_is_the_decoded_message_self_consistent(tmp_path):
    """Scrapy hands over a de-chunked, decompressed body: the record says so in its headers."""
    archive = WarcArchive.from_crawler(fake_crawler(tmp_path))
    body = "<html><body>Türkiye</body></html>".encode()
    wire = {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked",
            "Content-Length": "17", "Set-Cookie": ["a=1", "b=2"]}
    request = article_request()
    archive.response_received(Response(ARTICLE_URL, status=200, headers=wire, body=body, request=request),
                              request)
    archive.spider_closed(None, "finished")
    response, sent = [r for r in read_warc(archive.path) if r["type"] in ("response", "request")]
    headers = response["http_headers"]
    assert headers.protocol == "HTTP/1.1" and headers.statusline == "200 OK"
    assert headers.get_header("Content-Length") == str(len(body))
    assert headers.get_header("Transfer-Encoding") is None and headers.get_header("Content-Encoding") is None
    assert [v for k, v in headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert response["body"] == body and response["uri"] == ARTICLE_URL
    request_line = f'{sent["http_headers"].protocol} {sent["http_headers"].statusline}'  # warcio splits it
    assert request_line == "GET /article/13099992 HTTP/1.1"
    assert sent["http_headers"].get_header("Host") == "www.trtworld.com"
    assert sent["http_headers"].get_header("User-Agent") == "newsbot-test"


def test_a_coding_scrapy_left_is_kept_with_the_body_it_describes(tmp_path):
    """A Content-Encoding Scrapy could not undo is still on the body: kept, so readers undo it."""
    archive = WarcArchive.from_crawler(fake_crawler(tmp_path))
    page = b"<html><body>x</body></html>"
    request = article_request()
    archive.response_received(Response(ARTICLE_URL, headers={"Content-Encoding": "gzip"},
                                       body=gzip.compress(page), request=request), request)
    archive.spider_closed(None, "finished")
    response = next(r for r in read_warc(archive.path) if r["type"] == "response")
    assert response["http_headers"].get_header("Content-Encoding") == "gzip"
    assert response["body"] == page  # warcio's content_stream() decoded it


def test_a_failed_write_stops_the_archive_not_the_crawl(tmp_path):
    (tmp_path / "warc").write_text("a file where the archive folder should be")
    crawler = fake_crawler(tmp_path)
    archive = WarcArchive.from_crawler(crawler)
    for _ in range(2):
        archive.response_received(Response(ARTICLE_URL, body=b"<html></html>", request=article_request()),
                                  article_request())
    archive.spider_closed(None, "finished")
    assert crawler.stats.get_value("newsbot/warc/errors") == 1
    assert crawler.stats.get_value("newsbot/errors") == 1
    assert crawler.stats.get_value("newsbot/warc/not_archived") == 2


# --- end to end: a crawl archived, then re-extracted -----------------------------------------

@pytest.fixture(scope="module")
def warc_crawl(site, tmp_path_factory):
    crawl = run_crawl(site.url, tmp_path_factory.mktemp("warc-crawl"), *warc_crawl_args(), server=site)
    assert crawl.returncode == 0, crawl.log[-3000:]
    archives = sorted((crawl.workdir / "data" / "warc").glob("*.warc.gz"))
    assert len(archives) == 1, archives
    crawl.warc = archives[0]
    return crawl


@pytest.fixture(scope="module")
def reextracted(warc_crawl, site, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("reextract")
    done = reextract(str(warc_crawl.warc), "-s", f"NEWSBOT_DATA_DIR={data_dir}",
                     "-s", f"NEWSBOT_SITE_URL={site.url}")
    assert done.returncode == 0, done.stderr[-3000:]
    items, manifest = run_file(data_dir)
    return SimpleNamespace(done=done, items=items, manifest=manifest, data_dir=data_dir)


@pytest.mark.e2e
def test_crawl_archives_every_article_response(warc_crawl):
    records = read_warc(warc_crawl.warc)
    assert records[0]["type"] == "warcinfo"
    responses = {urlsplit(r["uri"]).path: r for r in records if r["type"] == "response"}
    downloaded = {path for method, path in warc_crawl.requests
                  if article_id_from_path(path) and path not in SITE_MANIFEST["redirects"]}
    assert set(responses) == downloaded - NOT_DOWNLOADED
    for path, why in SITE_MANIFEST["rejected"].items():
        if why["reason"].startswith("http_"):
            assert responses[path]["status"] == int(why["reason"][5:]), path
    assert warc_crawl.stats["newsbot/warc/records"] == len(records)
    assert sum(r["type"] == "request" for r in records) == len(responses)
    assert all(r["date"] for r in records)


@pytest.mark.e2e
def test_reextract_gives_the_crawl_items(warc_crawl, reextracted):
    crawled, again = without_scraped_at(warc_crawl.items), without_scraped_at(reextracted.items)
    assert set(again) == set(crawled)
    for article_id, item in crawled.items():
        assert again[article_id] == item, article_id
    assert len(reextracted.items) == len(again)  # no article twice


@pytest.mark.e2e
def test_reextract_manifest_and_summary(warc_crawl, reextracted):
    manifest, counts = reextracted.manifest, reextracted.manifest["counts"]
    assert manifest["source"] == "reextract"
    assert manifest["archives"][0]["path"] == str(warc_crawl.warc.resolve())
    assert manifest["archives"][0]["damage"] is None
    assert counts["exported"] == manifest["file"]["lines"] == len(warc_crawl.items)
    assert counts["records"] == len(read_warc(warc_crawl.warc))
    crawl_rejected = {k.split("/", 2)[2]: v for k, v in warc_crawl.stats.items()
                      if k.startswith("newsbot/rejected/") and k.count("/") == 2}
    # The same decision as the crawl (newsbot.pages.decision): the same rejection reasons.
    assert counts["rejected"] == {k: v for k, v in crawl_rejected.items()
                                  if k in ("duplicate", "invalid", "not_html")}
    assert counts["skipped"] == {k: v for k, v in crawl_rejected.items() if k.startswith("http_")}
    assert counts["responses"] == counts["exported"] + sum(counts["rejected"].values()) + sum(counts["skipped"].values())
    out = reextracted.done.stdout.strip()
    assert len(out.splitlines()) == 1
    assert f"{counts['exported']} exported" in out and str(run_file_path(reextracted)) in out


def run_file_path(reextracted) -> Path:
    manifest_path = next((reextracted.data_dir / "runs").rglob("*.manifest.json"))
    return manifest_path.with_name(reextracted.manifest["file"]["path"])


@pytest.mark.e2e
@pytest.mark.parametrize("cut", ["last record", "last response"])
def test_truncated_archive_gives_every_whole_record(warc_crawl, reextracted, site, tmp_path, cut):
    spans = record_spans(warc_crawl.warc)
    index = len(spans) - 1 if cut == "last record" else max(i for i, s in enumerate(spans) if s[0] == "response")
    _, offset, length = spans[index]
    damaged = tmp_path / "killed.warc.gz"
    damaged.write_bytes(warc_crawl.warc.read_bytes()[:offset + length // 2])
    done = reextract(str(damaged), "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}", "-s", f"NEWSBOT_SITE_URL={site.url}")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "DAMAGED" in done.stdout and str(damaged) in done.stdout
    items, manifest = run_file(tmp_path / "data")
    report = manifest["archives"][0]
    assert report["records"] == index and "cut short" in report["damage"]
    assert manifest["counts"]["damaged_archives"] == 1
    whole = without_scraped_at(reextracted.items)
    again = without_scraped_at(items)
    if cut == "last record":  # a request record: every response is whole
        assert again == whole
    else:  # that one response is lost, nothing else
        assert report["responses"] == reextracted.manifest["counts"]["responses"] - 1
        assert set(again) <= set(whole) and len(again) >= len(whole) - 1
        assert all(again[article_id] == whole[article_id] for article_id in again)


@pytest.mark.e2e
def test_incremental_reextract_exports_only_what_a_fix_changed(warc_crawl, site, tmp_path):
    """A first run with a "bug" (the text-cleaning pipeline left out), then the fix (the
    project's pipelines): the second run exports exactly the articles the fix changed, with
    revision 2, now equal to the crawl's; the others are unchanged and not exported."""
    data_dir = tmp_path / "data"
    settings = ["-s", f"NEWSBOT_DATA_DIR={data_dir}", "-s", f"NEWSBOT_SITE_URL={site.url}",
                "-s", "NEWSBOT_INCREMENTAL=True"]
    buggy_pipelines = {path: order for path, order in project_settings.ITEM_PIPELINES.items()
                       if path != CLEAN_TEXT_PIPELINE}
    first = reextract(str(warc_crawl.warc), *settings, "-s", f"ITEM_PIPELINES={json.dumps(buggy_pipelines)}")
    assert first.returncode == 0, first.stderr[-3000:]
    first_items, first_manifest = run_file(data_dir)
    assert {item["revision"] for item in first_items} == {1}
    assert first_manifest["counts"]["new"] == len(first_items) == len(warc_crawl.items)
    crawled = without_scraped_at(warc_crawl.items)
    buggy = without_scraped_at(first_items)
    repaired = {article_id for article_id, item in buggy.items() if item != crawled[article_id]}
    assert repaired and len(repaired) < len(buggy)  # the fix matters, and not everywhere
    first_runs = manifests(data_dir)
    second = reextract(str(warc_crawl.warc), *settings)
    assert second.returncode == 0, second.stderr[-3000:]
    items, manifest = run_file(data_dir, before=first_runs)
    assert {item["article_id"]: item["revision"] for item in items} == dict.fromkeys(repaired, 2)
    for article_id, item in without_scraped_at(items).items():
        assert {**item, "revision": 1} == crawled[article_id]
    assert manifest["counts"]["updated"] == len(repaired)
    assert manifest["counts"]["unchanged"] == len(first_items) - len(repaired)


# --- failures ----------------------------------------------------------------------------------

def test_missing_archive_is_a_clear_error(tmp_path):
    missing = tmp_path / "nowhere.warc.gz"
    done = reextract(str(missing), "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == EXIT_UNREADABLE
    assert f"cannot read {missing}" in done.stderr and "No such file" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()  # nothing written


def test_a_file_that_is_not_a_warc_is_a_clear_error(tmp_path):
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"<html>not an archive</html>\n"))
    done = reextract(str(junk), "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == EXIT_UNREADABLE
    assert f"cannot read {junk}: not a WARC archive" in done.stderr
    assert not (tmp_path / "data").exists()


def test_no_archive_is_a_usage_error(tmp_path):
    done = reextract("-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == EXIT_USAGE
    assert "WARC" in done.stderr


def test_a_bad_site_url_is_a_configuration_error(tmp_path):
    done = reextract(str(tmp_path / "any.warc.gz"), "-s", "NEWSBOT_SITE_URL=ftp://example.org",
                     "-s", f"NEWSBOT_DATA_DIR={tmp_path / 'data'}")
    assert done.returncode == EXIT_BAD_CONFIGURATION
    assert "NEWSBOT_SITE_URL" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.e2e
def test_incremental_reextract_with_a_bad_state_stops_in_one_line_and_writes_nothing(warc_crawl, site, tmp_path):
    data_dir = tmp_path / "data"
    (data_dir).mkdir()
    state = data_dir / "state.sqlite3"
    state.write_text('{"articles": []}\n', encoding="utf-8")  # not SQLite
    done = reextract(str(warc_crawl.warc), "-s", f"NEWSBOT_DATA_DIR={data_dir}", "-s", f"NEWSBOT_SITE_URL={site.url}",
                     "-s", "NEWSBOT_INCREMENTAL=True")
    [line] = done.stderr.strip().splitlines()
    assert done.returncode == EXIT_BAD_STATE
    assert line.startswith("newsbot: ") and str(state) in line and "Traceback" not in done.stderr
    assert not (data_dir / "runs").exists()  # no run file, no manifest
    assert state.read_text(encoding="utf-8") == '{"articles": []}\n'
