"""The README's sample line, made by the current code from the site copy's seed article.

    python tests/readme_sample.py          # print the sample line
    python tests/readme_sample.py --write  # put it into README.md, between the markers

``tests/test_readme.py`` fails when the README's line is not what this prints.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapy.settings import Settings  # noqa: E402

from newsbot.commands._output import dumps_line, extraction_record  # noqa: E402
from newsbot.offline import extract  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
PAGE = REPO / "tests" / "site" / "pages" / "article" / "13099992.html"
URL = "https://www.trtworld.com/article/13099992"
SCRAPED_AT = datetime(2026, 11, 24, 10, 56, 32, tzinfo=timezone.utc)
BODY_CHARS = 160
RELATED_SHOWN = 2
START, END = "<!-- sample-line: begin (python tests/readme_sample.py --write) -->", "<!-- sample-line: end -->"


def sample_line() -> str:
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    settings.set("NEWSBOT_SITE_URL", "https://www.trtworld.com", priority="cmdline")
    record = extraction_record(extract(PAGE.read_bytes(), URL, settings, scraped_at=SCRAPED_AT))
    assert "rejected" not in record, record["rejected"]
    record["body"] = record["body"][:BODY_CHARS].rstrip() + " …"
    record["related"] = record["related"][:RELATED_SHOWN]
    return dumps_line(record)


def readme_block(line: str) -> str:
    return f"{START}\n```json\n{line}\n```\n{END}"


def current_block(text: str) -> str:
    start, end = text.index(START), text.index(END) + len(END)
    return text[start:end]


def main() -> None:
    line = sample_line()
    if "--write" in sys.argv[1:]:
        text = README.read_text(encoding="utf-8")
        README.write_text(text.replace(current_block(text), readme_block(line)), encoding="utf-8")
    else:
        print(line)


if __name__ == "__main__":
    main()
