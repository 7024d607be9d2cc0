"""Development profile: fast crawls of a local copy of the site, with an HTTP cache.

    SCRAPY_PROJECT=dev scrapy crawl trtworld -O articles.jsonl
"""

import os

from newsbot.settings import *  # noqa: F401,F403

NEWSBOT_SITE_URL = os.environ.get("NEWSBOT_SITE_URL", "http://127.0.0.1:8000")
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
HTTPCACHE_ENABLED = True
HTTPCACHE_DIR = "httpcache"
LOG_LEVEL = "DEBUG"
