"""``scrapy crawl``, with a verdict at the end and exit codes that say how the run went.

Scrapy's own ``crawl`` exits 0 even when the site answered nothing but errors. This one
(same options) also:

* writes to ``NEWSBOT_DEFAULT_FEED`` when no ``-o``/``-O`` is given (and only then);
* checks the configuration first: a bad setting or spider argument exits 78 with one line,
  an output or data dir that cannot be written 73 (74: the disk is full), before any request;
* refuses to start while another scheduled run holds the lock (``NEWSBOT_RUN_LOCK``, on
  in the cron profile): one line naming the running one, exit 75, nothing touched;
* opens and checks the incremental state (``NEWSBOT_INCREMENTAL``) before any request: a
  corrupt, truncated, foreign or unreadable state file exits 65 with one line, untouched;
* writes the log of a locked run under ``<data dir>/logs/<run id>.log`` (cron profile);
* ends every run, whatever the profile, with a verdict: exit 0 only when the output was
  written and articles were discovered; otherwise one line on stderr and a code below.

Exit codes: 0 ok, 1 crashed or could not start, 2 usage error, 3 unhealthy (the checks
failed: see the line), 65 the state file (or the Redis state of NEWSBOT_REDIS_URL) is unusable, 69 the site could not be reached,
73 output not writable, 74 disk full, 75 another run is going, 78 bad configuration,
130 interrupted (SIGINT or SIGTERM).
"""

from __future__ import annotations

import logging
import sqlite3
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsbot.commands._usage import StrictOptions
from newsbot.configuration import (
    EXIT_BAD_CONFIGURATION,
    EXIT_CANNOT_WRITE,
    EXIT_DISK_FULL,
    BadConfiguration,
    CannotWrite,
    check_configuration,
    check_writable,
)
from newsbot.health import DISK_FULL, FIRST_ERROR, Thresholds, is_disk_full, judge, unreachable
from newsbot.lock import EXIT_LOCKED, take_run_lock
from newsbot.paths import lock_path, logs_dir, state_path
from newsbot.runfile import new_run_id
from newsbot.state import EXIT_BAD_STATE, BadState, attach_state, open_checked_state
from newsbot.urls import SiteRules
from newsbot.workers import SharedStateError, check_shared_state, open_state, redis_url, run_suffix

logger = logging.getLogger("newsbot")

EXIT_CRASHED = 1
EXIT_UNHEALTHY = 3
EXIT_UNREACHABLE = 69  # EX_UNAVAILABLE
EXIT_INTERRUPTED = 130  # 128 + SIGINT
__all__ = ["EXIT_BAD_CONFIGURATION", "EXIT_CANNOT_WRITE", "EXIT_DISK_FULL", "Command"]


# Where a write that failed on a full disk is logged with its traceback, once per item.
DISK_FULL_LOGGERS = ("scrapy.utils.signal", "scrapy.extensions.feedexport", "scrapy.core.scraper",
                     "newsbot.extensions.runfiles")


def one_line_when_disk_full(record: logging.LogRecord) -> bool:
    """A logging filter: a write that failed because the disk is full is one line, without
    its traceback (the same one for every item)."""
    error = record.exc_info[1] if record.exc_info else None
    if error is not None and is_disk_full(error):
        record.msg, record.args = f"{record.getMessage()}: {error}", ()
        record.exc_info = record.exc_text = None
    return True


