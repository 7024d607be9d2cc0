"""Memory and time of ``scrapy dataset`` over many run files, per output format.

Generates N synthetic articles (default 1,000,000) as hourly run files in a temporary data
directory, shaped like a cron crawl's: about 10% get a revision 2 in a later run (and 1%
of those the same line again, as after a killed run), about 2% are republished under a
second id (same headline, same day), some runs are gzip, and the last run is a killed
gzip ``.part`` with a cut last line. Then runs ``scrapy dataset -o`` once per format in a
subprocess, and prints each one's peak resident memory (``os.wait4``'s ``ru_maxrss`` of
that very process) and wall time, beside the same for a tiny input (the interpreter,
Scrapy and pyarrow alone), so the part that grows with the data is visible.

A benchmark, not a test: figures depend on the machine and its disks.

    python benchmarks/dataset_memory.py [--articles 1000000] [--formats jsonl,parquet] [--keep]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE = "https://www.trtworld.com"
FORMATS = ("jsonl", "jsonl.gz", "csv", "parquet")
ARTICLES_PER_RUN = 2_000
REVISED_SHARE = 0.10
REPEATED_SHARE = 0.01  # of the revised: the revision line written twice
REPUBLISHED_SHARE = 0.02
DAY_ONLY_SHARE = 0.08
GZIP_RUN_EVERY = 5  # every fifth run file is gzip
PARAGRAPHS = 200
SEED = 20250301
SECTIONS = ["World", "Middle East", "Asia", "Europe", "Africa", "Americas", "Business", "Opinion",
            "Magazine", "Türkiye", "Sport", "Climate"]
SOURCES = ["Anadolu Agency", "Reuters", "Agence France-Presse", "Associated Press", "TRT World", "Agencies"]
WORDS = ("the of and to in a is that for on was with as by at from his her an were are which this be has "
         "been government minister forces said people city country talks ceasefire election economy trade "
         "border aid hospital agency report officials security president court rights Gaza Ankara Istanbul "
         "Europe Africa Asia market growth inflation summit climate flood earthquake refugees").split()


def generate(data: Path, articles: int, body_chars: int) -> tuple[int, int]:
    """Write the run files; returns (files, lines)."""
    rnd = random.Random(SEED)
    paragraphs = [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(40, 90))).capitalize() + "."
                  for _ in range(PARAGRAPHS)]
    authors = [f"Author {i:03d} Name" for i in range(300)]
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    span_minutes = 2 * 365 * 24 * 60
    run_start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    pending_updates: list[dict] = []  # revisions exported by a later run
    runs = (articles + ARTICLES_PER_RUN - 1) // ARTICLES_PER_RUN
    lines = 0
    for run in range(runs):
        when = run_start + timedelta(hours=run)
        killed = run == runs - 1
        compressed = killed or run % GZIP_RUN_EVERY == GZIP_RUN_EVERY - 1
        name = f"{when:%Y%m%dT%H%M%SZ}-{1000 + run}.jsonl" + (".gz" if compressed else "") + (".part" if killed else "")
        path = data / "runs" / f"{when:%Y/%m/%d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        scraped = when.isoformat(timespec="seconds")
        batch = [{**update, "scraped_at": scraped} for update in pending_updates]
        pending_updates = []
        for n in range(run * ARTICLES_PER_RUN, min(articles, (run + 1) * ARTICLES_PER_RUN)):
            record = article(n, rnd, paragraphs, authors, start, span_minutes, body_chars, scraped)
            batch.append(record)
            if rnd.random() < REVISED_SHARE:
                revised = {**record, "revision": 2, "description": record["description"] + " (updated)"}
                pending_updates.append(revised)
                if rnd.random() < REPEATED_SHARE:
                    pending_updates.append(revised)
            if rnd.random() < REPUBLISHED_SHARE:
                copy_id = f"{n:012x}"[::-1]
                batch.append({**record, "article_id": copy_id, "url": f"{SITE}/article/{copy_id}"})
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch).encode("utf-8")
        lines += len(batch)
        if killed:
            text = text[: len(text) - 100]  # the kill cut the last line
        if compressed:
            text = gzip.compress(text, compresslevel=1, mtime=0)
            if killed:
                text = text[:-8]  # no trailer (CRC and size): the run never closed the file
        path.write_bytes(text)
    return runs, lines


def article(n: int, rnd: random.Random, paragraphs: list[str], authors: list[str], start: datetime,
            span_minutes: int, body_chars: int, scraped: str) -> dict:
    published = start + timedelta(minutes=rnd.randrange(span_minutes))
    if rnd.random() < DAY_ONLY_SHARE:
        date_published = published.date().isoformat()
    else:
        date_published = published.astimezone(timezone(timedelta(hours=rnd.choice((0, 3))))).isoformat(timespec="seconds")
    body, size = [], 0
    while size < body_chars:
        body.append(rnd.choice(paragraphs))
        size += len(body[-1]) + 2
    article_id = f"{n + 1:012x}"
    headline = f"Story {n} about " + " ".join(rnd.choice(WORDS) for _ in range(6))
    return {
        "url": f"{SITE}/article/{article_id}", "article_id": article_id, "headline": headline,
        "description": paragraphs[n % PARAGRAPHS][:160], "section": rnd.choice(SECTIONS),
        "read_time_minutes": rnd.randint(1, 12), "date_published": date_published,
        "date_modified": None, "date_published_raw": date_published,
        "authors": rnd.sample(authors, rnd.choice((0, 1, 1, 2))), "byline_raw": None,
        "sources": rnd.sample(SOURCES, rnd.choice((1, 1, 2))),
        "image": {"url": f"https://cdni0.trtworld.com/w768/q70/{article_id}.jpg", "caption": headline, "credit": "AA"},
        "body": "\n\n".join(body),
        "related": [{"url": f"{SITE}/article/{rnd.randrange(1, 10**9):012x}", "headline": "Related story"}
                    for _ in range(3)],
        "tags": [], "language": "en", "provenance": {"headline": "flight", "body": "dom"},
        "scraped_at": scraped, "schema_version": 2, "revision": 1,
    }


def measure(data: Path, output: Path) -> tuple[float, float, str]:
    """(peak RSS in MiB, seconds, the command's summary line) of one `scrapy dataset` process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCRAPY_", "NEWSBOT_"))}
    command = [sys.executable, "-m", "scrapy", "dataset", "-o", str(output), "-s", f"NEWSBOT_DATA_DIR={data}"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage
    seconds = time.perf_counter() - started
    stdout, stderr = process.stdout.read().decode(), process.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"scrapy dataset failed:\n{stderr[-3000:]}")
    return usage.ru_maxrss / 1024, seconds, stdout.strip()  # ru_maxrss is KiB on Linux


def size(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20 if path.is_dir() else path.stat().st_size / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--body-chars", type=int, default=2_500, help="body length of each article (default 2500)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--dir", help="work here instead of a temporary folder (must have room)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsbot-dataset-bench-", dir=args.dir))
    try:
        started = time.perf_counter()
        files, lines = generate(work / "data", args.articles, args.body_chars)
        print(f"input: {args.articles:,} articles, {lines:,} lines in {files} run files, "
              f"{size(work / 'data' / 'runs'):,.0f} MiB, generated in {time.perf_counter() - started:.0f} s")
        tiny = work / "tiny"
        generate(tiny, 10, 200)
        rss, seconds, _ = measure(tiny, work / "tiny.jsonl")
        print(f"{'baseline (10 articles)':24} peak RSS {rss:7.0f} MiB  {seconds:7.1f} s")
        for kind in args.formats.split(","):
            output = work / f"dataset.{kind}"
            rss, seconds, summary = measure(work / "data", output)
            print(f"{kind:24} peak RSS {rss:7.0f} MiB  {seconds:7.1f} s  {size(output):8,.0f} MiB  "
                  f"{args.articles / seconds:8,.0f} articles/s")
            print(f"{'':24} {summary}")
            output.unlink()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
