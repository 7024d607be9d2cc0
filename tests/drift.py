"""Drifted copies of the site copy: one layer's values changed on every page, the others
left alone, as a layout change on the real site would do.

``drifted_copy(tmp_path, "jsonld_date")`` copies ``tests/site/`` (itself a RECONSTRUCTION,
see ``tests/site_build.py``) and rewrites every page; the copy is served by
``tests.site_server.SiteServer(root=...)``. Kinds:

* ``jsonld_date``: every JSON-LD ``datePublished`` one year later;
* ``og_title``: every ``og:title`` replaced by another headline of the copy (the site's
  template putting the wrong story's title in its meta tags).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.goldens import SITE_DIR

JSONLD_BLOCK = re.compile(r"(<script[^>]*type=\"application/ld\+json\"[^>]*>)(.*?)(</script>)", re.DOTALL)
DATE_PUBLISHED = re.compile(r'("datePublished":\s*")(\d{4})')
OG_TITLE = re.compile(r'(<meta[^>]*property="og:title"[^>]*content=")([^"]*)(")')
OTHER_TITLE = "Iraqi forces open new front in final push against Daesh - TRT World"


def _later_year(block: re.Match) -> str:
    body = DATE_PUBLISHED.sub(lambda m: m.group(1) + str(int(m.group(2)) + 1), block.group(2))
    return block.group(1) + body + block.group(3)


DRIFTS = {
    "jsonld_date": lambda html: JSONLD_BLOCK.sub(_later_year, html),
    "og_title": lambda html: OG_TITLE.sub(lambda m: m.group(1) + OTHER_TITLE + m.group(3), html),
}


def drifted_copy(tmp_path: Path, kind: str) -> Path:
    """A copy of the site copy with one layer drifted; returns its root."""
    root = tmp_path / f"site-{kind}"
    shutil.copytree(SITE_DIR, root)
    changed = 0
    for page in sorted((root / "pages").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        drifted = DRIFTS[kind](html)
        if drifted != html:
            page.write_text(drifted, encoding="utf-8")
            changed += 1
    assert changed, f"the {kind} drift changed no page"
    return root
