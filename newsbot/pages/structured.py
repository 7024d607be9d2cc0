"""The structured layers of a page: JSON-LD, microdata, meta tags, ``<time>`` tags, JSON
state blobs, and TRT's CMS records (Next.js flight data, Nuxt state).

Each class is built once per page from the page's one parsed tree and decodes each script
once; the article page asks them for fields, most reliable layer first. JSON-LD and meta
tags are read here directly from the lxml tree, microdata and RDFa by extruct: measured on
the site copy (``benchmarks/structured.py``), extruct's JSON-LD + OpenGraph path is slower
on the same tree, loses every JSON-LD block of a page when one block is broken, and bounds
neither size nor depth; its RDFa reader re-parses the page into a DOM (milliseconds per
page), so it runs only on pages that carry RDFa attributes.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from typing import Any

from extruct.rdfa import RDFaExtractor
from extruct.utils import parse_xmldom_html
from extruct.w3cmicrodata import MicrodataExtractor

from newsbot.pages import jsdata
from newsbot.pages.visible import following, text_content

ARTICLE_TYPES = frozenset({
    "NewsArticle", "Article", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "BlogPosting",
})
ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})
# Scripts are read from the page's list of scripts (``Scripts``), made once per page.
JSONLD_TYPE = "application/ld+json"  # JSON-LD: the script's type, exactly
FLIGHT_MARKER = "self.__next_f.push"
NUXT_MARKER = "window.__NUXT__"
# A JSON state blob: typed application/json, or assigning one of these (not flight data).
STATE_TYPE = "application/json"
STATE_MARKERS = ("__INITIAL_STATE__", "__PRELOADED_STATE__")
ITEMSCOPE = "//*[@itemscope]"
LOOSE_ITEMPROP = ('//*[contains(concat(" ", normalize-space(@itemprop), " "), concat(" ", $name, " "))]'
                  '[not(ancestor::*[@itemscope])]')
RDFA_MARKERS = "//*[@typeof or @vocab][not(self::meta)]"
# The same question asked of the attribute nodes (about half the cost of testing every element
# on a page of real size); the owner element's name is then tested as RDFA_MARKERS does.
RDFA_ATTRIBUTES = "//@typeof|//@vocab"
TIME_OUTSIDE_CARDS = "[not(ancestor::a or ancestor::nav or ancestor::footer or ancestor::aside)]"
TIME_TAGGED = ('//time[@datetime][@pubdate or @itemprop="datePublished" or '
               'contains(@class, "publish")]' + TIME_OUTSIDE_CARDS)
TIME_MODIFIED = ('//time[@datetime][@itemprop="dateModified" or contains(@class, "updated") or '
                 'contains(@class, "modified")]' + TIME_OUTSIDE_CARDS)
TIME_AFTER_HEADLINE = "(//h1)[1]/following::time[@datetime]" + TIME_OUTSIDE_CARDS
TIME_IN_ARTICLE = "//article//time[@datetime]" + TIME_OUTSIDE_CARDS
HOME_PAGE_TOPIC = "home page"
# Input budgets per layer (characters of script text; real pages carry well under a tenth):
# beyond them a layer is skipped and counted, so no page costs more than about a second.
FLIGHT_MAX_CHARS = 4_000_000
NUXT_MAX_CHARS = 500_000
HTML_COMMENT = re.compile(r"^\s*<!--|-->\s*$")
STATE_ASSIGNMENT = re.compile(r"^[^=]{0,200}?=\s*(?=[{\[])")
# Bounds on embedded data: an article's JSON-LD is a few KB (a few hundred with articleBody).
MAX_JSONLD_CHARS = 1_000_000
MAX_JSONLD_DEPTH = 64
MAX_STATE_CHARS = 2_000_000
MAX_STATE_NODES = 200_000
STATE_DATE_KEYS = ("datePublished", "publishedAt", "published_at", "publishDate", "publish_date",
                   "publicationDate", "firstPublishedAt", "firstPublished", "pubDate")
STATE_MODIFIED_KEYS = ("dateModified", "updatedAt", "updated_at", "modifiedAt", "lastModified")
STATE_TITLE_KEYS = ("headline", "title", "name")


class JsonLd:
    """The page's JSON-LD: every object, the article object among them, and ``@id`` references
    resolved within the page (Yoast's ``"author": {"@id": ".../#/schema/person/..."}``).

    A block over ``MAX_JSONLD_CHARS`` or nested deeper than ``MAX_JSONLD_DEPTH`` is skipped
    and counted (``too_large``, ``too_deep``), like a block that is not JSON (``errors``).
    """

    def __init__(self, scripts: "Scripts | None"):
        self.objects: list[dict] = []
        self.ids: dict[str, dict] = {}
        self.errors = self.too_large = self.too_deep = 0
        nested: list[dict] = []
        for text in scripts.of_type(JSONLD_TYPE) if scripts is not None else ():
            if len(text) > MAX_JSONLD_CHARS:
                self.too_large += 1
                continue
            try:
                data = json.loads(HTML_COMMENT.sub("", text).strip().rstrip(";"))
            except RecursionError:  # the C decoder's own guard against deep nesting
                self.too_deep += 1
                continue
            except ValueError:
                self.errors += 1
                continue
            walked = _walk(data, MAX_JSONLD_DEPTH)
            if walked is None:
                self.too_deep += 1
                continue
            self.objects.extend(_flatten_graph(data))
            nested.extend(walked)
        for obj in nested:
            key = obj.get("@id")
            if isinstance(key, str) and len(obj) > 1 and len(obj) > len(self.ids.get(key, {})):
                self.ids[key] = obj
        self.article = (next((o for o in self.objects if _types(o) & ARTICLE_TYPES), None)
                        or next((o for o in nested if _types(o) & ARTICLE_TYPES), None))

    def get(self, key: str) -> Any:
        return self.resolve(self.article.get(key)) if self.article else None

    def resolve(self, value: Any) -> Any:
        """``{"@id": X}`` -> the page's object with ``@id`` X (its own keys win); lists item by
        item. An unresolved reference stays as it is: it names nobody."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            target = self.ids.get(value["@id"])
            if target is not None and target is not value:
                return {**target, **value}
        return value

    def publisher_names(self) -> list[str]:
        """Names of the organisations that publish the page (the article's ``publisher``,
        every ``NewsMediaOrganization``): an author of that name is the publisher."""
        names = []
        publisher = self.get("publisher")
        candidates = [*(publisher if isinstance(publisher, list) else [publisher]),
                      *(o for o in self.ids.values() if _types(o) & ORGANISATION_TYPES)]
        for candidate in candidates:
            name = candidate.get("name") if isinstance(candidate, dict) else None
            if isinstance(name, str) and name.strip():
                names.append(name.strip())
        return names


def _walk(data: Any, max_depth: int) -> list[dict] | None:
    """Every object of a decoded JSON value, breadth first; None when deeper than max_depth."""
    found: list[dict] = []
    level, depth = [data], 0
    while level:
        if depth > max_depth:
            return None
        following = []
        for node in level:
            if isinstance(node, dict):
                found.append(node)
                following.extend(v for v in node.values() if isinstance(v, (dict, list)))
            elif isinstance(node, list):
                following.extend(v for v in node if isinstance(v, (dict, list)))
        level, depth = following, depth + 1
    return found


def _flatten_graph(data: Any) -> list[dict]:
    """Top-level objects and the members of their ``@graph`` (bounded by _walk beforehand)."""
    out: list[dict] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            out.append(node)
            graph = node.get("@graph")
            if isinstance(graph, (list, dict)):
                stack.append(graph)
    return out


def _types(obj: dict) -> set[str]:
    value = obj.get("@type", obj.get("type"))
    values = value if isinstance(value, list) else [value]
    return {re.split(r"[/:#]", v)[-1] for v in values if isinstance(v, str)}


def has_rdfa_markers(root) -> bool:
    """Whether ``RDFA_MARKERS`` finds an element under ``root``."""
    return any(value.getparent() is not None and value.getparent().tag != "meta"
               for value in _xpath(root, RDFA_ATTRIBUTES))


def _xpath(root, query: str, **variables) -> list:
    return root.xpath(query, **variables) if root is not None and hasattr(root, "xpath") else []


class Meta:
    """``<meta property|name|itemprop=... content=...>`` values, first value per key, plus repeats."""

    def __init__(self, root):
        self.values: dict[str, list[str]] = {}
        # Plain lxml reads: parsel's ``attrib`` copies every attribute and raises ValueError
        # on a control character in any attribute name (``<meta content="x" a\x01b="y">``).
        for meta in root.iter("meta") if hasattr(root, "iter") else ():
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


class Microdata:
    """schema.org microdata (``itemscope``/``itemprop``), read by extruct: the article item as
    a JSON-LD-like dict (``{"@type": ..., "headline": ..., "author": {...}}``). A page without
    ``itemscope`` costs one XPath; a date marked with a loose ``itemprop`` outside any item
    is still read (``loose()``)."""

    def __init__(self, root, base_url: str | None = None):
        self.root = root
        self.article: dict | None = None
        if not _xpath(root, ITEMSCOPE):
            return
        try:
            items = MicrodataExtractor().extract_items(root, base_url)
        except Exception:  # extruct on hopeless markup: no microdata, not a crash
            return
        for obj in _walk([_from_microdata(item, 0) for item in items], MAX_JSONLD_DEPTH) or []:
            if _types(obj) & ARTICLE_TYPES:
                self.article = obj
                return

    def get(self, key: str) -> Any:
        return self.article.get(key) if self.article else None

    def loose(self, name: str) -> str | None:
        for element in _xpath(self.root, LOOSE_ITEMPROP, name=name):
            value = element.get("content") or element.get("datetime") or text_content(element)
            if value and value.strip():
                return value.strip()
        return None


class Rdfa:
    """schema.org RDFa (``vocab``/``typeof``/``property``), read by extruct: the article node as
    a JSON-LD-like dict with local property names and ``@id`` references resolved. extruct
    re-parses the page into a DOM for RDFa (``benchmarks/structured.py``: tens of times the
    cost of the other readers), so only pages with ``typeof``/``vocab`` attributes pay it."""

    def __init__(self, root, text: str, base_url: str | None = None):
        self.article: dict | None = None
        if not has_rdfa_markers(root):
            return
        try:
            nodes = RDFaExtractor().extract_items(parse_xmldom_html(text, encoding="utf-8"),
                                                  base_url=base_url)
        except Exception:  # pyRdfa on hopeless markup: no RDFa, not a crash
            return
        self.ids = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}
        for node in nodes:
            if isinstance(node, dict) and _types(node) & ARTICLE_TYPES:
                self.article = self._simple(node, 0)
                return

    def get(self, key: str) -> Any:
        return self.article.get(key) if self.article else None

    def _simple(self, node: dict, depth: int) -> dict:
        out: dict[str, Any] = {"@type": node.get("@type")}
        for key, values in node.items():
            if key.startswith("@") or not isinstance(values, list):
                continue
            simple = [self._value(v, depth) for v in values]
            simple = [v for v in simple if v not in (None, "")]
            out[re.split(r"[/#]", key)[-1]] = simple[0] if len(simple) == 1 else simple
        return out

    def _value(self, value: Any, depth: int) -> Any:
        if not isinstance(value, dict):
            return value
        if "@value" in value:
            return value["@value"]
        target = self.ids.get(value.get("@id"))
        return self._simple(target, depth + 1) if target is not None and depth < 4 else None


