"""``scrapy dataset -o PATH``: every run file, one deduplicated dataset with a data card.

Reads ``<NEWSBOT_DATA_DIR>/runs/`` (or ``--runs DIR``), keeps each article once in its
latest revision, applies the filters, and writes PATH as JSONL, gzipped JSONL, CSV or
Parquet (by its extension), with ``<name>.card.md`` and ``<name>.per-day.png`` beside it.
The work is ``newsbot.dataset``; this only parses options and reports.

Exit codes: 0 written (even with 0 rows: the card says why), 2 usage error (unknown
extension, bad date, output among the run files), 66 no run files to read.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newsbot.dataset import FORMATS, Filters, NoRunFiles, build_dataset
from newsbot.dataset.build import check_output
from newsbot.paths import runs_dir

EXIT_NO_INPUT = 66  # sysexits EX_NOINPUT, beside the crawl's 75 and 78


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return ("-o PATH [--since DATE] [--until DATE] [--section NAME]... [--author NAME]... "
                "[--source NAME]... [--runs DIR] [--tmp-dir DIR]")

    def short_desc(self) -> str:
        return "Merge all run files into one deduplicated dataset (JSONL, CSV, Parquet) with a data card"

    def long_desc(self) -> str:
        return ("Reads every run file under NEWSBOT_DATA_DIR/runs (gzip and the .part files of killed runs "
                "included), keeps each article once in its latest revision (same id, same URL, or same "
                "headline on the same day count as one story), applies the filters, and writes PATH in the "
                f"format its extension names ({', '.join(FORMATS)}), plus PATH's name with .card.md (a data "
                "card) and .per-day.png (articles per day). --since/--until are inclusive, on date_published: "
                "a day (YYYY-MM-DD) or a timestamp with an offset. --section, --author and --source match one "
                "value case-insensitively; repeat an option for several values.")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        group = parser.add_argument_group(title="Dataset Options")
        group.add_argument("-o", "--output", metavar="PATH", help=f"the dataset to write ({', '.join(FORMATS)})")
        group.add_argument("--since", metavar="DATE", help="keep articles published on or after DATE")
        group.add_argument("--until", metavar="DATE", help="keep articles published on or before DATE")
        group.add_argument("--section", action="append", default=[], metavar="NAME",
                           help="keep this section (repeatable)")
        group.add_argument("--author", action="append", default=[], metavar="NAME",
                           help="keep articles by this author (repeatable)")
        group.add_argument("--source", action="append", default=[], metavar="NAME",
                           help="keep articles from this source (repeatable)")
        group.add_argument("--runs", metavar="DIR", help="read run files from DIR (default: NEWSBOT_DATA_DIR/runs)")
        group.add_argument("--tmp-dir", metavar="DIR",
                           help="where the temporary merge database goes (default: the output's folder)")

    def run(self, args: list[str], opts) -> None:
        if args:
            raise UsageError(f"unexpected argument(s): {' '.join(args)} (the output goes after -o)")
        if not opts.output:
            raise UsageError("give the output with -o PATH")
        output = Path(opts.output)
        source = Path(opts.runs) if opts.runs else runs_dir(self.settings)
        try:
            check_output(output, source)
            filters = Filters.from_options(opts.since, opts.until, opts.section, opts.author, opts.source)
        except ValueError as error:
            raise UsageError(str(error)) from None
        try:
            result = build_dataset(source, output, filters,
                                   scratch_dir=Path(opts.tmp_dir) if opts.tmp_dir else None)
        except NoRunFiles as error:
            print(f"newsbot: {error}", file=sys.stderr)
            self.exitcode = EXIT_NO_INPUT
            return
        skipped = f"; skipped {result.bad_lines} bad and {result.cut_lines} cut line(s)" if (
            result.bad_lines or result.cut_lines) else ""
        freed = (f"; freed {result.freed_bytes / 1e6:.1f} MB of scratch space left by "
                 f"{result.freed_dirs} killed build(s)") if result.freed_dirs else ""
        print(f"newsbot: {result.rows} rows -> {result.output} (card: {result.card}) "
              f"from {len(result.runs)} run file(s){skipped}{freed}")
