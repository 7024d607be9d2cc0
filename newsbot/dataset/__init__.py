"""Datasets: every run file, one clean table (``scrapy dataset -o PATH``).

Scheduled crawls leave a folder of hourly run files (``<data dir>/runs/YYYY/MM/DD/<run
id>.jsonl[.gz][.part]``) holding new articles and new *revisions* of changed ones, and now
and then the same story twice (a killed run's line written again; a story republished
under another id). An analyst wants each article once, in a format their tools read, and
a description of what is in it. The pipeline, one module per step:

1. **read** (``runs``): list the run files in run order (by name: run ids start with a UTC
   timestamp), stream each line, gzip and killed runs' ``.part`` files included (a cut last
   line or a missing gzip trailer is counted, not fatal); check each record's shape
   (``records``): a line that is not an Article record is a counted *bad line*.
2. **merge** (``merge``): fold every record into a SQLite database on disk, one row per
   story, keyed by ``article_id``, canonical ``url`` and ``story_key(headline, day)``; the
   row keeps the best-ranked record: highest ``revision``, then the later run file, then
   the later ``scraped_at``. Memory stays flat however many files there are.
3. **filter** (``filters``, ``dates``): read the winners back in a stable order (day
   published, instant, ``article_id``; undated last) and keep those inside ``--since`` /
   ``--until`` and matching ``--section`` / ``--author`` / ``--source``. Filters judge the
   latest revision only.
4. **write** (``writers``): JSONL, gzipped JSONL, CSV or Parquet by the output's extension,
   in batches, to a temporary file renamed at the end; JSONL and CSV bytes are identical
   from one build to the next.
5. **card** (``card``): ``<output>.card.md`` beside the dataset (``x.parquet.card.md``: rows,
   date range, counts per month and section, top sources and authors, field coverage, the
   run files with their bad and cut lines, the filters, ``schema_version``) and
   ``<output>.png``, the chart it embeds: articles per day, week or month (by the span),
   stacked by section.

``build_dataset(runs_dir, output, filters)`` runs the five steps; ``newsbot.commands.dataset``
is the thin command around it.
"""

from newsbot.dataset.build import DatasetResult, NoRunFiles, build_dataset, card_path, chart_path
from newsbot.dataset.filters import Filters
from newsbot.dataset.writers import CSV_COLUMNS, FORMATS, PARQUET_SCHEMA

__all__ = ["CSV_COLUMNS", "FORMATS", "PARQUET_SCHEMA", "DatasetResult", "Filters", "NoRunFiles",
           "build_dataset", "card_path", "chart_path"]
