"""Base settings: a complete, polite crawl of www.trtworld.com.

Profiles override a few lines (``newsbot/settings/dev.py``); pick one with
``SCRAPY_PROJECT=dev`` (see ``scrapy.cfg``). Paths come from the environment.
"""

import os

from newsbot import __version__

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"
COMMANDS_MODULE = "newsbot.commands"

# --- newsbot ------------------------------------------------------------------------
# The site root; point it at a local copy (e.g. http://127.0.0.1:8000) to crawl that instead.
NEWSBOT_SITE_URL = os.environ.get("NEWSBOT_SITE_URL", "https://www.trtworld.com")
# Where run output goes (articles, rejects); created on demand.
NEWSBOT_DATA_DIR = os.environ.get("NEWSBOT_DATA_DIR", "data")
# Zone-less times on the site are read in this zone (TRT is in Türkiye, UTC+3).
NEWSBOT_TIMEZONE = "Europe/Istanbul"
# Articles seen but not exported, one JSON line each with the reasons.
NEWSBOT_REJECTS_ENABLED = True
NEWSBOT_REJECTS_PATH = "%(data_dir)s/rejects/%(name)s-%(time)s.jsonl"
# The crawl's final stats as JSON; empty = off.
NEWSBOT_STATS_PATH = ""

# --- scheduled runs (all on in newsbot/settings/cron.py) ----------------------------------
# Run-to-run state: export only new and changed articles (SQLite at NEWSBOT_STATE_PATH,
# default <data dir>/state.sqlite3). A known page is fetched again when a feed/sitemap hint
# differs from the one stored, when its age makes it due by NEWSBOT_REVISIT_SCHEDULE
# ({age below, in hours: revisit interval, in hours}; youngest first), else after
# NEWSBOT_REFRESH_AGE_HOURS. See newsbot/frontier.py.
NEWSBOT_INCREMENTAL = False
NEWSBOT_STATE_PATH = ""
NEWSBOT_REFRESH_AGE_HOURS = 168
NEWSBOT_REVISIT_SCHEDULE = {6: 0, 24: 1, 72: 6, 168: 24}
# A failed article page (5xx, timeout, cut short) is retried in later runs: the next run,
# then after 1, 3, 7, ... hours (x NEWSBOT_RETRY_BACKOFF_HOURS), at most the maximum apart.
# 404/410 mark it gone (tried again only when the feed or sitemap gives a new hint).
NEWSBOT_RETRY_BACKOFF_HOURS = 1
NEWSBOT_RETRY_MAX_BACKOFF_HOURS = 24
# Durable run files <data dir>/runs/YYYY/MM/DD/<run id>.jsonl[.gz] with a manifest each.
NEWSBOT_RUN_FILES = False
NEWSBOT_RUN_GZIP = False
NEWSBOT_SYNC_ITEMS = 20
NEWSBOT_SYNC_SECONDS = 5.0
# One run at a time (<data dir>/newsbot.lock), and a log file per run in <data dir>/logs.
NEWSBOT_RUN_LOCK = False
NEWSBOT_RUN_LOG = False
# Health gates: an unhealthy run exits 3 (see `newsbot/health.py`).
NEWSBOT_HEALTH_ENABLED = False
NEWSBOT_HEALTH_MAX_ERROR_SHARE = 0.2
NEWSBOT_HEALTH_MAX_BLOCKED_SHARE = 0.05
NEWSBOT_HEALTH_COVERAGE_FLOORS = {"headline": 0.99, "body": 0.95, "date_published": 0.99, "authors": 0.2}
NEWSBOT_HEALTH_MIN_ITEMS = 10
# The error and blocked shares are judged from this many HTTP responses up. With workers
# each judges its own: raise it when each worker's share of a run is small.
NEWSBOT_HEALTH_MIN_RESPONSES = 1
NEWSBOT_HEALTH_MAX_WALL_PAGES = 0
# Layer agreement (newsbot/agree/<field>/<layer>-<layer>/equal|differ, counted on every
# article page while NEWSBOT_AGREEMENT is on): a required field whose two layers agree on
# less than this share of at least NEWSBOT_HEALTH_MIN_AGREEMENT_SAMPLES pages is unhealthy.
NEWSBOT_AGREEMENT = True
NEWSBOT_HEALTH_MIN_AGREEMENT = 0.9
NEWSBOT_HEALTH_MIN_AGREEMENT_SAMPLES = 10
# Coverage fails only when a field is under its floor with this confidence (exact binomial test).
NEWSBOT_HEALTH_COVERAGE_CONFIDENCE = 0.99

# --- several workers, one crawl (see the README's "Several workers") -----------------------
# A Redis URL (redis://host:port/db) shares the frontier, the state and the politeness budget
# among workers (scrapy-redis's scheduler, newsbot/scheduler.py). Empty: one machine, SQLite.
NEWSBOT_REDIS_URL = os.environ.get("NEWSBOT_REDIS_URL", "")
# Names this worker's run files, run lock and leases; default <hostname>-<pid>.
NEWSBOT_WORKER_ID = os.environ.get("NEWSBOT_WORKER_ID", "")
# A dead worker's requests go back to the shared queue after this long without its heartbeat.
NEWSBOT_REDIS_LEASE_SECONDS = 60
# An idle worker stays this long after its last request, so workers started together share a run.
NEWSBOT_REDIS_LINGER_SECONDS = 5
# Requests per second to the site from all workers together; empty: 1 / DOWNLOAD_DELAY; 0: off.
NEWSBOT_GLOBAL_RATE = ""
NEWSBOT_GLOBAL_BURST = 1
ADDONS = {"newsbot.workers.SharedCrawl": 0}

