"""Golden data: expected items of the site copy and of saved live fixtures."""

from __future__ import annotations

import json
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SITE_DIR = TESTS / "site"
FIXTURES_DIR = TESTS / "fixtures"
PRODUCTION = "https://www.trtworld.com"
# Fields that change every run or say how, not what: checked by their own tests.
UNCOMPARED_FIELDS = ("provenance", "scraped_at", "schema_version", "review")


def load_manifest() -> dict:
    return json.loads((SITE_DIR / "manifest.json").read_text(encoding="utf-8"))


def load_routes() -> dict:
    return json.loads((SITE_DIR / "routes.json").read_text(encoding="utf-8"))


def with_site(value, site: str):
    """Replace the ``{site}`` placeholder of expected items by a real origin."""
    if isinstance(value, str):
        return value.replace("{site}", site)
    if isinstance(value, list):
        return [with_site(v, site) for v in value]
    if isinstance(value, dict):
        return {k: with_site(v, site) for k, v in value.items()}
    return value


def site_expectations() -> dict[str, dict]:
    """slug -> expected item (with ``{site}`` placeholders) for every site-copy article."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((SITE_DIR / "expected").glob("*.json"))}


def fixture_expectations() -> dict[str, tuple[Path, dict]]:
    """slug -> (saved page, expected item) for fixtures saved by `scrapy savefixture`."""
    return {path.stem: (path.with_suffix(".html"), json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(FIXTURES_DIR.glob("*.json")) if path.with_suffix(".html").exists()}


def compared_fields(expected: dict) -> list[str]:
    return [field for field in expected if field not in UNCOMPARED_FIELDS and field != "rejected"]
