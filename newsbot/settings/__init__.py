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
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- crawl mechanics ------------------------------------------------------------------
DUPEFILTER_CLASS = "newsbot.dupefilter.ArticleDupeFilter"
ITEM_PIPELINES = {
    "newsbot.pipelines.extraction.ExtractionStats": 100,
    "newsbot.pipelines.text.CleanText": 200,
    "newsbot.pipelines.dates.NormaliseDates": 300,
    "newsbot.pipelines.bylines.NormaliseBylines": 400,
    "newsbot.pipelines.validate.Validate": 500,
    "newsbot.pipelines.dedupe.DropDuplicates": 600,
}
EXTENSIONS = {
    "newsbot.extensions.rejects.RejectsFile": 500,
    "newsbot.extensions.statsfile.StatsFile": 510,
}

# --- output ---------------------------------------------------------------------------
# Default feed; `-O file.jsonl` / `-o file.jsonl` on the command line replace it.
FEEDS = {
    "%(data_dir)s/articles/%(name)s-%(time)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf-8",
    },
}
FEED_EXPORT_ENCODING = "utf-8"
FEED_URI_PARAMS = "newsbot.feeds.uri_params"
LOG_LEVEL = "INFO"