def _from_microdata(value: Any, depth: int) -> Any:
    if depth > MAX_JSONLD_DEPTH:
        return None
    if isinstance(value, list):
        return [_from_microdata(v, depth + 1) for v in value]
    if isinstance(value, dict) and "properties" in value:
        out = {k: _from_microdata(v, depth + 1) for k, v in (value.get("properties") or {}).items()}
        out["@type"] = value.get("type")
        return out
    return value


class TimeTags:
    """``<time datetime>`` of the article: one marked as the publication time, else the first
    after the headline, else the first in ``<article>``; never one inside a link or the
    page furniture (Explore cards carry their own dates).

    What ``TIME_TAGGED``, ``TIME_MODIFIED``, ``TIME_AFTER_HEADLINE`` and ``TIME_IN_ARTICLE``
    find, read off the page's ``time`` elements (collected once, by lxml) instead of four
    searches of the whole tree."""

    def __init__(self, root):
        self.root = root

    @cached_property
    def _times(self) -> list:
        """The ``time`` elements with a ``datetime`` outside links and furniture, in page order."""
        if not hasattr(self.root, "iter"):
            return []
        return [time for time in self.root.iter("time") if time.get("datetime") is not None
                and not any(_local(a) in CARD_ANCESTORS for a in time.iterancestors())]

    def published(self) -> str | None:
        times = self._times
        if not times:
            return None
        tagged = [t for t in times if t.get("pubdate") is not None or t.get("itemprop") == "datePublished"
                  or "publish" in (t.get("class") or "")]
        headline = next(self.root.iter("h1"), None)
        kept = set(times)
        after_headline = [] if headline is None else [t for t in following(headline, "time") if t in kept]
        in_article = [t for t in times if any(_local(a) == "article" for a in t.iterancestors())]
        return _first_datetime(tagged) or _first_datetime(after_headline) or _first_datetime(in_article)

    def modified(self) -> str | None:
        return _first_datetime([t for t in self._times if t.get("itemprop") == "dateModified"
                                or "updated" in (t.get("class") or "") or "modified" in (t.get("class") or "")])


