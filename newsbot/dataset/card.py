"""The data card: what a dataset holds, where it came from, and a chart to look at first.

``CardStats`` is filled row by row as the dataset is written (counters by day, section,
source and author: they grow with the number of distinct values, never with rows).
``render_card`` turns it, the run-file reports and the merge counts into Markdown;
``draw_per_day`` draws the articles-per-day PNG the card embeds.

The card holds no clock time and no absolute path, so the same inputs give the same card
(the chart is drawn with fixed size, fonts and metadata, so it is stable on one machine).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from newsbot import __version__
from newsbot.dataset.dates import When
from newsbot.dataset.records import ARTICLE_FIELDS, IMAGE_FIELDS, has_value
from newsbot.items import SCHEMA_VERSION

TOP_AUTHORS = 20
MERGED_EXAMPLES = 20
NONE_LABEL = "(none)"
CHART_SIZE_INCHES = (10, 3.5)
CHART_DPI = 100
CHART_COLOUR = "#1f5f8b"
BAR_MAX_DAYS_PER_INCH = 40  # beyond this a one-day bar gets too thin to see
CHART_LINE_POINTS = 1.0
# Matplotlib writes its version into PNG metadata; without it the bytes depend only on the drawing.
CHART_METADATA = {"Software": None}


@dataclass
class CardStats:
    """Counts over the rows written."""

    rows: int = 0
    undated: int = 0
    per_day: Counter = field(default_factory=Counter)
    sections: Counter = field(default_factory=Counter)
    sources: Counter = field(default_factory=Counter)
    authors: Counter = field(default_factory=Counter)
    schema_versions: Counter = field(default_factory=Counter)
    filled: Counter = field(default_factory=Counter)  # field name -> rows with a value

    def add(self, record: dict, published: When | None) -> None:
        self.rows += 1
        if published is None:
            self.undated += 1
        else:
            self.per_day[published.day] += 1
        self.sections[record["section"] or NONE_LABEL] += 1
        self.sources.update(set(record["sources"]) or {NONE_LABEL})
        self.authors.update(set(record["authors"]))
        self.schema_versions[record["schema_version"]] += 1
        for name in ARTICLE_FIELDS:
            if has_value(name, record[name]):
                self.filled[name] += 1
        for key in IMAGE_FIELDS:
            if record["image"] and has_value(key, record["image"][key]):
                self.filled[f"image.{key}"] += 1

    def per_month(self) -> list[tuple[str, int]]:
        months: Counter = Counter()
        for day, count in self.per_day.items():
            months[f"{day:%Y-%m}"] += count
        return sorted(months.items())


@dataclass(frozen=True)
class CardInputs:
    """Everything the card says besides the row statistics."""

    output_name: str
    output_format: str
    chart_name: str
    runs: list  # RunFileReport, in run order
    merge: object  # MergeCounts
    filtered_out: int
    filters: tuple[str, ...]
    merged_examples: list[tuple[str, list[str]]]


def render_card(stats: CardStats, inputs: CardInputs) -> str:
    """The card, as Markdown."""
    runs, merge = inputs.runs, inputs.merge
    days = sorted(stats.per_day)
    lines = [
        f"# Dataset `{inputs.output_name}`",
        "",
        f"Built by `scrapy dataset` (newsbot {__version__}) from {len(runs)} run file(s): every article "
        "once, its latest revision (see the README, \"Datasets\").",
        "",
        f"![Articles per day]({inputs.chart_name})",
        "",
        "## Summary",
        "",
        "| | |",
        "|---|---|",
        f"| rows | {stats.rows} |",
        f"| format | {inputs.output_format} |",
        f"| date range (day published) | {_range(days)} |",
        f"| rows without a usable `date_published` | {stats.undated} |",
        f"| records read | {merge.records} |",
        f"| older revisions and repeated lines dropped | {merge.superseded} |",
        f"| ids dropped as the same story under another id | {merge.merged_ids} |",
        f"| filtered out | {inputs.filtered_out} |",
        f"| bad lines (skipped) | {sum(r.bad for r in runs)} |",
        f"| cut lines of killed runs (skipped) | {sum(r.cut for r in runs)} |",
        f"| filters | {_code(', '.join(inputs.filters)) if inputs.filters else 'none'} |",
        f"| `schema_version` of rows | {_versions(stats.schema_versions)} (this newsbot writes {SCHEMA_VERSION}) |",
        "",
    ]
    lines += _table("Rows per month", "month", stats.per_month())
    lines += _table("Rows per section", "section", _ranked(stats.sections))
    lines += _table("Rows per source", "source", _ranked(stats.sources),
                    "A row counts once for each of its sources.")
    lines += _table(f"Top authors (top {TOP_AUTHORS})", "author", _ranked(stats.authors)[:TOP_AUTHORS],
                    f"{len(stats.authors)} distinct author(s).")
    lines += ["## Field coverage", "", "Share of rows with a non-empty value.", "",
              "| field | rows | share |", "|---|---:|---:|"]
    for name in (*ARTICLE_FIELDS, *(f"image.{key}" for key in IMAGE_FIELDS)):
        lines.append(f"| `{name}` | {stats.filled[name]} | {_share(stats.filled[name], stats.rows)} |")
    lines.append("")
    if inputs.merged_examples:
        lines += ["## Same story under several ids", "",
                  f"{merge.merged_ids} id(s) were folded into a story kept under another id "
                  f"(same URL, or same headline on the same day)"
                  + (f"; the first {MERGED_EXAMPLES}:" if merge.merged_ids > len(inputs.merged_examples) else ":"),
                  "",
                  "| kept | folded into it |", "|---|---|"]
        lines += [f"| {kept} | {', '.join(dropped)} |" for kept, dropped in inputs.merged_examples]
        lines.append("")
    lines += _runs_section(runs)
    return "\n".join(lines)


def _runs_section(runs: list) -> list[str]:
    lines = ["## Run files", "",
             "In run order (later files win ties). Partial: a `.part` file a killed or running crawl left.", "",
             "| file | lines | records | bad | cut | partial |", "|---|---:|---:|---:|---:|---|"]
    for run in runs:
        partial = "yes" + (" (no gzip trailer)" if run.truncated else "") if run.partial else (
            "no (damaged gzip)" if run.truncated else "no")
        lines.append(f"| {run.display} | {run.lines} | {run.records} | {run.bad} | {run.cut} | {partial} |")
    lines.append("")
    problems = [(run.display, text) for run in runs for text in run.problems]
    unknown: Counter = sum((run.unknown_fields for run in runs), Counter())
    if problems:
        lines += ["### Problems", "", "The first few per file:", ""]
        lines += [f"- `{display}`: {text}" for display, text in problems]
        lines.append("")
    if unknown:
        lines += ["### Fields not in the Article record (dropped)", ""]
        lines += [f"- `{name}`: {count} line(s)" for name, count in sorted(unknown.items())]
        lines.append("")
    return lines


def _table(title: str, label: str, rows: list[tuple[object, int]], note: str = "") -> list[str]:
    lines = [f"## {title}", ""] + ([note, ""] if note else [])
    if not rows:
        return lines + ["None.", ""]
    lines += [f"| {label} | rows |", "|---|---:|"]
    lines += [f"| {_cell(name)} | {count} |" for name, count in rows]
    return lines + [""]


def _ranked(counter: Counter) -> list[tuple[str, int]]:
    """Most rows first, then by name: a stable order."""
    return sorted(counter.items(), key=lambda item: (-item[1], str(item[0])))


def _range(days: list[date]) -> str:
    return f"{days[0].isoformat()} to {days[-1].isoformat()}" if days else "no dated rows"


def _versions(counter: Counter) -> str:
    return ", ".join(f"{version}: {count} rows" for version, count in sorted(counter.items())) or "no rows"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`"


def draw_per_day(per_day: Counter, path) -> None:
    """A bar per day published (days without rows are gaps), written as PNG to ``path``.

    Over a long span a one-day bar is narrower than a pixel and may vanish, so past
    ``BAR_MAX_DAYS_PER_INCH`` days per inch each day is drawn as a line at least one pixel wide.
    """
    # Imported here: matplotlib writes its font cache under $HOME on first import, and every
    # scrapy command (a crawl too) imports this module.
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # the Agg backend, never a GUI one
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=CHART_SIZE_INCHES, dpi=CHART_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    total = sum(per_day.values())
    if per_day:
        days = sorted(per_day)
        counts = [per_day[day] for day in days]
        span = (days[-1] - days[0]).days + 1
        if span <= BAR_MAX_DAYS_PER_INCH * CHART_SIZE_INCHES[0]:
            axes.bar(days, counts, width=1.0, color=CHART_COLOUR, linewidth=0)
        else:
            axes.vlines(days, 0, counts, colors=CHART_COLOUR, linewidth=CHART_LINE_POINTS)
        locator = AutoDateLocator()
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(counts) * 1.05)
    else:
        axes.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    axes.set_title(f"Articles per day published ({total} dated rows)")
    axes.set_ylabel("articles")
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, format="png", metadata=CHART_METADATA)
