"""Worst cases of one page: time and peak memory of extracting generated hostile pages.

Each page (up to 10 MB) is generated once, written to a temporary file, and extracted by
``newsbot.offline.extract`` (parse, every layer, every pipeline) in a fresh child process,
which reports the CPU time of the extraction and its peak resident memory above the
resident memory it had just before (the page's bytes already read). Bounds to show (issue
10): no page takes more than 1 s or more than 100 MB above that baseline, and none raises.

Cases: the flight-push pattern that was quadratic, a 10 MB flight payload, a Nuxt state of
one 9 MB string literal and of 2.5M tokens, a flight row nested 10,000 deep, JSON-LD nested
10,000 deep, 10,000 nested <div>, a meta tag with a control character in an attribute name,
a 10 MB article body of paragraphs, and 10 MB of bare <div> text (no headline, no <p>: the
whole page is read).

A benchmark, not a test: figures depend on the machine and its load.

    python benchmarks/worst_case.py [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
URL = "https://www.trtworld.com/article/7bf135ba9261"
MB = 1024 * 1024
HEAD = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Worst case - TRT World</title>'
        '</head><body><main><article><h1>Worst case</h1><p>A paragraph of the article.</p></article></main>')
TAIL = "</body></html>"


def page(middle: str) -> bytes:
    return (HEAD + middle + TAIL).encode("utf-8")


def flight_push_repeats() -> bytes:  # was quadratic: 80,000 repeats took 157 s
    return page("<script>" + "self.__next_f.push([" * 500_000 + "</script>")


def flight_big_payload() -> bytes:
    row = json.dumps(["$", "div", None, {"className": "card", "children": "x" * 200}])
    rows = "".join(f"{i:x}:{row}\n" for i in range(40_000))
    chunks = [rows[i:i + 8000] for i in range(0, len(rows), 8000)]
    return page("".join(f"<script>self.__next_f.push({json.dumps([1, c])})</script>" for c in chunks))


def flight_deep_row() -> bytes:
    row = "5:" + "[" * 10_000 + '{"content":{"slug":"7bf135ba9261","title":"Deep"}}' + "]" * 10_000 + "\n"
    return page(f"<script>self.__next_f.push({json.dumps([1, row])})</script>")


def nuxt_string_literal() -> bytes:  # peaked at 1.4 GB
    return page('<script>window.__NUXT__={data:[{content:{title:"' + "a" * (9 * MB) + '"}}]}</script>')


def nuxt_many_tokens() -> bytes:  # 2.5M tokens took 20 s and 600 MB
    return page("<script>window.__NUXT__={data:[" + "1," * 1_250_000 + "1]}</script>")


def nuxt_function_many_tokens() -> bytes:
    return page("<script>window.__NUXT__=(function(a,b){return {data:[" + "a,b," * 600_000
                + 'a]}}(1,"x"))</script>')


def nuxt_function_at_budget() -> bytes:  # the largest state still decoded, of the costliest tokens
    return page("<script>window.__NUXT__=(function(a,b){return {data:[" + "a,b," * 122_000
                + 'a]}}(1,"x"))</script>')


def nuxt_strings_at_budget() -> bytes:
    return page('<script>window.__NUXT__={data:[' + '{k:"a"},' * 60_000 + '{k:"a"}]}</script>')


def flight_rows_with_id_at_budget() -> bytes:  # every row mentions the article id: all decoded
    row = json.dumps(["$", "a", None, {"href": "/article/7bf135ba9261", "children": [{"x": [1, 2, {"y": "z"}]}] * 4}])
    rows = "".join(f"{i:x}:{row}\n" for i in range(3_000_000 // (len(row) + 6)))
    chunks = [rows[i:i + 8000] for i in range(0, len(rows), 8000)]
    return page("".join(f"<script>self.__next_f.push({json.dumps([1, c])})</script>" for c in chunks))


def jsonld_deep() -> bytes:
    return page('<script type="application/ld+json">' + "[" * 10_000 + "]" * 10_000 + "</script>")


def nested_divs() -> bytes:
    return page("<div>" * 10_000 + "deep text" + "</div>" * 10_000)


def meta_control_character() -> bytes:
    return page("").replace(b"<title>", b'<meta content="x" a\x01b="y"><title>')


def huge_body() -> bytes:
    paragraph = "<p>" + "Iraqi forces thrust north from the Euphrates Valley into the desert. " * 3 + "</p>"
    return page("<main><article><h1>Huge</h1>" + paragraph * (10 * MB // len(paragraph)) + "</article></main>")


def bare_divs() -> bytes:
    line = "<div>Iraqi forces thrust north from the Euphrates Valley into the desert.</div>"
    return ("<html><body>" + line * (10 * MB // len(line)) + "</body></html>").encode()


CASES = {f.__name__: f for f in (flight_push_repeats, flight_big_payload, flight_deep_row, nuxt_string_literal,
                                  nuxt_many_tokens, nuxt_function_many_tokens, nuxt_function_at_budget,
                                  nuxt_strings_at_budget, flight_rows_with_id_at_budget, jsonld_deep, nested_divs,
                                  meta_control_character, huge_body, bare_divs)}

CHILD = r"""
import json, resource, sys, time
from scrapy.utils.project import get_project_settings
from newsbot.offline import OfflinePipelines, extract

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()

settings = get_project_settings()
pipelines = OfflinePipelines(settings)
extract(b"<html><body><h1>warm</h1><p>up</p></body></html>", sys.argv[2], settings, pipelines)
body = open(sys.argv[1], "rb").read()
before = rss()
start = time.process_time()
try:
    result = extract(body, sys.argv[2], settings, pipelines)
    outcome = ("rejected: " + str(result.rejection)) if result.rejection else "item"
    outcome += (" problems=" + ",".join(result.problems)) if result.problems else ""
except Exception as error:
    outcome = "RAISED " + type(error).__name__
seconds = time.process_time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "above": max(peak - before, 0), "outcome": outcome[:120]}))
"""


def run_case(name: str, scratch: Path) -> dict:
    body = CASES[name]()
    path = scratch / f"{name}.html"
    path.write_bytes(body)
    del body
    child = subprocess.run([sys.executable, "-c", CHILD, str(path), URL], cwd=REPO, capture_output=True, text=True)
    if child.returncode != 0:
        return {"seconds": float("nan"), "above": 0, "outcome": "child failed: " + child.stderr.strip()[-200:],
                "size": path.stat().st_size}
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result["size"] = path.stat().st_size
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES))
    args = parser.parse_args()
    names = [args.only] if args.only else list(CASES)
    print(f"{'case':<28}{'size':>9}{'CPU s':>8}{'peak MB above':>15}  outcome")
    worst_time = worst_memory = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for name in names:
            result = run_case(name, Path(scratch))
            worst_time = max(worst_time, result["seconds"])
            worst_memory = max(worst_memory, result["above"] / MB)
            print(f"{name:<28}{result['size'] / MB:>7.1f}MB{result['seconds']:>8.2f}{result['above'] / MB:>15.0f}  "
                  f"{result['outcome']}")
    print(f"worst: {worst_time:.2f} s (bound 1 s), {worst_memory:.0f} MB above baseline (bound 100 MB)")


if __name__ == "__main__":
    main()
