"""The data card: what a dataset holds, where it came from, and a chart to look at first.

``CardStats`` is filled row by row as the dataset is written (counters by day, section,
source and author: they grow with the number of distinct values, never with rows).
``render_card`` turns it, the run-file reports and the merge counts into Markdown;
``draw_chart`` draws the PNG the card embeds: articles per day, week or month (whichever
keeps the bars readable over the span), stacked by section.

The card holds no clock time and no absolute path, so the same inputs give the same card
(the chart is drawn with fixed size, fonts and metadata, so it is stable on one machine).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from newsbot import __version__
from newsbot.dataset.dates import When
from newsbot.dataset.records import ARTICLE_FIELDS, IMAGE_FIELDS, has_value
from newsbot.items import SCHEMA_VERSION

TOP_AUTHORS = 20
TOP_SOURCES = 20
MERGED_EXAMPLES = 20
NONE_LABEL = "(none)"
CHART_SIZE_INCHES = (11, 4)
CHART_DPI = 100
# Bars of a day stay visible up to about two months, of a week up to about two years.
DAY_BINS_UP_TO_DAYS = 62
WEEK_BINS_UP_TO_DAYS = 730
DAY_TICKS_UP_TO_BINS = 14
BAR_FILL = 0.85  # share of a bin its bar covers: gaps show where one bin ends
CHART_SECTIONS = 8  # the largest sections get a colour each, the rest are "Other"
CHART_COLOURMAP = "tab10"
TAB10_GREY = 7  # left out: grey is for "Other"
OTHER_LABEL = "Other"
OTHER_COLOUR = "#b0b0b0"
# Matplotlib writes its version into PNG metadata; without it the bytes depend only on the drawing.
CHART_METADATA = {"Software": None}


@dataclass
class CardStats:
    """Counts over the rows written."""

    rows: int = 0
    undated: int = 0
    per_day: Counter = field(default_factory=Counter)
    per_day_section: Counter = field(default_factory=Counter)  # (day, section) -> rows
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
            self.per_day_section[published.day, record["section"] or NONE_LABEL] += 1
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
        f"![Articles per {_chart_unit(stats)} published, by section]({inputs.chart_name})",
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
    lines += _table(f"Top sources (top {TOP_SOURCES})", "source", _ranked(stats.sources)[:TOP_SOURCES],
                    f"{len(stats.sources)} distinct source value(s); a row counts once for each of its sources.")
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


def _chart_unit(stats: CardStats) -> str:
    days = sorted(stats.per_day)
    return chart_bins(days[0], days[-1]) if days else "day"


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


def chart_bins(first: date, last: date) -> str:
    """``day``, ``week`` or ``month``: the finest bin that still leaves each bar visible."""
    span = (last - first).days + 1
    if span <= DAY_BINS_UP_TO_DAYS:
        return "day"
    if span <= WEEK_BINS_UP_TO_DAYS:
        return "week"
    return "month"


def bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if unit == "month":
        return day.replace(day=1)
    return day


def binned(per_day_section: Counter) -> tuple[str, list[date], dict[str, list[int]]]:
    """The bin unit, the bins (every bin of the span, empty ones too) and, per section shown
    (the ``CHART_SECTIONS`` largest, the rest as ``Other``), the rows in each bin."""
    days = sorted({day for day, _ in per_day_section})
    unit = chart_bins(days[0], days[-1])
    totals: Counter = Counter()
    for (_, section), count in per_day_section.items():
        totals[section] += count
    shown = [name for name, _ in _ranked(totals)[:CHART_SECTIONS]]
    counts: dict[str, Counter] = {}
    for (day, section), count in per_day_section.items():
        label = section if section in shown else OTHER_LABEL
        counts.setdefault(label, Counter())[bin_start(day, unit)] += count
    bins, current = [], bin_start(days[0], unit)
    while current <= days[-1]:
        bins.append(current)
        current = _next_bin(current, unit)
    order = [name for name in shown if name in counts] + ([OTHER_LABEL] if OTHER_LABEL in counts else [])
    return unit, bins, {name: [counts[name][b] for b in bins] for name in order}


def _next_bin(start: date, unit: str) -> date:
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=7 if unit == "week" else 1)


def draw_chart(per_day_section: Counter, path) -> None:
    """Articles per day, week or month published (by the span), stacked by section, as PNG."""
    # Imported here: matplotlib writes its font cache under $HOME on first import, and every
    # scrapy command (a crawl too) imports this module.
    from matplotlib import colormaps
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # the Agg backend, never a GUI one
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=CHART_SIZE_INCHES, dpi=CHART_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    total = sum(per_day_section.values())
    unit = "day"
    if per_day_section:
        unit, bins, series = binned(per_day_section)
        spans = [(datetime.combine(start, time()), datetime.combine(_next_bin(start, unit), time()))
                 for start in bins]
        centres = [start + (end - start) / 2 for start, end in spans]
        widths = [(end - start).days * BAR_FILL for start, end in spans]
        bottom = [0] * len(bins)
        colours = [c for i, c in enumerate(colormaps[CHART_COLOURMAP].colors) if i != TAB10_GREY]
        for index, (section, counts) in enumerate(series.items()):
            colour = OTHER_COLOUR if section == OTHER_LABEL else colours[index % len(colours)]
            axes.bar(centres, counts, width=widths, bottom=bottom, color=colour, linewidth=0, label=section)
            bottom = [b + c for b, c in zip(bottom, counts)]
        if unit == "day" and len(bins) <= DAY_TICKS_UP_TO_BINS:
            # A few days only: each bar named under it (automatic ticks would go down to hours).
            axes.set_xticks(centres, labels=[f"{day:%d %b}" for day in bins])
            axes.set_xlabel(f"{bins[0]:%Y}" if bins[0].year == bins[-1].year else "")
        else:
            locator = AutoDateLocator()
            axes.xaxis.set_major_locator(locator)
            axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(bottom) * 1.08)
        axes.legend(title="section", loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                    frameon=False)
    else:
        axes.text(0.5, 0.5, "no dated articles", ha="center", va="center", transform=axes.transAxes)
        axes.set_yticks([])
    axes.set_title(f"Articles per {unit} published, by section ({total} dated rows)")
    axes.set_ylabel(f"articles per {unit}")
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, format="png", metadata=CHART_METADATA)