class Command(StrictOptions, ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return super().long_desc() + "\n\n" + __doc__.split("\n\n", 1)[1]

    def process_options(self, args: list[str], opts) -> None:
        super().process_options(args, opts)
        default_feed = self.settings.get("NEWSBOT_DEFAULT_FEED")
        if default_feed and not (opts.output or opts.overwrite_output) and not self.settings.getdict("FEEDS"):
            self.settings.set("FEEDS", {default_feed: {"format": "jsonlines", "encoding": "utf-8"}},
                              priority="project")

    def run(self, args: list[str], opts) -> None:
        if len(args) != 1:
            raise UsageError("give exactly one spider name")
        spider_name = args[0]
        try:
            spider_class = self.crawler_process.spider_loader.load(spider_name)
        except KeyError:
            raise UsageError(f"Spider not found: {spider_name}") from None
        try:
            check_configuration(self.settings, spider_class, opts.spargs)
            check_writable(self.settings, spider_class.name)
        except (BadConfiguration, CannotWrite) as error:
            self.fail(error.exit_code, error.line, log=False)
            return
        lock = None
        if self.settings.getbool("NEWSBOT_RUN_LOCK"):
            run_id = new_run_id(suffix=run_suffix(self.settings))
            try:
                lock = take_run_lock(self.settings, run_id)
                if lock is None:
                    self.exitcode = EXIT_LOCKED
                    return
                self.settings.set("NEWSBOT_RUN_ID", run_id, priority="cmdline")
                if not self.settings.get("LOG_FILE") and self.settings.getbool("NEWSBOT_RUN_LOG"):
                    log_file = logs_dir(self.settings) / f"{run_id}.log"
                    log_file.parent.mkdir(parents=True, exist_ok=True)
                    self.settings.set("LOG_FILE", str(log_file), priority="cmdline")
            except OSError as error:
                failure = (CannotWrite("lock", lock_path(self.settings), error) if lock is None
                           else CannotWrite("log", logs_dir(self.settings), error))
                self.fail(failure.exit_code, failure.line, log=False)
                if lock is not None:
                    lock.release()
                return
        store = None
        try:
            if redis_url(self.settings):
                try:
                    check_shared_state(self.settings)
                except SharedStateError as error:  # Redis unreachable, or it lost the state
                    self.fail(EXIT_BAD_STATE, str(error), log=False)
                    return
                except CannotWrite as error:
                    self.fail(error.exit_code, error.line, log=False)
                    return
            if self.settings.getbool("NEWSBOT_INCREMENTAL"):
                try:
                    store = open_state(self.settings)
                except BadState as error:
                    self.fail(EXIT_BAD_STATE, str(error), log=False)
                    return
            self.crawl(spider_class, opts.spargs, store)
        finally:
            if store is not None:
                store.close()
            if lock is not None:
                lock.release()

    def crawl(self, spider_class, spider_arguments: dict, store) -> None:
        if self.settings.get("LOG_FILE"):
            # A log file on a full disk would make logging print a traceback to stderr for
            # every record; the run's own writes fail too and the verdict says so in one line.
            logging.raiseExceptions = False
        for name in DISK_FULL_LOGGERS:
            logging.getLogger(name).addFilter(one_line_when_disk_full)
        startup_errors: list[BaseException] = []
        crawler = self.crawler_process.create_crawler(spider_class)
        if store is not None:
            attach_state(crawler, store)
        running = self.crawler_process.crawl(crawler, **spider_arguments)
        if hasattr(running, "add_done_callback"):  # an asyncio task (AsyncCrawlerProcess)
            running.add_done_callback(
                lambda task: task.cancelled() or task.exception() is None
                or startup_errors.append(task.exception()))
        else:  # a Deferred (CrawlerProcess)
            running.addErrback(lambda failure: startup_errors.append(failure.value))
        self.crawler_process.start()
        if startup_errors:
            code, line = self.startup_failure(startup_errors[0])
            self.fail(code, line)
        elif self.crawler_process.bootstrap_failed:
            self.fail(EXIT_CRASHED, "the crawl could not start (see the log)")
        else:
            self.exitcode = self.verdict(crawler)

    def startup_failure(self, error: BaseException) -> tuple[int, str]:
        """Exit code and line for an exception raised while the crawl was starting."""
        known = getattr(error, "exit_code", None) is not None and getattr(error, "line", None)
        if known:
            code, line = error.exit_code, error.line
        elif is_disk_full(error):
            code, line = EXIT_DISK_FULL, f"disk full: {error}"
        elif isinstance(error, (ImportError, NameError)):  # a component path in the settings
            code, line = EXIT_BAD_CONFIGURATION, f"bad configuration: cannot load a component: {error}"
        elif isinstance(error, sqlite3.DatabaseError):
            path = state_path(self.settings)
            code, line = EXIT_BAD_STATE, (f"state unusable: {path}: {error} (restore a backup, or "
                                      f"`scrapy state reset --yes` to start again)")
        else:
            code, line = EXIT_CRASHED, f"could not start: {type(error).__name__}: {error}"
        # A known cause is its one line; anything else is a bug: its traceback goes in the log.
        exc_info = (type(error), error, error.__traceback__)
        logger.log(logging.ERROR if code == EXIT_CRASHED else logging.DEBUG,
                   "The crawl could not start", exc_info=exc_info)
        return code, line

    def verdict(self, crawler) -> int:
        """The exit code of a crawl that ran, from its final stats; one line when not 0."""
        stats = crawler.stats.get_stats()
        settings = crawler.settings
        finish_reason = stats.get("finish_reason")
        host = SiteRules(settings.get("NEWSBOT_SITE_URL")).netloc
        failed_feeds = sum(value for key, value in stats.items() if key.startswith("feedexport/failed_count/"))
        cause = unreachable(stats)
        if stats.get(DISK_FULL):
            return self.fail(EXIT_DISK_FULL, f"disk full: {stats.get(FIRST_ERROR)}")
        if failed_feeds:
            try:  # why: the feed exporter only logs it; a full disk is still full now
                check_writable(settings, crawler.spider.name)
            except CannotWrite as error:
                return self.fail(error.exit_code, error.line)
            feeds = ", ".join(str(uri) for uri in settings.getdict("FEEDS"))
            return self.fail(EXIT_CANNOT_WRITE, f"output not written: {feeds} (see the log)")
        if finish_reason in (None, "shutdown"):
            return self.fail(EXIT_INTERRUPTED,
                             f"interrupted: {stats.get('item_scraped_count', 0)} articles written")
        if cause and not stats.get("newsbot/discovery/article_links"):
            return self.fail(EXIT_UNREACHABLE, f"cannot reach {host}: {cause}")
        if "newsbot/health/verdict" in stats:  # judged by the health check (cron profile)
            reasons = stats.get("newsbot/health/reasons") or []
        else:
            reasons = judge(stats, finish_reason, Thresholds(), host=host, gates=False).reasons
        if reasons:
            for reason in reasons:
                logger.error("UNHEALTHY: %s", reason)
            return self.fail(EXIT_UNHEALTHY, f"run unhealthy: {'; '.join(reasons)}", log=False)
        return 0

    def fail(self, code: int, line: str, log: bool = True) -> int:
        """Exit with ``code``, saying why in one line on stderr (and, once the crawl has
        run, as the last line of the log)."""
        if log:
            logger.error("UNHEALTHY: %s", line)
        print("newsbot: " + " ".join(line.split()), file=sys.stderr)  # one line, whatever the cause
        self.exitcode = code
        return code
