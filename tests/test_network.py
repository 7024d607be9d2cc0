"""newsbot.network: which kind of network failure a download exception is, and the log
filter that keeps such failures to one line."""

from __future__ import annotations

import logging

import pytest
from OpenSSL import SSL
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as tx_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from newsbot.network import network_error_kind, one_line_network_errors


def wrapped(outer: BaseException, inner: BaseException) -> BaseException:
    """``outer`` raised from ``inner``, as Scrapy wraps Twisted's exceptions."""
    try:
        try:
            raise inner
        except BaseException as cause:
            raise outer from cause
    except BaseException as error:
        return error


def tls_failure() -> Failure:
    try:
        raise SSL.Error([("SSL routines", "", "wrong version number")])
    except SSL.Error:
        return Failure()


KINDS = [
    (CannotResolveHostError("DNS lookup failed"), "dns"),
    (tx_error.DNSLookupError("nonexistent.invalid"), "dns"),
    (DownloadConnectionRefusedError("refused"), "connection_refused"),
    (tx_error.ConnectionRefusedError(), "connection_refused"),
    (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
    (tx_error.TCPTimedOutError(), "timeout"),
    (wrapped(DownloadFailedError("failed"), ResponseNeverReceived([tls_failure()])), "tls"),
    (ResponseNeverReceived([tls_failure()]), "tls"),
    (DownloadFailedError("connection lost"), "connection_lost"),
    (ResponseDataLossError("data loss"), "connection_lost"),
    (tx_error.ConnectionLost(), "connection_lost"),
    (ConnectionResetError(), "connection_lost"),
    (IgnoreRequest("robots.txt"), None),
    (ValueError("a bug"), None),
]


@pytest.mark.parametrize(("exception", "kind"), KINDS, ids=[f"{type(e).__name__}-{k}" for e, k in KINDS])
def test_network_error_kind(exception, kind):
    assert network_error_kind(exception) == kind


def record(exception: BaseException, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord("scrapy.downloadermiddlewares.robotstxt", level, __file__, 1,
                             "Error downloading %s", ("<GET http://nonexistent.invalid/robots.txt>",),
                             (type(exception), exception, None))


def test_a_network_failure_is_logged_as_one_warning_line():
    entry = record(CannotResolveHostError("DNS lookup failed"))
    assert one_line_network_errors(entry)
    assert entry.levelno == logging.WARNING and entry.exc_info is None


def test_other_errors_keep_their_traceback():
    entry = record(ValueError("a bug"))
    assert one_line_network_errors(entry)
    assert entry.levelno == logging.ERROR and entry.exc_info is not None
