"""The visible layer alone: the seed page's real text in the confirmed reading order,
each line in a bare <div> (no h1, no article, no figure, no time, no class, no data).

`tests/data/seed-13099992.txt` is a copy of the stored visible text of the real page
(`../shared/seeds/`); its first line starts with `date 2017-11-25`, added by whatever stored
the text, and the page itself starts at `WORLD`.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from scrapy.utils.project import get_project_settings

from newsbot.offline import extract

SEED = Path(__file__).parent / "data" / "seed-13099992.txt"
URL = "https://www.trtworld.com/article/13099992"


def seed_lines() -> list[str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines[0] = lines[0].split("2017-11-25", 1)[1].strip()  # the storer's prefix, not the page's
    return lines


def bare_page() -> bytes:
    blocks, in_explore = [], False
    for number, line in enumerate(seed_lines()):
        text = html.escape(line)
        if line == "Explore":
            in_explore = True
        elif in_explore and not line.startswith(("Sneak a peek", "Contact us")):
            text = f'<a href="/article/{number:012x}">{text}</a>'
        blocks.append(f"<div>{text}</div>")
    return ("<html><body>" + "".join(blocks) + "</body></html>").encode("utf-8")


@pytest.fixture(scope="module")
def item():
    extraction = extract(bare_page(), URL, get_project_settings())
    assert extraction.rejection is None
    return extraction.item


def test_header_fields(item):
    assert item.section == "World"
    assert item.read_time_minutes == 4
    assert item.headline == "Iraqi forces open new front in final push against Daesh"
    assert item.description.startswith("The move comes as part of an offensive launched on Thursday")
    assert item.date_published == "2017-11-25"
    assert item.date_published_raw == "November 25, 2017"


def test_byline_and_source(item):
    assert item.authors == ["Staff Reporter"]
    assert item.byline_raw == "By Staff Reporter"
    assert item.sources == ["Agence France-Presse"]


def test_body_is_the_article_text_only(item):
    paragraphs = item.body.split("\n\n")
    assert paragraphs[0].startswith("Iraqi forces thrust north from the Euphrates Valley")
    assert paragraphs[-1].startswith("It is now being flushed out of its last desert hideouts")
    assert len(paragraphs) == 15
    for furniture in ("SOURCE:AFP", "Explore", "Sneak a peek", "/ AFP", "By Staff Reporter"):
        assert furniture not in item.body


def test_explore_links_in_page_order(item):
    assert len(item.related) == 15
    assert item.related[0].headline.startswith("Türkiye marks 51st anniversary of Cyprus Peace Operation")
    assert item.related[-1].headline == "Dozens of pro-Palestine protesters arrested in UK after Palestine Action ban"
    assert all(link.url.startswith("https://www.trtworld.com/article/") for link in item.related)


def test_every_field_came_from_the_visible_layer(item):
    assert set(item.provenance.values()) <= {"dom", "response"}
