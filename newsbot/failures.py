"""Why a request ended without a response to parse: one reason per failure (README table).

``failure_reason()`` maps a Twisted ``Failure`` from an errback to ``(reason, detail)``; it
is used for article requests (the rejects file) and discovery pages alike. Network failures
are named by ``newsbot.network.network_error_kind`` (one place for those names).
"""

from __future__ import annotations

from scrapy.exceptions import DownloadCancelledError, IgnoreRequest, ResponseDataLossError
from scrapy.spidermiddlewares.httperror import HttpError

from newsbot.network import network_error_kind

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
    if failure.check(ResponseDataLossError):  # fewer bytes than announced, or a chunk missing
        return "truncated", f"the connection closed before the whole body arrived: {text}"
    # dns, connection_refused, timeout, tls, connection_lost: named by newsbot.network
    return network_error_kind(error) or "download_error", text
