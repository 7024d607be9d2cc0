"""A raw archive of every article response, in WARC, so articles can be re-extracted later
without crawling again (``scrapy reextract``).

Off unless ``NEWSBOT_WARC_ENABLED``. The archive goes to ``NEWSBOT_WARC_PATH`` (default
``%(data_dir)s/warc/%(name)s-%(time)s.warc.gz``, rendered like the rejects path), opened on
the first article response, so a crawl that downloads no article leaves no file. It holds
a ``warcinfo`` record naming newsbot and its version, then, for every response to an
article request (``meta["newsbot_article"]``) that reaches Scrapy's ``response_received``
signal, whatever its status (a 404 or a 500 too: the archive shows what the site answered),
a ``response`` record and its ``request`` record (``WARC-Concurrent-To`` the response).
Redirects are followed inside the downloader, so what arrives there, and is archived, is
the final answer under its final URL; the page that redirected is in the request log only.
With ``HTTPCACHE_ENABLED`` a cached answer is archived when it is replayed, with that time.

The response record is the HTTP message as Scrapy handed it to the spider, not the bytes on
the wire: Scrapy has already removed the chunked framing and decoded the compression it
knows (and removed those codings from ``Content-Encoding``). So the body is written as is,
``Transfer-Encoding`` is dropped, ``Content-Length`` is rewritten to the body's length, and
``Content-Encoding`` is kept exactly as Scrapy left it: absent when Scrapy decoded the body,
present only for a coding Scrapy could not decode, which the body then still has. Every
record is thereby self-consistent: a reader that honours the headers (warcio's
``record.content_stream()``, a replay tool) gets back exactly the bytes the crawl extracted
from, where a ``gzip`` header over a plain body would leave it to guess or fail. Keeping
the wire bytes would need a downloader hook below Scrapy's decompression, for no gain to
re-extraction.

``WARC-Date`` is the time the response reached the engine (the fetch time; Scrapy keeps
none of its own). Each record is one gzip member, written and flushed at once, so the
archive of a killed run is readable up to its last whole record (``scrapy reextract``
reports a cut-short last record). Flushed, not fsynced: a killed process loses nothing
flushed; only a machine crash could, and re-crawling recovers that.

Counted in ``newsbot/warc/records`` (every record written, the warcinfo too). A failure to
write (disk full, unwritable path) never stops the crawl; it stops the archive, which stays
readable up to its last whole record: counted in ``newsbot/warc/errors`` and
``newsbot/errors`` (the health check then fails a judged run), and every article response
not archived in ``newsbot/warc/not_archived``.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newsbot import __version__
from newsbot.extensions import output_path
from newsbot.middlewares import ARTICLE_META

logger = logging.getLogger(__name__)

DEFAULT_PATH = "%(data_dir)s/warc/%(name)s-%(time)s.warc.gz"
DEFAULT_PROTOCOL = "HTTP/1.1"
# Headers that described the wire encoding of a body Scrapy has already decoded.
DROPPED_HEADERS = frozenset({"transfer-encoding", "content-length"})
WARC_FORMAT = "WARC File Format 1.0"
WARCINFO_SITE_URL = "newsbot-site-url"  # the crawl's NEWSBOT_SITE_URL, for `scrapy reextract`
WARCINFO_DESCRIPTION = ("newsbot article responses as Scrapy received them: bodies decoded from "
                        "Content-Encoding, Content-Length rewritten to match")


class WarcArchive:
    def __init__(self, crawler, path_template: str):
        self.crawler = crawler
        self.path_template = path_template
        self.path: Path | None = None
        self.file = None
        self.writer: WARCWriter | None = None
        self.records = 0
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("NEWSBOT_WARC_ENABLED", False):
            raise NotConfigured()  # no message: Scrapy would log "Disabled ..." as a WARNING
        extension = cls(crawler, crawler.settings.get("NEWSBOT_WARC_PATH") or DEFAULT_PATH)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_received(self, response, request, spider=None):
        if not request.meta.get(ARTICLE_META):
            return
        if self.failed:
            self.crawler.stats.inc_value("newsbot/warc/not_archived")
            return
        fetched = datetime.now(timezone.utc)
        try:
            if self.writer is None:
                self.open()
            self.write_pair(response, request, fetched)
        except Exception:  # disk full, unwritable path: count it, keep crawling
            self.crawler.stats.inc_value("newsbot/warc/errors")
            self.crawler.stats.inc_value("newsbot/warc/not_archived")
            self.crawler.stats.inc_value("newsbot/errors")
            logger.exception("WARC archive %s: could not write %s; archiving stopped", self.path, response.url)
            self.stop()

    def open(self) -> None:
        self.path = output_path(self.path_template, self.crawler)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("ab")
        self.writer = WARCWriter(self.file, gzip=True)
        settings = self.crawler.settings
        info = {
            "software": f"newsbot/{__version__} (warcio/{version('warcio')})",
            "format": WARC_FORMAT,
            "isPartOf": self.crawler.spider.name,
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT"),
            "description": WARCINFO_DESCRIPTION,
            WARCINFO_SITE_URL: settings.get("NEWSBOT_SITE_URL"),
        }
        self.write(self.writer.create_warcinfo_record(self.path.name, info))
        logger.info("Archiving article responses in %s", self.path)

    def write_pair(self, response, request, fetched: datetime) -> None:
        warc_headers = {"WARC-Date": datetime_to_iso_date(fetched.replace(tzinfo=None))}
        if getattr(response, "ip_address", None) is not None:
            warc_headers["WARC-IP-Address"] = str(response.ip_address)
        body = response.body
        status_line = response_status_message(response.status)
        headers = [*wire_headers(response.headers), ("Content-Length", str(len(body)))]
        response_record = self.writer.create_warc_record(
            response.url, "response", payload=io.BytesIO(body), length=len(body),
            warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(status_line, headers, protocol=response.protocol or DEFAULT_PROTOCOL))
        request_record = self.writer.create_warc_record(
            request.url, "request", payload=io.BytesIO(request.body), length=len(request.body),
            http_headers=StatusAndHeaders(request_line(request), request_headers(request),
                                          is_http_request=True))
        # The response first, then its request pointing to it (warcio's order).
        self.writer.write_request_response_pair(request_record, response_record)
        self.count(2)

    def write(self, record) -> None:
        self.writer.write_record(record)  # one gzip member, flushed
        self.count(1)

    def count(self, records: int) -> None:
        self.records += records
        self.crawler.stats.inc_value("newsbot/warc/records", records)

    def stop(self) -> None:
        """After a failed write nothing more is appended: a record after a half-written one
        could not be reached by readers, and the archive stays readable up to the failure."""
        self.failed = True
        if self.file is not None:
            try:
                self.file.close()
            except OSError:
                pass
            self.file = None

    def spider_closed(self, spider, reason):
        if self.file is None:
            return
        self.file.close()
        self.file = None
        logger.info("%d WARC record(s) written to %s", self.records, self.path)


def wire_headers(headers) -> list[tuple[str, str]]:
    """Scrapy's headers as (name, value) pairs, one per value, without ``DROPPED_HEADERS``.

    Header bytes are decoded as ISO-8859-1 (HTTP's own charset: any byte decodes); warcio
    %-encodes the rare non-ASCII value when it writes the record."""
    pairs = []
    for name, values in headers.items():
        text = name.decode("latin-1")
        if text.lower() in DROPPED_HEADERS:
            continue
        pairs.extend((text, value.decode("latin-1")) for value in values)
    return pairs


def request_line(request) -> str:
    parts = urlparse_cached(request)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{request.method} {target} {DEFAULT_PROTOCOL}"


def request_headers(request) -> list[tuple[str, str]]:
    """The request's headers; ``Host`` added, since the HTTP client adds it after Scrapy."""
    headers = wire_headers(request.headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", urlparse_cached(request).netloc))
    if request.body:
        headers.append(("Content-Length", str(len(request.body))))
    return headers
