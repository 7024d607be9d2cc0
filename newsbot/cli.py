"""``newsbot``: the scrapy command with newsbot's settings, from any directory.

    newsbot crawl trtworld -O articles.jsonl
    newsbot --profile cron crawl trtworld        # or SCRAPY_PROJECT=cron newsbot crawl trtworld
    newsbot dataset -o articles.parquet

Outside the clone there is no ``scrapy.cfg`` to name the settings module: this sets
``SCRAPY_SETTINGS_MODULE`` from the profile (``--profile NAME``, else ``SCRAPY_PROJECT``, else
``default``) and runs Scrapy's own command line. A ``SCRAPY_SETTINGS_MODULE`` already set wins
when no ``--profile`` is given. An unknown profile is a usage error (exit 2).
"""

from __future__ import annotations

import os
import sys

from scrapy.cmdline import execute

# The same names as scrapy.cfg's [settings] (a test holds them equal).
PROFILES = {"default": "newsbot.settings", "dev": "newsbot.settings.dev", "cron": "newsbot.settings.cron"}
EXIT_USAGE = 2


def settings_module(argv: list[str], environ) -> str:
    """The settings module for this command line, taking ``--profile NAME`` out of ``argv``;
    ``ValueError`` for an unknown profile."""
    profile = None
    for index, arg in enumerate(argv[1:], start=1):
        if arg == "--profile" and index + 1 < len(argv):
            profile = argv[index + 1]
            del argv[index:index + 2]
            break
        if arg.startswith("--profile="):
            profile = arg.split("=", 1)[1]
            del argv[index]
            break
        if not arg.startswith("-"):
            break  # the command name: what follows is the command's
    if profile is None:
        if environ.get("SCRAPY_SETTINGS_MODULE"):
            return environ["SCRAPY_SETTINGS_MODULE"]
        profile = environ.get("SCRAPY_PROJECT") or "default"
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r} (--profile or SCRAPY_PROJECT): "
                         f"use one of {', '.join(PROFILES)}")
    return PROFILES[profile]


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    try:
        module = settings_module(argv, os.environ)
    except ValueError as error:
        print(f"newsbot: {error}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    os.environ["SCRAPY_SETTINGS_MODULE"] = module
    argv[0] = "scrapy"
    execute(argv)


if __name__ == "__main__":
    main()
