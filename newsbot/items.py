"""The article record: one typed dataclass, read everywhere through ItemAdapter.

The field names and their order are the output contract: feed exporters write the
fields in this order, and the JSON Schema in ``newsbot/schema`` is generated from
these classes (``python -m newsbot.schema``), never written by hand.

``section`` is the one canonical name of the section (``newsbot.normalise.sections``),
``section_raw`` the label as the winning layer gave it (schema version 3 added it).

``revision`` counts exports of the same article: 1 when first exported, +1 each time an
incremental crawl exports it again because it changed (schema version 2 added it).

Raw values sit beside normalised ones (``date_published`` / ``date_published_raw``,
``authors`` / ``byline_raw``): page objects fill the raw side, pipelines normalise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = 3


@dataclass
class Image:
    """The lead image."""

    url: str | None = None
    caption: str | None = None
    credit: str | None = None


@dataclass
class RelatedLink:
    """One link of the article's Explore (related) block."""

    url: str
    headline: str | None = None


@dataclass
class Article:
    """One TRT World article, as exported (one JSON line each)."""

    url: str
    article_id: str
    headline: str | None = None
    description: str | None = None
    section: str | None = None
    section_raw: str | None = None
    read_time_minutes: int | None = None
    date_published: str | None = None
    date_modified: str | None = None
    date_published_raw: str | None = None
    authors: list[str] = field(default_factory=list)
    byline_raw: str | None = None
    sources: list[str] = field(default_factory=list)
    image: Image | None = None
    body: str | None = None
    related: list[RelatedLink] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)
    scraped_at: str | None = None
    schema_version: int = SCHEMA_VERSION
    revision: int = 1


REQUIRED_FIELDS = ("url", "article_id", "headline", "body", "date_published")
