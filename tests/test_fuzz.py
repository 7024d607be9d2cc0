"""Hypothesis over mutated site-copy pages: nothing escapes ``decide()``.

Pages of tests/site (reconstructions, see tests/site_build.py) are mutated at the byte level
(cuts, deletions, duplications, inserted and flipped bytes) and at the structure level
(deep nesting, hostile attributes, broken or deeply nested JSON, charset declarations,
dropped closers). Whatever comes out, ``decide()`` returns a ``Decision``: an item, or a
rejection with a reason from the README's table (an extraction bug is
``internal_error:<Type>``), never an exception.
"""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings, strategies as st
from scrapy.http import HtmlResponse

from newsbot.pages.decision import decide
from newsbot.urls import SiteRules
from tests.conftest import SITE_DIR

ROUTES = json.loads((SITE_DIR / "routes.json").read_text(encoding="utf-8"))
SITE = SiteRules("https://www.trtworld.com")
PAGES = sorted((path, (SITE_DIR / route["file"]).read_bytes()) for path, route in ROUTES.items()
               if "file" in route and "html" in route.get("content_type", "")
               and SITE.is_article(SITE.url_for(path)))
REASONS = {"not_html", "challenge_page", "truncated", "bad_charset"}

# Structural pieces a hostile page may carry (the list, and more).
HOSTILE = [
    b"<div>" * 3000 + b"x" + b"</div>" * 3000,
    b'<meta content="x" a\x01b="y">',
    b'<meta property="og:title" content="\x00\xff">',
    b'<script type="application/ld+json">' + b"[" * 3000 + b"]" * 3000 + b"</script>",
    b'<script type="application/ld+json">{"@type": "NewsArticle", "headline": ' + b"[" * 500 + b"</script>",
    b'<script>self.__next_f.push([1,"' + b'\\"' * 2000 + b'"])</script>',
    b'<script>self.__next_f.push([' * 200 + b"</script>",
    b"<script>window.__NUXT__=(function(a){return {data:[" + b"{" * 2000 + b"]}}(1))</script>",
    b'<meta charset="iso-8859-9">',
    b'<meta http-equiv="Content-Type" content="text/html; charset=x-unknown-charset">',
    b"<!--", b"<![CDATA[", b"<svg><script>", b"</html>", b"<html>", b"\xef\xbb\xbf", b"\xff\xfe",
    b"<table>" * 500, b"<a href='javascript:alert(1)'>", b"<link rel=canonical href='http://[::1'>",
    b"<time datetime='99999-99-99T99:99'>", b"<img src='data:,'>" * 100,
]


@st.composite
def mutated_pages(draw):
    path, body = draw(st.sampled_from(PAGES))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(body)))
        kind = draw(st.sampled_from(["cut", "delete", "duplicate", "insert", "flip", "hostile", "closers"]))
        if kind == "cut":
            body = body[:at]
        elif kind == "delete":
            body = body[:at] + body[at + draw(st.integers(1, 5000)):]
        elif kind == "duplicate":
            body = body[:at] + body[at:at + draw(st.integers(1, 5000))] * 2 + body[at:]
        elif kind == "insert":
            body = body[:at] + draw(st.binary(min_size=1, max_size=64)) + body[at:]
        elif kind == "flip":
            body = bytes(b ^ 0xFF if at <= i < at + 8 else b for i, b in enumerate(body))
        elif kind == "hostile":
            body = body[:at] + draw(st.sampled_from(HOSTILE)) + body[at:]
        else:  # structure: closing tags dropped from here on
            body = body[:at] + re.sub(rb"</(?:div|p|article|script|main|body)\s*>", b"", body[at:])
    charset = draw(st.sampled_from(["utf-8", "iso-8859-9", "windows-1252", "utf-16", ""]))
    return path, body, charset


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.data_too_large])
@given(mutated_pages())
def test_nothing_escapes_decide(page):
    path, body, charset = page
    headers = {"Content-Type": f"text/html; charset={charset}" if charset else "text/html"}
    response = HtmlResponse(url=SITE.url_for(path), body=body, headers=headers)
    decision = decide(response, SITE)
    assert (decision.item is None) == decision.rejected or decision.skip
    if decision.rejected:
        assert decision.reason in REASONS or decision.reason.startswith("internal_error:"), decision.reason
        assert decision.detail