# Raw archive (WARC) of every article response, whatever its status, so `scrapy reextract`
# can re-run the current extraction over past crawls without fetching again. Off: costs disk.
NEWSBOT_WARC_ENABLED = False
NEWSBOT_WARC_PATH = "%(data_dir)s/warc/%(name)s-%(time)s.warc.gz"

# Who to contact about this crawler: set it to your own page or address.
NEWSBOT_CONTACT_URL = os.environ.get("NEWSBOT_CONTACT_URL", "https://github.com/newsbot/newsbot")

# --- politeness -----------------------------------------------------------------------
USER_AGENT = f"newsbot/{__version__} (+{NEWSBOT_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
# Retry-After (429/503) is honoured up to this many seconds per retry.
NEWSBOT_RETRY_AFTER_MAX = 120
COOKIES_ENABLED = False

# --- closed by default: nothing listens during a crawl -----------------------------------
# The telnet console and Scrapy's remote-control HTTP server (which runs Python for whoever
# holds the token it writes to the user's profile directory) stay off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- crawl mechanics ------------------------------------------------------------------
# Outputs of one callback handled at once. The pipelines are synchronous, so more buys
# nothing; a sitemap callback yields thousands of requests, and with Scrapy's 100 their
# fan-out dominated a no-op cron run (10,000 known articles: 282 s vs 87 s with 10, on the
# loaded benchmark machine; benchmarks/crawl.py).
CONCURRENT_ITEMS = 10
DUPEFILTER_CLASS = "newsbot.dupefilter.ArticleDupeFilter"
DOWNLOADER_MIDDLEWARES = {
    # A redirect to another scheme, host or port is a rejection (offsite_redirect).
    "newsbot.middlewares.OffsiteRedirects": 40,
    # Incremental crawls: known, unchanged articles are not fetched (off unless NEWSBOT_INCREMENTAL).
    "newsbot.middlewares.SkipKnownArticles": 50,
    # Workers sharing Redis: one token bucket per host (off without NEWSBOT_REDIS_URL).
    "newsbot.ratelimit.GlobalRateLimit": 950,
    # robots.txt per RFC 9309: 5xx = disallow all, only the first 500 KiB parsed.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsbot.middlewares.BoundedRobotsTxt": 100,
    # Retry-After honoured on 429/503 (capped by NEWSBOT_RETRY_AFTER_MAX).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsbot.middlewares.RetryAfter": 550,
    # Counts network failures by kind once retries are over (just under RetryMiddleware, 550).
    "newsbot.network.NetworkErrors": 545,
}
ITEM_PIPELINES = {
    "newsbot.pipelines.extraction.ExtractionStats": 100,
    "newsbot.pipelines.text.CleanText": 200,
    "newsbot.pipelines.dates.NormaliseDates": 300,
    "newsbot.pipelines.bylines.NormaliseBylines": 400,
    "newsbot.pipelines.coverage.FieldCoverage": 450,
    "newsbot.pipelines.validate.Validate": 500,
    "newsbot.pipelines.dedupe.DropDuplicates": 600,
    "newsbot.pipelines.incremental.Incremental": 700,
    "newsbot.pipelines.limit.LimitArticles": 800,
}
# `scrapy check`: `@path /article/...` is a page of NEWSBOT_SITE_URL (newsbot/contracts.py).
SPIDER_CONTRACTS = {"newsbot.contracts.PathContract": 10}
EXTENSIONS = {
    # Progress every LOGSTATS_INTERVAL in newsbot's terms (articles, rejections, queue).
    "scrapy.extensions.logstats.LogStats": None,
    "newsbot.extensions.progress.Progress": 0,
    "newsbot.extensions.rejects.RejectsFile": 500,
    "newsbot.extensions.statsfile.StatsFile": 510,
    # The health check must come before the run files: the manifest reads its verdict.
    "newsbot.extensions.health.HealthCheck": 520,
    "newsbot.extensions.runfiles.RunFiles": 530,
    "newsbot.extensions.warc.WarcArchive": 540,
}

# --- output ---------------------------------------------------------------------------
# The feed of `scrapy crawl trtworld` when no -o/-O is given (newsbot's crawl command adds
# it only then; Scrapy would otherwise merge -O with a FEEDS setting). Empty: no default.
NEWSBOT_DEFAULT_FEED = "%(data_dir)s/articles/%(name)s-%(time)s.jsonl"
FEED_EXPORT_ENCODING = "utf-8"
# CSV with the dataset's flat columns, XML with nested elements (see newsbot/exporters.py).
FEED_EXPORTERS = {
    "csv": "newsbot.exporters.CsvItemExporter",
    "xml": "newsbot.exporters.XmlItemExporter",
    "pickle": "newsbot.exporters.PickleItemExporter",
    "marshal": "newsbot.exporters.MarshalItemExporter",
}
FEED_URI_PARAMS = "newsbot.feeds.uri_params"
LOG_LEVEL = "INFO"
