"""The structured layers of a page: JSON-LD, meta tags, and CMS records.

Each class is built once per page from the page's one parsed tree and decodes each script
once; the article page asks them for fields, most reliable layer first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from parsel import Selector

from newsbot.pages import jsdata

ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "BlogPosting",
})
JSONLD_SCRIPTS = '//script[@type="application/ld+json"]/text()'
HOME_PAGE_TOPIC = "home page"
# Input budgets per layer (characters of script text; real pages carry well under a tenth):
# beyond them a layer is skipped and counted, so no page costs more than about a second.
FLIGHT_MAX_CHARS = 4_000_000
NUXT_MAX_CHARS = 500_000
HTML_COMMENT = re.compile(r"^\s*<!--|-->\s*$")


class JsonLd:
    """The page's JSON-LD: every object, and the first article object among them."""

    def __init__(self, selector: Selector):
        self.objects: list[dict] = []
        self.errors = 0
        for text in selector.xpath(JSONLD_SCRIPTS).getall():
            try:
                data = json.loads(HTML_COMMENT.sub("", text).strip().rstrip(";"))
            except (ValueError, RecursionError):  # RecursionError: nested deeper than json allows
                self.errors += 1
                continue
            self.objects.extend(_flatten_graph(data))
        self.article = next((o for o in self.objects if _types(o) & ARTICLE_TYPES), None)

    def get(self, key: str) -> Any:
        return self.article.get(key) if self.article else None


def _flatten_graph(data: Any) -> list[dict]:
    if isinstance(data, list):
        return [obj for item in data for obj in _flatten_graph(item)]
    if not isinstance(data, dict):
        return []
    return [data, *_flatten_graph(data.get("@graph", []))]