CARD_ANCESTORS = frozenset({"a", "nav", "footer", "aside"})


def _local(element) -> str | None:
    """The element's tag as XPath's name test sees it (None for comments and namespaced tags)."""
    tag = element.tag
    return tag if isinstance(tag, str) and "}" not in tag else None


def _first_datetime(times: list) -> str | None:
    for time in times:
        value = time.get("datetime", "").strip()
        if value:
            return value
    return None


class StateBlob:
    """Dates in a JSON state blob (``<script type="application/json">``,
    ``window.__INITIAL_STATE__ = {...}``): the record whose title is the page's headline,
    else the only record with a publication date. Bounded in size and in nodes visited."""

    def __init__(self, scripts: "Scripts | None", headline: str | None):
        self.record: dict | None = None
        records: list[dict] = []
        for text in scripts.state_blobs() if scripts is not None else ():
            if len(text) > MAX_STATE_CHARS:
                continue
            text = STATE_ASSIGNMENT.sub("", text.strip(), count=1).rstrip().rstrip(";")
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                continue
            records += [o for o in (_walk(data, MAX_JSONLD_DEPTH) or [])[:MAX_STATE_NODES]
                        if _first_value(o, *STATE_DATE_KEYS) is not None]
        wanted = _fold(headline)
        matching = [r for r in records if wanted and any(_fold(r.get(k)) == wanted for k in STATE_TITLE_KEYS)]
        if matching:
            self.record = matching[0]
        elif len(records) == 1:
            self.record = records[0]

    def published(self) -> Any:
        return _first_value(self.record, *STATE_DATE_KEYS) if self.record else None

    def modified(self) -> Any:
        return _first_value(self.record, *STATE_MODIFIED_KEYS) if self.record else None


