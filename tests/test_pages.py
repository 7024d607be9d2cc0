"""Golden tests of extraction + pipelines, offline, per page and per field.

Every article page of the site copy (and every saved live fixture) is extracted exactly
as the crawl would, and each field is its own test, so a layout break names the field.
"""

from __future__ import annotations

import json

import pytest
from itemadapter import ItemAdapter
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.serialize import ScrapyJSONEncoder

from newsbot.offline import OfflinePipelines, extract
from tests.goldens import (
    PRODUCTION,
    SITE_DIR,
    compared_fields,
    fixture_expectations,
    load_manifest,
    load_routes,
    site_expectations,
    with_site,
)

SITE_EXPECTED = site_expectations()
FIXTURES = fixture_expectations()
MANIFEST = load_manifest()
ROUTES = load_routes()


def settings() -> Settings:
    project = get_project_settings().copy()
    project.set("NEWSBOT_SITE_URL", PRODUCTION)
    return project


def as_json(item) -> dict:
    return json.loads(ScrapyJSONEncoder().encode(ItemAdapter(item).asdict()))


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    """Each site-copy article extracted once (fresh pipelines: no cross-page duplicates)."""
    results = {}
    for slug in SITE_EXPECTED:
        path = MANIFEST["articles"][slug]
        body = (SITE_DIR / ROUTES[path]["file"]).read_bytes()
        extraction = extract(body, PRODUCTION + path, settings(), OfflinePipelines(settings()))
        assert extraction.rejection is None, f"{slug}: {extraction.rejection}"
        results[slug] = as_json(extraction.item)
    return results


SITE_CASES = [(slug, field) for slug, expected in SITE_EXPECTED.items() for field in compared_fields(expected)]


@pytest.mark.parametrize("slug, field", SITE_CASES, ids=[f"{s}:{f}" for s, f in SITE_CASES])
def test_site_copy_field(extracted, slug, field):
    expected = with_site(SITE_EXPECTED[slug][field], PRODUCTION)
    assert extracted[slug][field] == expected


FIXTURE_CASES = [(slug, field) for slug, (_, expected) in FIXTURES.items() for field in compared_fields(expected)]


if FIXTURE_CASES:  # pages saved from the live site by `scrapy savefixture` (none yet)
    @pytest.mark.parametrize("slug, field", FIXTURE_CASES, ids=[f"{s}:{f}" for s, f in FIXTURE_CASES])
    def test_saved_fixture_field(slug, field):
        page, expected = FIXTURES[slug]
        if expected.get("review"):
            pytest.skip(f"{slug}.json is {expected['review']}: review it, then delete its 'review' key")
        extraction = extract(page.read_bytes(), expected["url"], get_project_settings())
        assert as_json(extraction.item)[field] == expected[field]


LAYER_SOURCE = {"jsonld": "jsonld", "og": "meta", "flight": "flight", "nuxt": "nuxt", "dom": "dom"}


@pytest.mark.parametrize("slug", sorted(SITE_EXPECTED))
def test_headline_comes_from_the_most_reliable_layer_present(extracted, slug):
    layers = [layer.split(":") for layer in MANIFEST["layers"][slug]]
    usable = [LAYER_SOURCE[parts[0]] for parts in layers if "broken" not in parts]
    assert extracted[slug]["provenance"]["headline"] == usable[0]


@pytest.mark.parametrize("slug", sorted(SITE_EXPECTED))
def test_every_field_with_a_value_says_where_it_came_from(extracted, slug):
    item = extracted[slug]
    provenance = item["provenance"]
    for field in ("headline", "description", "date_published", "body", "section", "tags", "related"):
        if item[field]:
            assert provenance[field] in {"jsonld", "microdata", "rdfa", "meta", "flight", "nuxt",
                                         "time", "state", "dom"}, field


def test_broken_json_ld_is_counted_and_other_layers_take_over():
    slug = "unrwa-exposes-disturbing-israeli-abuse-of-palestinian-detainees-report-17248187"
    path = MANIFEST["articles"][slug]
    extraction = extract((SITE_DIR / ROUTES[path]["file"]).read_bytes(), PRODUCTION + path, settings())
    assert extraction.problems == ["jsonld_invalid"]
    assert extraction.item.provenance["headline"] == "nuxt"


def test_empty_body_page_is_rejected_with_its_reason():
    path = next(p for p, why in MANIFEST["rejected"].items() if why["reason"] == "invalid")
    extraction = extract((SITE_DIR / ROUTES[path]["file"]).read_bytes(), PRODUCTION + path, settings())
    assert extraction.rejection.kind == "invalid"
    assert extraction.rejection.reasons == [f"missing {field}" for field in MANIFEST["rejected"][path]["missing"]]
