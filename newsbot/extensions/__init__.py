"""Crawl extensions: the rejects file, the stats file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path


def output_path(template: str, crawler) -> Path:
    """A path setting rendered like a feed URI: ``%(name)s``, ``%(time)s``, ``%(data_dir)s``."""
    start = crawler.stats.get_value("start_time") or datetime.now(timezone.utc)
    return Path(template % {"name": crawler.spider.name, "time": start.strftime("%Y-%m-%dT%H-%M-%S"),
                            "data_dir": crawler.settings.get("NEWSBOT_DATA_DIR", "data")})
