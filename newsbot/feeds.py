"""Feed URI parameters: ``%(data_dir)s`` in ``FEEDS`` paths is ``NEWSBOT_DATA_DIR``."""

from __future__ import annotations


def uri_params(params: dict, spider) -> dict:
    return {**params, "data_dir": spider.settings.get("NEWSBOT_DATA_DIR", "data")}
