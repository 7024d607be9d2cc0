"""``benchmarks/extraction.py --breakdown`` times what it says it times.

The breakdown wraps the functions that do each part of newsbot's work on a page. If one of
them were renamed, or ``extract()`` stopped reaching it through the attribute the benchmark
wraps, the part would read 0 ms and its time would silently move to "layers + item": the
test extracts one page of the site copy inside the timers and asks for every part, then
checks the real functions are back afterwards.
"""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.utils.project import get_project_settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import extraction  # noqa: E402
from pageset import site_article_pages  # noqa: E402

from newsbot.offline import OfflinePipelines, extract  # noqa: E402


def test_every_part_of_the_breakdown_is_timed_on_a_page_and_the_functions_are_restored():
    settings = get_project_settings()
    url, body = next((url, body) for url, body in site_article_pages() if b"__next_f" in body)
    before = [owner.__dict__[name] for _, owner, name in extraction.PARTS]
    spent: dict[str, float] = {}
    with extraction.timed_parts(spent):
        result = extract(body, url, settings, OfflinePipelines(settings))
    assert result.item is not None and result.rejection is None
    assert set(spent) == {label for label, _, _ in extraction.PARTS}
    assert all(seconds > 0 for seconds in spent.values()), spent
    assert [owner.__dict__[name] for _, owner, name in extraction.PARTS] == before


def test_the_timers_leave_the_extraction_unchanged():
    settings = get_project_settings()
    url, body = site_article_pages()[0]
    plain = extract(body, url, settings, OfflinePipelines(settings)).item
    with extraction.timed_parts({}):
        timed = extract(body, url, settings, OfflinePipelines(settings)).item
    plain.scraped_at = timed.scraped_at
    assert timed == plain
