"""Cron profile: incremental, crash-safe, one run at a time, failing loudly.

    SCRAPY_PROJECT=cron scrapy crawl trtworld

Exports only new and changed articles to durable run files under ``NEWSBOT_DATA_DIR``
(``runs/YYYY/MM/DD/<run id>.jsonl`` + ``.manifest.json``), keeps the state in
``state.sqlite3``, logs to ``logs/<run id>.log``, and exits non-zero with one line on
stderr when the run is unhealthy (3), the state file cannot be used (65), another run is
going (75), the configuration is bad (78), and the other cases of the README's exit-code
table.
"""

from newsbot.settings import *  # noqa: F401,F403

NEWSBOT_INCREMENTAL = True
NEWSBOT_RUN_FILES = True
NEWSBOT_RUN_LOCK = True
NEWSBOT_RUN_LOG = True
NEWSBOT_HEALTH_ENABLED = True
# The run files are the output; `-o`/`-O` still add a feed if wanted.
NEWSBOT_DEFAULT_FEED = ""
# Logs go to <data dir>/logs/<run id>.log only (NEWSBOT_RUN_LOG): nothing on the terminal
# before the run holds the lock, so a refused second run prints just its one line.
LOG_ENABLED = False