def _types(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


class Meta:
    """``<meta property|name=... content=...>`` values, first value per key, plus repeats."""

    def __init__(self, selector: Selector):
        self.values: dict[str, list[str]] = {}
        # Plain lxml reads: parsel's ``attrib`` copies every attribute and raises ValueError
        # on a control character in any attribute name (``<meta content="x" a\x01b="y">``).
        for meta in selector.root.iter("meta") if hasattr(selector.root, "iter") else ():
            content = meta.get("content")
            key = meta.get("property") or meta.get("name") or meta.get("itemprop")
            if key and content is not None:
                self.values.setdefault(key.strip().lower(), []).append(content)

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.values.get(key, []):
                if value.strip():
                    return value
        return None

    def all(self, key: str) -> list[str]:
        return [v for v in self.values.get(key, []) if v.strip()]


class FlightData:
    """Gen-3 Next.js flight data: the ``content`` record whose slug is the article id."""

    def __init__(self, selector: Selector, article_id: str | None):
        self.content: dict | None = None
        self.too_large = False
        scripts = _script_texts(selector, "self.__next_f.push")
        self.present = bool(scripts)
        if not scripts or not article_id:
            return
        if sum(map(len, scripts)) > FLIGHT_MAX_CHARS:
            self.too_large = True
            return
        rows = jsdata.flight_rows(jsdata.flight_payload(scripts), needle=article_id)
        for row in rows.values():
            record = jsdata.find_content_record(row, article_id)
            if record is not None:
                self.content = jsdata.resolve_flight_text(record, rows)
                return


class NuxtState:
    """Gen-2 Nuxt state: the full CMS ``content`` record and its ``related`` cards."""

    def __init__(self, selector: Selector):
        self.content: dict | None = None
        self.related: list[dict] = []
        self.error: str | None = None
        self.too_large = False
        scripts = _script_texts(selector, "window.__NUXT__")
        self.present = bool(scripts)
        for script in scripts:
            if len(script) > NUXT_MAX_CHARS:
                self.too_large = True
                continue
            try:
                state = jsdata.nuxt_state(script.strip())
            except (jsdata.JsSyntaxError, RecursionError) as error:
                self.error = str(error)
                continue
            for data in _nuxt_data(state):
                if isinstance(data.get("content"), dict):
                    self.content = data["content"]
                    self.related = [c for c in data.get("related") or [] if isinstance(c, dict)]
                    return


def _script_texts(selector: Selector | None, marker: str) -> list[str]:
    """Texts of the page's scripts containing ``marker`` (None: the page has none)."""
    root = selector.root if selector is not None else None
    if not hasattr(root, "iter"):
        return []
    return [script.text for script in root.iter("script") if script.text and marker in script.text]


def _nuxt_data(state: Any) -> list[dict]:
    if not isinstance(state, dict):
        return []
    data = state.get("data")
    blocks = [*data] if isinstance(data, list) else [data]  # a copy: the state stays as parsed
    blocks.append(state.get("state"))
    return [b for b in blocks if isinstance(b, dict)]


class CmsRecord:
    """Read one TRT CMS record (gen-2 ``content``, or the gen-3 flight ``content``)."""

    def __init__(self, record: dict | None):
        self.record = record or {}
        fields = self.record.get("fields")
        self.fields = fields if isinstance(fields, dict) else {}

    def __bool__(self) -> bool:
        return bool(self.record)

    def title(self) -> str | None:
        return _text(self.record.get("title")) or _text(self.fields.get("search_title"))

    def description(self) -> str | None:
        return _text(self.record.get("description"))

    def date_published(self) -> str | int | None:
        published = self.record.get("published")
        if isinstance(published, dict) and published.get("date"):
            return published["date"]
        return _first_value(self.record, "publishedAt", "publishedDate", "datePublished")

    def date_modified(self) -> str | int | None:
        for key in ("updated", "modified"):
            nested = self.record.get(key)
            if isinstance(nested, dict) and nested.get("date"):
                return nested["date"]
        return _first_value(self.record, "updatedAt", "modifiedAt", "dateModified", "updatedDate")

    def authors(self) -> list:
        authors = self.fields.get("authors") or self.record.get("authors") or []
        return [a for a in authors if isinstance(a, (dict, str))] if isinstance(authors, list) else []

    def sources(self) -> list[str]:
        sources = self.fields.get("sources") or self.record.get("sources") or []
        if not isinstance(sources, list):
            return []
        values = (s.get("value") or s.get("key") if isinstance(s, dict) else s for s in sources)
        return [v.strip() for v in values if isinstance(v, str) and v.strip()]

    def section(self) -> str | None:
        topics = self.fields.get("topics") or self.record.get("categories") or []
        for topic in topics if isinstance(topics, list) else []:
            title = _text(topic.get("title")) if isinstance(topic, dict) else None
            if title and title.lower() != HOME_PAGE_TOPIC:
                return title
        category = self.record.get("category")
        return _text(category.get("title")) if isinstance(category, dict) else None

    def tags(self) -> list[str]:
        tags = self.fields.get("tags") or self.record.get("tags") or []
        values = (t.get("value") if isinstance(t, dict) else t for t in tags) if isinstance(tags, list) else ()
        return [v.strip() for v in values if isinstance(v, str) and v.strip()]

    def image(self) -> tuple[str | None, str | None]:
        """(url, caption with its credit) of the lead image."""
        for image in (self.record.get("coverImage"), self.fields.get("mainImage")):
            if isinstance(image, dict) and image.get("url"):
                caption = image.get("title") or image.get("caption") or image.get("alt")
                return image["url"], caption if isinstance(caption, str) else None
        url = self.record.get("mainImageUrl")
        return (url, None) if isinstance(url, str) and url else (None, None)

    def body_html(self) -> list[str]:
        """The HTML of the text blocks, in order (embeds and story cards are not text)."""
        body = self.record.get("body")
        if isinstance(body, str):
            return [body]
        if not isinstance(body, list):
            return []
        return [block["value"] for block in body
                if isinstance(block, dict) and block.get("blockType") == "text"
                and isinstance(block.get("value"), str)]

    def read_time(self) -> int | None:
        value = _first_value(self.record, "readingTime", "readTime", "timeToRead")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def language(self) -> str | None:
        return _text(self.record.get("language") or self.record.get("locale"))


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("text") or value.get("@value")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _first_value(record: dict, *keys: str) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None
