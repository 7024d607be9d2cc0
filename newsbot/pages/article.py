"""The article page object: every field read from layered sources, most reliable first.

Layers, in order: JSON-LD ``NewsArticle`` -> ``og:``/``article:`` meta -> Next.js flight
``content`` (gen 3) -> Nuxt ``content`` (gen 2) -> the visible page (``dom``). Each field
method returns ``(value, source)``; ``to_item()`` records the winning source of every field
in ``Article.provenance``. Two fields deliberately deviate from that order, because the
structured value is poorer there: ``body`` (JSON-LD ``articleBody`` flattens paragraphs, so
it is the last resort) and ``related`` (the visible Explore block defines the page order).

The class knows nothing of Scrapy's engine: it needs a response-like object with ``url``,
``text`` and ``selector`` (an ``HtmlResponse`` is one), so it runs the same in the spider,
in ``scrapy extract`` and in tests.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin
from collections.abc import Callable
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from lxml import etree
from scrapy import Selector

from newsbot.items import Article, Image, RelatedLink
from newsbot.pages.structured import CmsRecord, FlightData, JsonLd, Meta, NuxtState
from newsbot.pages.visible import (
    VisibleArticle,
    normalise_space,
    strip_promos,
    text_blocks,
    BODY_BLOCK_TAGS,
)
from newsbot.urls import SiteRules

TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+TRT World\s*$", re.IGNORECASE)
CAPTION_CREDIT = re.compile(r"^(?P<caption>.*\S)\s+/\s+(?:photo\s*:\s*)?(?P<credit>[^/]{1,80})$",
                            re.IGNORECASE | re.DOTALL)
ISO_DURATION_MINUTES = re.compile(r"^PT(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:\d+S)?$", re.IGNORECASE)
LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")

Source = tuple[str, Callable[[], Any]]
# A page without a layer's marker gets this empty page instead of a scan for it.
EMPTY_PAGE = Selector(text="<html></html>", type="html")
FRAGMENT_PARSER = etree.HTMLParser(recover=True, no_network=True)


def page_selector(response) -> Selector:
    """The page's one parsed tree. A UTF-8 page is parsed from its bytes (parsel's body path),
    which spares decoding the page to text and encoding it back for lxml; any other encoding
    goes through ``response.selector``. Callers that need the page's links pass this selector
    on (``page_links``), so the page is parsed once."""
    body, encoding = getattr(response, "body", None), getattr(response, "encoding", None)
    if isinstance(body, bytes) and encoding and _codec_name(encoding) == "utf-8":
        return Selector(body=body, encoding="utf-8", type="html")
    return response.selector


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def first_of(*candidates: Source) -> tuple[Any, str | None]:
    """The first non-empty value among (source, getter) pairs, and its source."""
    for source, getter in candidates:
        value = getter()
        if value not in (None, "", [], {}):
            return value, source
    return None, None


class ArticlePage:
    """Extraction for one article page."""

    def __init__(self, response, site: SiteRules):
        self.response = response
        self.site = site
        self.selector = page_selector(response)

    # --- layers (each built once, on first use) ---------------------------------------

    @cached_property
    def jsonld(self) -> JsonLd:
        return JsonLd(self.selector if self._mentions(b"application/ld+json") else EMPTY_PAGE)

    @cached_property
    def meta(self) -> Meta:
        return Meta(self.selector)

    @cached_property
    def flight_data(self) -> FlightData:
        return FlightData(self.selector if self._mentions(b"self.__next_f.push") else None,
                          self.site.article_id(self.response.url))

    @cached_property
    def flight(self) -> CmsRecord:
        return CmsRecord(self.flight_data.content)

    @cached_property
    def nuxt_state(self) -> NuxtState:
        return NuxtState(self.selector if self._mentions(b"window.__NUXT__") else None)

    @cached_property
    def nuxt(self) -> CmsRecord:
        return CmsRecord(self.nuxt_state.content)

    @cached_property
    def visible(self) -> VisibleArticle:
        return VisibleArticle(self.selector, body=self._ascii_body)

    @cached_property
    def _ascii_body(self) -> bytes | None:
        """The raw page when ASCII markers can be searched in it (not UTF-16/32)."""
        body, encoding = getattr(self.response, "body", None), getattr(self.response, "encoding", "") or ""
        return body if isinstance(body, bytes) and not encoding.lower().startswith(("utf-16", "utf-32", "utf16", "utf32")) else None

    @cached_property
    def _base_url(self) -> str:
        """What relative URLs resolve against: the page's ``<base href>``, else its URL (read
        from the tree: ``response.urljoin`` would decode the whole page again to find it)."""
        root = self.selector.root
        base = root.find("head/base") if isinstance(root, etree._Element) else None
        href = base.get("href", "").strip() if base is not None else ""
        return urljoin(self.response.url, href) if href else self.response.url

    def _mentions(self, marker: bytes) -> bool:
        return self._ascii_body is None or marker in self._ascii_body

    @property
    def problems(self) -> list[str]:
        """Layer defects worth counting (broken JSON-LD, undecodable Nuxt state)."""
        found = ["jsonld_invalid"] * self.jsonld.errors
        if self.nuxt_state.error and not self.nuxt_state.content:
            found.append("nuxt_unparsed")
        found += [f"{name}_too_large" for name, layer in (("flight", self.flight_data), ("nuxt", self.nuxt_state))
                  if layer.too_large]
        if "visible" in self.__dict__ and self.visible.too_large:  # only if the layer was built
            found.append("visible_too_large")
        return found

    # --- fields ----------------------------------------------------------------------

    def url(self) -> tuple[str | None, str | None]:
        return self._url

    @cached_property
    def _url(self) -> tuple[str | None, str | None]:
        canonical = self.selector.xpath('//link[@rel="canonical"]/@href').get()
        if canonical:
            url = self.site.canonical(canonical, base=self.response.url)
            if url and self.site.is_article(url):
                return url, "canonical"
        url = self.site.canonical(self.response.url)
        return (url, "response") if url else (self.response.url, "response")

    def article_id(self) -> tuple[str | None, str | None]:
        url, source = self.url()
        article_id = self.site.article_id(url) if url else None
        return (article_id, source) if article_id else (None, None)

    def headline(self):
        return first_of(
            ("jsonld", lambda: _text(self.jsonld.get("headline")) or _text(self.jsonld.get("name"))),
            ("meta", lambda: _strip_title_suffix(self.meta.first("og:title", "twitter:title"))),
            ("flight", self.flight.title),
            ("nuxt", self.nuxt.title),
            ("dom", self.visible.headline),
        )

    def description(self):
        return first_of(
            ("jsonld", lambda: _text(self.jsonld.get("description"))),
            ("meta", lambda: self.meta.first("og:description", "description", "twitter:description")),
            ("flight", self.flight.description),
            ("nuxt", self.nuxt.description),
            ("dom", self.visible.description),
        )

    def section(self):
        return first_of(
            ("jsonld", lambda: _first_text(self.jsonld.get("articleSection"))),
            ("meta", lambda: self.meta.first("article:section")),
            ("flight", self.flight.section),
            ("nuxt", self.nuxt.section),
            ("dom", self.visible.section),
        )

    def read_time_minutes(self):
        return first_of(
            ("jsonld", lambda: _duration_minutes(self.jsonld.get("timeRequired"))),
            ("flight", self.flight.read_time),
            ("nuxt", self.nuxt.read_time),
            ("dom", self.visible.read_time_minutes),
        )

    def date_published(self):
        return first_of(
            ("jsonld", lambda: _scalar(self.jsonld.get("datePublished"))),
            ("meta", lambda: self.meta.first("article:published_time", "og:article:published_time",
                                             "datepublished", "pubdate", "publish-date")),
            ("flight", self.flight.date_published),
            ("nuxt", self.nuxt.date_published),
            ("dom", self.visible.date_published),
        )

    def date_modified(self):
        return first_of(
            ("jsonld", lambda: _scalar(self.jsonld.get("dateModified"))),
            ("meta", lambda: self.meta.first("article:modified_time", "og:updated_time", "datemodified")),
            ("flight", self.flight.date_modified),
            ("nuxt", self.nuxt.date_modified),
        )

    def authors(self):
        """Raw author entries of the winning source (strings or objects): the bylines
        pipeline turns them into people and organisations."""
        return first_of(
            ("jsonld", lambda: _as_list(self.jsonld.get("author"))),
            ("meta", lambda: [a for a in self.meta.all("article:author") + self.meta.all("author")
                              if not a.startswith(("http://", "https://"))]),
            ("flight", self.flight.authors),
            ("nuxt", self.nuxt.authors),
            ("dom", lambda: _as_list(self.visible.byline()) or self.visible.gen1_authors()),
        )

    def byline_raw(self):
        return first_of(("dom", self.visible.byline))

    def sources(self):
        """Raw source names: the ``SOURCE:`` line, then the CMS record's sources."""
        found, origins = [], []
        for origin, values in (("dom", _as_list(self.visible.source_line())),
                               ("flight", self.flight.sources()),
                               ("nuxt", self.nuxt.sources())):
            if values:
                found.extend(values)
                origins.append(origin)
        return found, "+".join(origins) or None

    def image(self):
        """(Image, source of its url, source of its caption)."""
        url, url_source = first_of(
            ("jsonld", lambda: _image_url(self.jsonld.get("image"))),
            ("meta", lambda: self.meta.first("og:image", "og:image:url", "twitter:image")),
            ("flight", lambda: self.flight.image()[0]),
            ("nuxt", lambda: self.nuxt.image()[0]),
            ("dom", lambda: self.visible.image()[0]),
        )
        caption, caption_source = first_of(
            ("jsonld", lambda: _image_caption(self.jsonld.get("image"))),
            ("flight", lambda: self.flight.image()[1]),
            ("nuxt", lambda: self.nuxt.image()[1]),
            ("dom", lambda: self.visible.image()[1]),
        )
        if not url and not caption:
            return None, None, None
        if url:
            url = urljoin(self._base_url, url.strip())
        text, credit = split_caption(caption)
        return Image(url=url, caption=text, credit=credit), url_source, caption_source

    def body(self):
        return first_of(
            ("flight", lambda: _join(html_paragraphs(self.flight.body_html()))),
            ("nuxt", lambda: _join(html_paragraphs(self.nuxt.body_html()))),
            ("dom", lambda: _join(self.visible.body_paragraphs())),
            ("jsonld", lambda: _join(_text_paragraphs(_text(self.jsonld.get("articleBody"))))),
        )

    def related(self):
        def explore() -> list[RelatedLink]:
            return self._related_links(self.visible.explore_links())

        def cards() -> list[RelatedLink]:
            return self._related_links([(c.get("path") or c.get("url"), _text(c.get("title")))
                                        for c in self.nuxt_state.related])

        return first_of(("dom", explore), ("nuxt", cards))

    def _related_links(self, links) -> list[RelatedLink]:
        own_id, _ = self.article_id()
        related: dict[str, RelatedLink] = {}
        for href, headline in links:
            url = self.site.canonical(href, base=self.response.url) if isinstance(href, str) else None
            if not url or not self.site.is_article(url) or self.site.article_id(url) == own_id:
                continue
            if url not in related:
                related[url] = RelatedLink(url=url, headline=headline)
            elif not related[url].headline:
                related[url].headline = headline
        return list(related.values())

    def tags(self):
        return first_of(
            ("jsonld", lambda: _keywords(self.jsonld.get("keywords"))),
            ("meta", lambda: self.meta.all("article:tag") or _keywords(self.meta.first("news_keywords", "keywords"))),
            ("flight", self.flight.tags),
            ("nuxt", self.nuxt.tags),
        )

    def language(self):
        value, source = first_of(
            ("jsonld", lambda: _text(self.jsonld.get("inLanguage"))),
            ("dom", self.visible.language),
            ("meta", lambda: self.meta.first("og:locale", "language", "content-language")),
            ("flight", self.flight.language),
        )
        match = LANGUAGE.match(value or "")
        return (match.group(1).lower(), source) if match else (None, None)

    # --- the item --------------------------------------------------------------------

    def to_item(self, scraped_at: datetime | None = None) -> Article:
        provenance: dict[str, str] = {}

        def take(field: str, result: tuple) -> Any:
            value, source = result[0], result[1]
            if source:
                provenance[field] = source
            return value

        url = take("url", self.url())
        article = Article(url=url or self.response.url, article_id=take("article_id", self.article_id()) or "")
        article.headline = take("headline", self.headline())
        article.description = take("description", self.description())
        article.section = take("section", self.section())
        article.read_time_minutes = take("read_time_minutes", self.read_time_minutes())
        article.date_published = take("date_published", self.date_published())
        article.date_modified = take("date_modified", self.date_modified())
        article.date_published_raw = None if article.date_published is None else str(article.date_published)
        article.authors = take("authors", self.authors()) or []
        article.byline_raw = take("byline_raw", self.byline_raw())
        article.sources = take("sources", self.sources()) or []
        image, url_source, caption_source = self.image()
        article.image = image
        if url_source:
            provenance["image"] = url_source
        if caption_source:
            provenance["image_caption"] = caption_source
        article.body = take("body", self.body())
        article.related = take("related", self.related()) or []
        article.tags = take("tags", self.tags()) or []
        article.language = take("language", self.language())
        article.provenance = provenance
        article.scraped_at = (scraped_at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
        return article


# --- helpers ---------------------------------------------------------------------------

def split_caption(caption: str | None) -> tuple[str | None, str | None]:
    """``"Troops advance ... / Photo: Reuters"`` -> (``"Troops advance ..."``, ``"Reuters"``)."""
    if not caption:
        return None, None
    caption = normalise_space(caption)
    match = CAPTION_CREDIT.match(caption)
    if not match:
        return caption, None
    return match["caption"], match["credit"].strip()


def html_paragraphs(fragments: list[str]) -> list[str]:
    """Paragraph and sub-heading texts of CMS HTML blocks, promos removed."""
    blocks = []
    for fragment in fragments:
        if not fragment.strip():
            continue
        try:
            body = etree.fromstring(f"<div>{fragment}</div>", FRAGMENT_PARSER).find("body")
        except (etree.LxmlError, ValueError):  # hopeless markup
            continue
        if body is None or len(body) != 1:  # a stray closing tag split the fragment
            continue
        root = body[0]
        blocks.extend(b for b in text_blocks(root) if b.tag in BODY_BLOCK_TAGS)
    return strip_promos(blocks)


def _text_paragraphs(text: str | None) -> list[str]:
    return [p for p in (normalise_space(part) for part in re.split(r"\n\s*\n|\r?\n", text or "")) if p]


def _join(paragraphs: list[str]) -> str | None:
    return "\n\n".join(paragraphs) or None


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("text")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _first_text(value: Any) -> str | None:
    return _text(value[0]) if isinstance(value, list) and value else _text(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _as_list(value: Any) -> list:
    if value in (None, "", [], {}):
        return []
    return value if isinstance(value, list) else [value]


def _strip_title_suffix(title: str | None) -> str | None:
    return TITLE_SUFFIX.sub("", title).strip() or None if title else None


def _duration_minutes(value: Any) -> int | None:
    match = ISO_DURATION_MINUTES.match(value.strip()) if isinstance(value, str) else None
    if not match or not (match["h"] or match["m"]):
        return None
    return int(match["h"] or 0) * 60 + int(match["m"] or 0)


def _image_url(value: Any) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _image_caption(value: Any) -> str | None:
    value = value[0] if isinstance(value, list) and value else value
    return _text(value.get("caption")) if isinstance(value, dict) else None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [k.strip() for k in value if isinstance(k, str) and k.strip()]
