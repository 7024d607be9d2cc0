"""``scrapy crawl``, with exit codes that say how the run went (for cron).

Scrapy's own ``crawl`` exits 0 even when the site answered nothing but errors. This one
(same options) also:

* writes to ``NEWSBOT_DEFAULT_FEED`` when no ``-o``/``-O`` is given (and only then);
* refuses to start while another scheduled run holds the lock (``NEWSBOT_RUN_LOCK``, on
  in the cron profile): one line naming the running one, exit 75, nothing touched;
* checks the configuration first: a bad setting or spider argument exits 78 with one line;
* opens and checks the incremental state (``NEWSBOT_INCREMENTAL``) before any request: a
  corrupt, truncated, foreign or unreadable state file exits 74 with one line, untouched;
* writes the log of a locked run under ``<data dir>/logs/<run id>.log`` (cron profile);
* exits 3 when the health check judged the run unhealthy, repeating the reasons last.

Exit codes: 0 healthy (or not judged), 1 crawl crashed, 2 usage error, 3 unhealthy,
69 Redis (NEWSBOT_REDIS_URL) unreachable or missing the shared state, 74 the state file
cannot be used, 75 another run is going, 78 bad configuration.
"""

from __future__ import annotations

import logging
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newsbot.configuration import BadConfiguration, check_configuration
from newsbot.runfile import new_run_id
from newsbot.lock import EXIT_LOCKED, take_run_lock
from newsbot.paths import logs_dir
from newsbot.state import BadState, EXIT_BAD_STATE, attach_state
from newsbot.workers import SharedStateError, check_shared_state, open_state, redis_url, run_suffix

logger = logging.getLogger("newsbot")

EXIT_CRASHED = 1
EXIT_UNHEALTHY = 3
EXIT_SHARED_STATE = 69  # EX_UNAVAILABLE: Redis unreachable, or it lost the shared state
EXIT_BAD_CONFIGURATION = 78


class Command(ScrapyCrawlCommand):
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
        except BadConfiguration as error:
            print(f"newsbot: bad configuration: {error}", file=sys.stderr)
            self.exitcode = EXIT_BAD_CONFIGURATION
            return
        lock = None
        if self.settings.getbool("NEWSBOT_RUN_LOCK"):
            run_id = new_run_id(suffix=run_suffix(self.settings))
            lock = take_run_lock(self.settings, run_id)
            if lock is None:
                self.exitcode = EXIT_LOCKED
                return
            self.settings.set("NEWSBOT_RUN_ID", run_id, priority="cmdline")
            if not self.settings.get("LOG_FILE") and self.settings.getbool("NEWSBOT_RUN_LOG"):
                log_file = logs_dir(self.settings) / f"{run_id}.log"
                log_file.parent.mkdir(parents=True, exist_ok=True)
                self.settings.set("LOG_FILE", str(log_file), priority="cmdline")
        store = None
        try:
            if redis_url(self.settings):
                try:
                    check_shared_state(self.settings)
                except SharedStateError as error:
                    print(f"newsbot: {error}", file=sys.stderr)
                    self.exitcode = EXIT_SHARED_STATE
                    return
            if self.settings.getbool("NEWSBOT_INCREMENTAL"):
                try:
                    store = open_state(self.settings)
                except BadState as error:
                    print(f"newsbot: {error}", file=sys.stderr)
                    self.exitcode = EXIT_BAD_STATE
                    return
            crawler = self.crawler_process.create_crawler(spider_class)
            if store is not None:
                attach_state(crawler, store)
            self.crawler_process.crawl(crawler, **opts.spargs)
            self.crawler_process.start()
            self.exitcode = self.exit_code(crawler)
        finally:
            if store is not None:
                store.close()
            if lock is not None:
                lock.release()

    def exit_code(self, crawler) -> int:
        if self.crawler_process.bootstrap_failed:
            return EXIT_CRASHED
        stats = crawler.stats
        if stats.get_value("newsbot/health/verdict") == "unhealthy":
            reasons = stats.get_value("newsbot/health/reasons") or []
            for reason in reasons:
                logger.error("UNHEALTHY: %s", reason)
            print(f"newsbot: run unhealthy: {'; '.join(reasons)}", file=sys.stderr)
            return EXIT_UNHEALTHY
        return 0
