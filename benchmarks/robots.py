"""robots.txt cost: Scrapy's parser (Protego) over a whole oversized robots.txt vs the
first 500 KiB newsbot parses (RFC 9309), time and peak memory side by side.

The robots.txt is generated: the site copy's rules, then many distinct rule lines (the
expensive kind: every line is a rule the parser keeps). A benchmark, not a test: figures
depend on the machine and its load; compare the ratio.

    python benchmarks/robots.py [--megabytes 6]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from types import SimpleNamespace

from scrapy.robotstxt import ProtegoRobotParser

from newsbot.middlewares import ROBOTS_MAX_BYTES


def generated(megabytes: float) -> bytes:
    lines = ["User-agent: *", "Disallow: /search", "Disallow: /api/", "Disallow: /_next/"]
    size, n = sum(len(line) + 1 for line in lines), 0
    while size < megabytes * 1024 * 1024:
        line = f"Disallow: /generated/{n:08d}/*/page-{n % 97}.html$"
        lines.append(line)
        size += len(line) + 1
        n += 1
    return ("\n".join(lines) + "\n").encode()


def parse(body: bytes) -> None:
    parser = ProtegoRobotParser(body, SimpleNamespace(name="bench"))
    parser.allowed("https://www.trtworld.com/article/13099992", "newsbot")


def measure(body: bytes) -> tuple[float, float]:
    """Seconds (untraced) and peak traced MB of one parse and one lookup."""
    started = time.perf_counter()
    parse(body)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    parse(body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=float, default=6.0)
    args = parser.parse_args()
    body = generated(args.megabytes)
    capped = body[:ROBOTS_MAX_BYTES]
    capped = capped[: capped.rfind(b"\n") + 1]
    whole_s, whole_mb = measure(body)
    capped_s, capped_mb = measure(capped)
    print(f"robots.txt of {len(body) / 1e6:.1f} MB")
    print(f"  whole file (Scrapy's default): {whole_s:8.2f} s  peak {whole_mb:7.1f} MB (traced)")
    print(f"  first 500 KiB (newsbot):       {capped_s:8.2f} s  peak {capped_mb:7.1f} MB (traced)")
    print(f"  ratio: {whole_s / capped_s:.1f}x time, {whole_mb / max(capped_mb, 0.01):.1f}x memory")


if __name__ == "__main__":
    main()
