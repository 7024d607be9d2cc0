"""The `newsbot` command's choice of settings module."""

from __future__ import annotations

import pytest

from newsbot.cli import settings_module


@pytest.mark.parametrize("argv, environ, module, rest", [
    (["newsbot", "crawl", "trtworld"], {}, "newsbot.settings", ["newsbot", "crawl", "trtworld"]),
    (["newsbot", "--profile", "cron", "crawl", "trtworld"], {}, "newsbot.settings.cron", ["newsbot", "crawl", "trtworld"]),
    (["newsbot", "--profile=dev", "list"], {}, "newsbot.settings.dev", ["newsbot", "list"]),
    (["newsbot", "crawl", "trtworld"], {"SCRAPY_PROJECT": "cron"}, "newsbot.settings.cron", ["newsbot", "crawl", "trtworld"]),
    (["newsbot", "list"], {"SCRAPY_SETTINGS_MODULE": "my.settings"}, "my.settings", ["newsbot", "list"]),
    (["newsbot", "--profile", "cron", "list"], {"SCRAPY_SETTINGS_MODULE": "my.settings"}, "newsbot.settings.cron",
     ["newsbot", "list"]),
    # after the command name, --profile belongs to the command
    (["newsbot", "crawl", "--profile", "cron"], {}, "newsbot.settings", ["newsbot", "crawl", "--profile", "cron"]),
])
def test_settings_module(argv, environ, module, rest):
    assert settings_module(argv, environ) == module
    assert argv == rest


@pytest.mark.parametrize("argv, environ", [(["newsbot", "--profile", "prod", "list"], {}),
                                           (["newsbot", "list"], {"SCRAPY_PROJECT": "prod"})])
def test_an_unknown_profile_is_refused(argv, environ):
    with pytest.raises(ValueError, match="unknown profile 'prod'.*default, dev, cron"):
        settings_module(argv, environ)
