"""``build_dataset``: run files in, one dataset plus its card and chart out (see the package doc)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsbot.dataset.card import MERGED_EXAMPLES, CardInputs, CardStats, draw_chart, render_card
from newsbot.dataset.dates import parse_when
from newsbot.dataset.filters import Filters
from newsbot.dataset.merge import MergeCounts, MergeStore
from newsbot.dataset.runs import RunFileReport, find_run_files, read_records
from newsbot.dataset.writers import open_writer, output_format
from newsbot.paths import write_atomically

# Named after the whole output name, so x.parquet and x.csv in one folder keep their own.
CARD_SUFFIX = ".card.md"
CHART_SUFFIX = ".png"
SCRATCH_PREFIX = ".newsbot-dataset-"
# <prefix><pid>-<random>: the pid tells a live build's scratch from a killed one's.
SCRATCH_NAME = re.compile(re.escape(SCRATCH_PREFIX) + r"(?:(?P<pid>\d+)-)?[^/]*$")


class NoRunFiles(Exception):
    """There is nothing to build from."""


@dataclass(frozen=True)
class DatasetResult:
    rows: int
    output: Path
    card: Path
    chart: Path
    runs: list[RunFileReport]
    merge: MergeCounts
    filtered_out: int
    freed_bytes: int = 0  # scratch space left by killed builds, removed by this one
    freed_dirs: int = 0

    @property
    def bad_lines(self) -> int:
        return sum(run.bad for run in self.runs)

    @property
    def cut_lines(self) -> int:
        return sum(run.cut for run in self.runs)


def card_path(output: Path) -> Path:
    return output.with_name(output.name + CARD_SUFFIX)


def chart_path(output: Path) -> Path:
    return output.with_name(output.name + CHART_SUFFIX)


def check_output(output: Path, runs_dir: Path) -> str:
    """The output's format; ``ValueError`` for an unknown extension or a path among the run files
    (the next build would read the dataset as a run)."""
    kind = output_format(output)
    if output.resolve().is_relative_to(runs_dir.resolve()):
        raise ValueError(f"{output} is inside the run files folder {runs_dir}: write it elsewhere")
    return kind


def build_dataset(runs_dir: Path, output: Path, filters: Filters | None = None,
                  scratch_dir: Path | None = None) -> DatasetResult:
    """Read every run file under ``runs_dir``, keep each story once (latest revision), filter,
    write ``output`` in the format its extension names, then the card and the chart beside it.

    The merge database goes in a temporary folder inside ``scratch_dir`` (default: the
    output's folder, which has room for the dataset; /tmp may be memory) and is removed at
    the end. Raises ``NoRunFiles``, and ``ValueError`` for a bad output path.
    """
    filters = filters or Filters()
    kind = check_output(output, runs_dir)
    if not runs_dir.is_dir():
        raise NoRunFiles(f"the run files folder {runs_dir} does not exist"
                         + (" (it is a file)" if runs_dir.exists() else "")
                         + ": give --runs DIR, or set NEWSBOT_DATA_DIR to the crawl's data folder")
    runs = find_run_files(runs_dir)
    if not runs:
        raise NoRunFiles(f"no run files under {runs_dir} (*.jsonl, *.jsonl.gz, or their .part): "
                         "run a scheduled crawl first (SCRAPY_PROJECT=cron), or point NEWSBOT_DATA_DIR / --runs at them")
    output.parent.mkdir(parents=True, exist_ok=True)
    stats, filtered_out = CardStats(), 0
    scratch_root = scratch_dir or output.parent
    freed_dirs, freed_bytes = remove_leftover_scratch(scratch_root)
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch_root) as scratch:
        store = MergeStore(Path(scratch) / "merge.sqlite3")
        try:
            for run_index, run in enumerate(runs):
                for line_no, record, text in read_records(run):
                    store.add(record, run_index, line_no, text)
            merge = store.finish()
            writer = open_writer(output)
            try:
                for record in store.winners():
                    published = parse_when(record["date_published"])
                    if not filters.matches(record, published):
                        filtered_out += 1
                        continue
                    writer.write(record)
                    stats.add(record, published)
            except BaseException:
                writer.abort()
                raise
            writer.close()
            examples = store.merged_examples(MERGED_EXAMPLES)
        finally:
            store.close()
    chart, card = chart_path(output), card_path(output)
    write_atomically(chart, lambda path: draw_chart(stats.per_day_section, path))
    inputs = CardInputs(output_name=output.name, output_format=kind, chart_name=chart.name, runs=runs,
                        merge=merge, filtered_out=filtered_out, filters=filters.described,
                        merged_examples=examples)
    text = render_card(stats, inputs)
    write_atomically(card, lambda path: path.write_text(text, encoding="utf-8"))
    return DatasetResult(rows=stats.rows, output=output, card=card, chart=chart, runs=runs,
                         merge=merge, filtered_out=filtered_out, freed_bytes=freed_bytes,
                         freed_dirs=freed_dirs)


def remove_leftover_scratch(folder: Path) -> tuple[int, int]:
    """Remove the scratch folders of builds that were killed (SIGKILL leaves them: no exit
    path runs); a folder whose build is still running is left alone. Returns how many folders
    and bytes were freed."""
    dirs = freed = 0
    if not folder.is_dir():
        return 0, 0
    for path in folder.glob(f"{SCRATCH_PREFIX}*"):
        match = SCRATCH_NAME.match(path.name)
        if not match or not path.is_dir() or _alive(match["pid"]):
            continue
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            dirs, freed = dirs + 1, freed + size
    return dirs, freed


def _alive(pid: str | None) -> bool:
    if not pid or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
