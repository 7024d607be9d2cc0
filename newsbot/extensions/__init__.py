"""Crawl extensions: the rejects file, the stats file."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path


def output_path(template: str, crawler) -> Path:
    """A path setting rendered like a feed URI: ``%(name)s``, ``%(time)s``, ``%(data_dir)s``.
    Workers sharing Redis (and maybe a data dir) get ``<spider>-<worker id>`` as the name."""
    from newsbot.workers import redis_url, worker_id

    start = crawler.stats.get_value("start_time") or datetime.now(timezone.utc)
    name = crawler.spider.name
    if redis_url(crawler.settings):
        name = f"{name}-{worker_id(crawler.settings)}"
    return Path(template % {"name": name, "time": start.strftime("%Y-%m-%dT%H-%M-%S"),
                            "data_dir": crawler.settings.get("NEWSBOT_DATA_DIR", "data")})
