"""Nuxt state decoding: newsbot's JS-literal reader vs chompjs, speed and agreement.

On the site copy's ``window.__NUXT__`` scripts (both forms: a plain object literal and the
``(function(a,b,...){return {...}}(...))`` form with hoisted values) and on large generated
literals. chompjs (a C tokenizer, pip install chompjs) is a benchmark-only candidate: it has
no notion of the function form's parameters (a hoisted name comes back as the string of its
name) and reads ``undefined`` as the string ``"undefined"``, so where it disagrees with the
JavaScript meaning the row says so.

    python benchmarks/js_literals.py
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsbot.pages import jsdata  # noqa: E402

try:
    import chompjs
except ImportError:
    chompjs = None

SCRIPT = re.compile(r"<script>(window\.__NUXT__=.*?)</script>", re.DOTALL)


def site_scripts() -> list[str]:
    scripts = []
    for path in sorted((REPO / "tests" / "site" / "pages").rglob("*.html")):
        scripts += SCRIPT.findall(path.read_text(encoding="utf-8"))
    return scripts


def cpu(work, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def chomp(script: str):
    return chompjs.parse_js_object(script.split("=", 1)[1])


def main() -> None:
    scripts = site_scripts()
    plain = [s for s in scripts if s.split("=", 1)[1].lstrip().startswith("{")]
    cases = {
        f"site copy, {len(plain)} object-form states": plain,
        f"site copy, {len(scripts) - len(plain)} function-form states": [s for s in scripts if s not in plain],
        "one 9 MB string literal": ['window.__NUXT__={data:[{content:{title:"' + "a" * 9_000_000 + '"}}]}'],
        "2.5M tokens (numbers)": ["window.__NUXT__={data:[" + "1," * 1_250_000 + "1]}"],
        "250k keys and strings": ["window.__NUXT__={data:[" + '{k:"v"},' * 125_000 + '{k:"v"}]}'],
    }
    print(f"{'input':<42}{'newsbot s':>10}{'chompjs s':>10}  agreement")
    for name, inputs in cases.items():
        ours = cpu(lambda: [jsdata.nuxt_state(s) for s in inputs])
        if chompjs is None:
            print(f"{name:<42}{ours:>10.3f}{'-':>10}  chompjs not installed")
            continue
        try:
            theirs = cpu(lambda: [chomp(s) for s in inputs])
            same = sum(jsdata.nuxt_state(s) == chomp(s) for s in inputs)
            agreement = f"{same}/{len(inputs)} identical"
        except Exception as error:  # chompjs raises its own and json's errors
            theirs, agreement = float("nan"), f"chompjs failed: {type(error).__name__}"
        print(f"{name:<42}{ours:>10.3f}{theirs:>10.3f}  {agreement}")


if __name__ == "__main__":
    main()
