"""Checks made before a crawl starts, so that a mistake is one clear line, not a broken run.

``check_configuration`` reads every setting and spider argument newsbot uses and raises
``BadConfiguration`` (exit 78) for one that cannot work: an unknown time zone, a share
outside 0..1, a count that is not a whole number, a misspelt ``NEWSBOT_`` setting, a path
template with an unknown placeholder, a start URL that is not a page of the site. It
changes nothing on disk.

``check_writable`` then makes sure every place the run will write to can be written:
the output feeds, the data dir's files (state, run files, logs, lock, rejects, stats,
WARC). It writes and removes a one-byte probe file in the nearest existing directory of
each (creating nothing else), and raises ``CannotWrite``: exit 73, or 74 when the disk is
full.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import newsbot.settings as base_settings
from newsbot.frontier import RevisitPolicy
from newsbot.workers import check_settings as check_worker_settings
from newsbot.health import Thresholds, is_disk_full
from newsbot.paths import data_dir, lock_path, logs_dir, runs_dir, state_path
from newsbot.urls import SiteRules
from newsbot.workers import check_settings as check_worker_settings

EXIT_CANNOT_WRITE = 73  # EX_CANTCREAT
EXIT_DISK_FULL = 74  # EX_IOERR
EXIT_BAD_CONFIGURATION = 78  # EX_CONFIG

# Settings set by the crawl command itself, not in newsbot/settings.
INTERNAL_SETTINGS = frozenset({"NEWSBOT_RUN_ID"})
BOOLEANS = ("NEWSBOT_INCREMENTAL", "NEWSBOT_RUN_FILES", "NEWSBOT_RUN_GZIP", "NEWSBOT_RUN_LOCK",
            "NEWSBOT_RUN_LOG", "NEWSBOT_HEALTH_ENABLED", "NEWSBOT_WARC_ENABLED",
            "NEWSBOT_REJECTS_ENABLED", "ROBOTSTXT_OBEY", "AUTOTHROTTLE_ENABLED", "HTTPCACHE_ENABLED")
# (setting, least value): whole numbers.
INTEGERS = (("NEWSBOT_SYNC_ITEMS", 1), ("CONCURRENT_REQUESTS", 1), ("CONCURRENT_REQUESTS_PER_DOMAIN", 1),
            ("RETRY_TIMES", 0), ("DOWNLOAD_MAXSIZE", 0), ("DOWNLOAD_WARNSIZE", 0),
            ("CLOSESPIDER_ITEMCOUNT", 0), ("CLOSESPIDER_PAGECOUNT", 0), ("CLOSESPIDER_ERRORCOUNT", 0))
# (setting, least value, whether the least value itself is allowed): numbers.
NUMBERS = (("NEWSBOT_SYNC_SECONDS", 0, False), ("NEWSBOT_REFRESH_AGE_HOURS", 0, False),
           ("DOWNLOAD_DELAY", 0, True), ("DOWNLOAD_TIMEOUT", 0, False),
           ("AUTOTHROTTLE_START_DELAY", 0, True), ("AUTOTHROTTLE_MAX_DELAY", 0, True),
           ("AUTOTHROTTLE_TARGET_CONCURRENCY", 0, False), ("CLOSESPIDER_TIMEOUT", 0, True))
PATH_TEMPLATES = ("NEWSBOT_REJECTS_PATH", "NEWSBOT_STATS_PATH", "NEWSBOT_WARC_PATH", "NEWSBOT_DEFAULT_FEED")
PLACEHOLDERS = frozenset({"name", "time", "data_dir"})
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class BadConfiguration(Exception):
    """A setting or spider argument that cannot work."""

    exit_code = EXIT_BAD_CONFIGURATION

    @property
    def line(self) -> str:
        return f"bad configuration: {self}"


class CannotWrite(Exception):
    """A place the run must write to cannot be written."""

    def __init__(self, what: str, path: Path | str, error: BaseException):
        self.what, self.path, self.error = what, str(path), error
        self.exit_code = EXIT_DISK_FULL if is_disk_full(error) else EXIT_CANNOT_WRITE
        super().__init__(f"{what} not writable: {path}: {_reason(error)}")

    @property
    def line(self) -> str:
        if self.exit_code == EXIT_DISK_FULL:
            return f"disk full: cannot write {self.what} {self.path}: {_reason(self.error)}"
        return str(self)


def check_configuration(settings, spider_class, spider_arguments: dict) -> None:
    try:
        site = SiteRules(settings.get("NEWSBOT_SITE_URL"))
        _check_timezone(settings.get("NEWSBOT_TIMEZONE"))
        Thresholds.from_settings(settings)
        _check_known(settings)
        for name in BOOLEANS:
            _setting(name, settings.getbool, name)
        for name, least in INTEGERS:
            if settings.get(name) is not None and _setting(name, settings.getint, name) < least:
                raise ValueError(f"{name} must be at least {least}, got {settings.get(name)!r}")
        for name, least, inclusive in NUMBERS:
            if settings.get(name) is None:
                continue
            value = _setting(name, settings.getfloat, name)
            if value != value or value < least or (value == least and not inclusive):
                raise ValueError(f"{name} must be {'at least' if inclusive else 'more than'} {least}, "
                                 f"got {settings.get(name)!r}")
        for name in PATH_TEMPLATES:
            _check_template(name, settings.get(name) or "")
        check_worker_settings(settings)
        RevisitPolicy.from_settings(settings)
        spider = spider_class(**spider_arguments)  # the spider checks its own arguments
        for url in getattr(spider, "start_urls", None) or ():
            if site.canonical(url) is None:
                raise ValueError(f"-a start_urls: {url!r} is not a page of {site.root}")
    except (ValueError, TypeError) as error:
        raise BadConfiguration(str(error)) from None


def check_writable(settings, spider_name: str) -> None:
    """Raise ``CannotWrite`` for the first place the run would write to and cannot."""
    for what, path in _written_paths(settings, spider_name):
        _probe(what, path)


def _check_timezone(name) -> None:
    try:
        ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"NEWSBOT_TIMEZONE: {name!r} is not a known time zone "
                         f"(an IANA name like Europe/Istanbul)") from None


def _check_known(settings) -> None:
    known = {name for name in vars(base_settings) if name.startswith("NEWSBOT_")} | INTERNAL_SETTINGS
    for name, _ in settings.items():
        if name.startswith("NEWSBOT_") and name not in known:
            raise ValueError(f"unknown setting {name} (see newsbot/settings/__init__.py)")


def _check_template(name: str, template: str) -> None:
    unknown = sorted(set(PLACEHOLDER.findall(template)) - PLACEHOLDERS)
    if unknown:
        raise ValueError(f"{name}: unknown placeholder(s) {', '.join(unknown)} in {template!r} "
                         f"(known: %(name)s, %(time)s, %(data_dir)s)")


def _setting(name: str, getter, key: str):
    try:
        return getter(key)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: {getter.__self__.get(key)!r} is not valid "
                         f"({getter.__name__.removeprefix('get')} expected)") from None


def _written_paths(settings, spider_name: str) -> list[tuple[str, Path]]:
    def render(template: str) -> Path:
        values = {"name": spider_name, "time": "<time>", "data_dir": str(data_dir(settings))}
        return Path(PLACEHOLDER.sub(lambda match: values.get(match.group(1), "0"), template))

    paths = []
    for uri in settings.getdict("FEEDS"):
        parts = urlsplit(str(uri))
        if parts.scheme in ("", "file") or len(parts.scheme) == 1:  # a path (or a drive letter)
            paths.append(("output", render(parts.path if parts.scheme == "file" else str(uri))))
    if settings.getbool("NEWSBOT_INCREMENTAL") and not os.path.lexists(state_path(settings)):
        paths.append(("state", state_path(settings)))  # an existing one: open_checked_state
    if settings.getbool("NEWSBOT_RUN_FILES"):
        paths.append(("run files", runs_dir(settings) / "<run id>.jsonl"))
    if settings.getbool("NEWSBOT_RUN_LOCK"):
        paths.append(("lock", lock_path(settings)))
    if settings.getbool("NEWSBOT_RUN_LOG"):
        paths.append(("log", logs_dir(settings) / "<run id>.log"))
    if settings.getbool("NEWSBOT_REJECTS_ENABLED", True):
        paths.append(("rejects file", render(settings.get("NEWSBOT_REJECTS_PATH") or "")))
    if settings.get("NEWSBOT_STATS_PATH"):
        paths.append(("stats file", render(settings.get("NEWSBOT_STATS_PATH"))))
    if settings.getbool("NEWSBOT_WARC_ENABLED"):
        paths.append(("WARC archive", render(settings.get("NEWSBOT_WARC_PATH") or "")))
    return paths


def _probe(what: str, path: Path) -> None:
    """Write one byte next to ``path``, in its nearest existing directory, then remove it."""
    if path.is_dir():
        raise CannotWrite(what, path, IsADirectoryError("it is a directory"))
    directory = path.parent
    while not directory.exists() and directory != directory.parent:
        directory = directory.parent
    try:
        if not directory.is_dir():
            raise NotADirectoryError(f"{directory} is not a directory")
        fd, probe = tempfile.mkstemp(prefix=".newsbot-probe-", dir=directory)
        try:
            os.write(fd, b"x")
            os.fsync(fd)
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as error:
        raise CannotWrite(what, path, error) from error


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)
