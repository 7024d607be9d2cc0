"""Network failures, classified: a crawl that could not reach the site says why.

``network_error_kind()`` names what went wrong with a download (``dns``,
``connection_refused``, ``timeout``, ``tls``, ``connection_lost``: the names of the
rejection reasons of article requests that failed so); ``NetworkErrors``, a downloader middleware, counts
the final outcome of every download, after the retries: ``newsbot/network/requests`` (each
request that got an answer or failed for good) and ``newsbot/network/<kind>``. The health
check and the ``crawl`` command read them (``newsbot.health.unreachable``), the run
manifest lists them under ``network_errors``.

It also keeps such failures to one line in the log: Scrapy's robots.txt middleware logs a
failed robots.txt download with its whole traceback (80 lines for a DNS failure), which a
filter here turns into one WARNING line, the traceback going to DEBUG.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from twisted.internet import error as tx_error
from twisted.web._newclient import ResponseFailed

NETWORK_PREFIX = "newsbot/network/"
NETWORK_REQUESTS = NETWORK_PREFIX + "requests"
# What each kind says in a sentence ("DNS lookup failed for 4 of 4 requests").
KIND_TEXT = {
    "dns": "DNS lookup failed",
    "connection_refused": "connection refused",
    "timeout": "timed out",
    "tls": "TLS handshake failed",
    "connection_lost": "connection lost",
}
ROBOTSTXT_LOGGER = "scrapy.downloadermiddlewares.robotstxt"

_KINDS = (
    ("dns", (CannotResolveHostError, tx_error.DNSLookupError)),
    ("connection_refused", (DownloadConnectionRefusedError, tx_error.ConnectionRefusedError)),
    ("timeout", (DownloadTimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError, TimeoutError)),
    ("connection_lost", (DownloadFailedError, ResponseDataLossError, ResponseFailed,
                    tx_error.ConnectionDone, tx_error.ConnectionLost, tx_error.ConnectError,
                    ConnectionError)),
)


def network_error_kind(exception: BaseException) -> str | None:
    """``dns``, ``connection_refused``, ``timeout``, ``tls`` or ``connection_lost`` for a
    download that failed on the network, None for anything else (an ignored request, a bug)."""
    if _is_tls(exception):
        return "tls"
    for kind, classes in _KINDS:
        if isinstance(exception, classes):
            return kind
    return None


def _is_tls(exception: BaseException, depth: int = 0) -> bool:
    """TLS failures come wrapped (``DownloadFailedError`` from ``ResponseNeverReceived``
    whose ``reasons`` hold an ``OpenSSL.SSL.Error``): look through causes and reasons."""
    if exception is None or depth > 5:
        return False
    if type(exception).__module__.startswith(("OpenSSL", "ssl")) or isinstance(exception, tx_error.SSLError):
        return True
    inner = [exception.__cause__, exception.__context__,
             *(getattr(reason, "value", None) for reason in getattr(exception, "reasons", None) or ())]
    return any(_is_tls(e, depth + 1) for e in inner if e is not None)


class NetworkErrors:
    """Downloader middleware, placed just under ``RetryMiddleware`` (550): it sees what is
    left once retries are over, so one request counts once."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        logging.getLogger(ROBOTSTXT_LOGGER).addFilter(one_line_network_errors)
        return cls(crawler.stats)

    def process_response(self, request, response):
        self.stats.inc_value(NETWORK_REQUESTS)
        return response

    def process_exception(self, request, exception):
        kind = network_error_kind(exception)
        if kind is not None:
            self.stats.inc_value(NETWORK_REQUESTS)
            self.stats.inc_value(NETWORK_PREFIX + kind)
        return None


def one_line_network_errors(record: logging.LogRecord) -> bool:
    """A logging filter: a network failure logged with its traceback becomes one WARNING
    line; the traceback is logged again at DEBUG."""
    error = record.exc_info[1] if record.exc_info else None
    if record.levelno < logging.WARNING or error is None or network_error_kind(error) is None:
        return True
    logging.getLogger(record.name).debug("Traceback of: %s", record.getMessage(), exc_info=record.exc_info)
    record.exc_info = None
    record.exc_text = None
    record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


def network_counts(stats) -> dict[str, int]:
    """``{kind: count}`` of the network failures in final stats."""
    return {key[len(NETWORK_PREFIX):]: int(value) for key, value in stats.items()
            if key.startswith(NETWORK_PREFIX) and key != NETWORK_REQUESTS and value}