def _fold(value: Any) -> str | None:
    return " ".join(value.casefold().split()) if isinstance(value, str) and value.strip() else None


class FlightData:
    """Gen-3 Next.js flight data: the ``content`` record whose slug is the article id."""

    def __init__(self, scripts: "Scripts | None", article_id: str | None):
        self.content: dict | None = None
        self.too_large = False
        scripts = scripts.containing(FLIGHT_MARKER) if scripts is not None else []
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

    def __init__(self, scripts: "Scripts | None"):
        self.content: dict | None = None
        self.related: list[dict] = []
        self.error: str | None = None
        self.too_large = False
        scripts = scripts.containing(NUXT_MARKER) if scripts is not None else []
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


class Scripts:
    """The page's scripts that hold text, read from the tree once for every layer that
    reads scripts: (type attribute, text), in page order."""

    def __init__(self, root):
        self.items: list[tuple[str | None, str]] = [
            (script.get("type"), script.text) for script in root.iter("script") if script.text
        ] if hasattr(root, "iter") else []

    def of_type(self, script_type: str) -> list[str]:
        return [text for kind, text in self.items if kind == script_type]

    def containing(self, marker: str) -> list[str]:
        return [text for _, text in self.items if marker in text]

    def state_blobs(self) -> list[str]:
        """Scripts typed ``application/json`` or assigning a ``STATE_MARKERS`` state, flight
        data excepted."""
        return [text for kind, text in self.items
                if (kind == STATE_TYPE or any(marker in text for marker in STATE_MARKERS))
                and FLIGHT_MARKER not in text]


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
