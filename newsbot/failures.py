"""Why a request ended without a response to parse: one reason per failure (README table).

``failure_reason()`` maps a Twisted ``Failure`` from an errback to ``(reason, detail)``; it
is used for article requests (the rejects file) and discovery pages alike.
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionDone,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TimeoutError as TxTimeoutError,
)

# Bytes received so far for a request (the ``bytes_received`` signal counts them): a
# chunked response cut at DOWNLOAD_MAXSIZE ends in a bare cancellation, told apart by this.
RECEIVED_META = "newsbot_received"

TOO_LARGE = "too_large"
REDIRECT_LOOP = "redirect_loop"
OFFSITE_REDIRECT = "offsite_redirect"
ROBOTS_DISALLOWED = "robots_disallowed"


class OffsiteRedirect(IgnoreRequest):
    """A redirect to another scheme, host or port than the site's (``newsbot.middlewares``)."""


def count_received(data: bytes, request, spider=None) -> None:
    """``bytes_received`` handler: how much of the body arrived so far."""
    request.meta[RECEIVED_META] = request.meta.get(RECEIVED_META, 0) + len(data)


def failure_reason(failure, maxsize: int) -> tuple[str, str]:
    """``(reason, detail)`` of a failed request."""
    error = failure.value
    text = f"{type(error).__name__}: {error}"
    if failure.check(HttpError):
        status = error.response.status
        return f"http_{status}", f"HTTP {status}"
    if failure.check(OffsiteRedirect):
        return OFFSITE_REDIRECT, str(error)
    if failure.check(IgnoreRequest):
        message = str(error)
        if "max redirections" in message:
            return REDIRECT_LOOP, f"more redirects than REDIRECT_MAX_TIMES: {message}"
        if "offsite" in message.lower():
            return OFFSITE_REDIRECT, message
        if "DOWNLOAD_MAXSIZE" in message:  # a compressed body over the cap once decoded
            return TOO_LARGE, message
        if "robots.txt" in message:
            return ROBOTS_DISALLOWED, message
        return "ignored", message
    received = getattr(failure, "request", None) and failure.request.meta.get(RECEIVED_META, 0)
    if failure.check(DownloadCancelledError):
        if "max size" in str(error) or (maxsize and (received or 0) > maxsize):
            return TOO_LARGE, str(error) or f"received {received} bytes, over DOWNLOAD_MAXSIZE {maxsize}"
        return "cancelled", text
    if failure.check(DownloadTimeoutError, TxTimeoutError):
        return "timeout", text
    if failure.check(CannotResolveHostError, DNSLookupError):
        return "dns", text
    if failure.check(DownloadConnectionRefusedError, ConnectionRefusedError):
        return "connection_refused", text
    if failure.check(ResponseDataLossError):
        return "truncated", f"the connection closed before the announced Content-Length: {text}"
    if failure.check(DownloadFailedError, ConnectionLost, ConnectionDone, ConnectError):
        return "connection_lost", text
    return "download_error", text
