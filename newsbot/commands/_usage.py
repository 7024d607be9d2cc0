"""What every newsbot command checks on its command line."""

from __future__ import annotations

import sys

EXIT_USAGE = 2


class StrictOptions:
    """Scrapy parses options with ``parse_known_args``: an unknown option would land among the
    arguments and be reported as a wrong argument. Name it instead, in one line, before
    anything runs (exit 2, like every usage error)."""

    def process_options(self, args: list[str], opts) -> None:
        unknown = [arg for arg in args if arg.startswith("-") and arg != "-"]
        if unknown:
            print(f"newsbot: unknown option {unknown[0]} (see --help)", file=sys.stderr)
            raise SystemExit(EXIT_USAGE)
        super().process_options(args, opts)
