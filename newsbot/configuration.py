"""Configuration checks made before a crawl starts, so a mistake is one clear line."""

from __future__ import annotations

from newsbot.frontier import RevisitPolicy
from newsbot.health import Thresholds
from newsbot.urls import SiteRules
from newsbot.workers import check_settings as check_worker_settings


class BadConfiguration(Exception):
    """A setting or spider argument that cannot work."""


def check_configuration(settings, spider_class, spider_arguments: dict) -> None:
    try:
        SiteRules(settings.get("NEWSBOT_SITE_URL"))
        Thresholds.from_settings(settings)
        for name in ("NEWSBOT_SYNC_ITEMS",):
            if settings.getint(name, 1) < 1:
                raise ValueError(f"{name} must be at least 1")
        for name in ("NEWSBOT_SYNC_SECONDS", "NEWSBOT_REFRESH_AGE_HOURS"):
            if settings.getfloat(name, 1.0) <= 0:
                raise ValueError(f"{name} must be positive")
        check_worker_settings(settings)
        RevisitPolicy.from_settings(settings)
        spider_class(**spider_arguments)  # the spider checks its own arguments
    except (ValueError, TypeError) as error:
        raise BadConfiguration(str(error)) from None
