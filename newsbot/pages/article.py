"""The article page object: every field read from layered sources, most reliable first.

Layers, in order: JSON-LD (``jsonld``; ``@id`` references resolved in the page's graph) ->
schema.org microdata (``microdata``) -> RDFa (``rdfa``) -> ``og:``/``article:``/Dublin
Core/Parse.ly meta tags (``meta``) -> Next.js flight ``content`` (``flight``, gen 3) -> Nuxt
``content`` (``nuxt``, gen 2) -> for dates, the article's ``<time datetime>`` (``time``) and
a JSON state blob (``state``) -> the visible page (``dom``). Each field has one
``*_layers()`` method listing its ``(layer, getter)`` pairs; the field method picks the
first usable value and returns ``(value, layer)``; ``to_item()`` records the winning layer
of every field in ``Article.provenance``, and ``layer_values()`` gives every layer's value
for the agreement counts (``newsbot.agreement``). Two fields deliberately deviate from that
order, because the structured value is poorer there: ``body`` (JSON-LD ``articleBody``
flattens paragraphs, so it is the last resort) and ``related`` (the visible Explore block
defines the page order).

A layer that has a value but nothing usable passes to the next: authors that name no
person (an unresolved ``@id``, an Organization, ``No Author``), a date that does not parse.
Organisations met on the way (the publisher named as author) still reach ``sources``.

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
from parsel.selector import create_root_node
from scrapy import Selector

from newsbot.items import Article, Image, RelatedLink
from newsbot.normalise.bylines import split_byline
from newsbot.normalise.dates import normalise_date
from newsbot.pages.literals import FoldedPage, known
from newsbot.pages.structured import (
    CmsRecord,
    FlightData,
    JsonLd,
    Meta,
    Microdata,
    NuxtState,
    Rdfa,
    Scripts,
    StateBlob,
    TimeTags,
)
from newsbot.pages.visible import (
    VisibleArticle,
    normalise_space,
    strip_promos,
    text_blocks,
    text_content,
    XML_SPACE,
    BODY_BLOCK_TAGS,
)
from newsbot.urls import SiteRules

TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+TRT World\s*$", re.IGNORECASE)
CAPTION_CREDIT = re.compile(r"^(?P<caption>.*\S)\s+/\s+(?:photo\s*:\s*)?(?P<credit>[^/]{1,80})$",
                            re.IGNORECASE | re.DOTALL)
ISO_DURATION_MINUTES = re.compile(r"^PT(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:\d+S)?$", re.IGNORECASE)
LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
META_PUBLISHED = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                  "publish-date", "og:published_time", "article:published", "published_time",
                  "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.issued",
                  "dc.date", "dcterms.date", "dc.date.created", "citation_publication_date",
                  "publish_date", "date")
META_MODIFIED = ("article:modified_time", "og:updated_time", "datemodified", "og:modified_time",
                 "dcterms.modified", "dc.date.modified", "last-modified")
META_AUTHORS = ("parsely-author", "sailthru.author", "dc.creator", "dcterms.creator", "byl",
                "citation_author", "og:author")
# <a rel="author"> (an HTML link type) outside the page furniture.
REL_AUTHOR = ('//a[contains(concat(" ", normalize-space(@rel), " "), " author ")]'
              '[not(ancestor::nav or ancestor::footer or ancestor::aside)]')
EMPTY = (None, "", [], {})
CANONICAL_HREF = '//link[@rel="canonical"]/@href'
# What a page's text must hold for a layer to be read (lower case: looked for in the folded
# page, so any spelling counts): a page without them is spared the layer's tree search.
JSONLD_MARKS = known("application/ld+json")
MICRODATA_MARKS = known("itemscope", "itemprop")
RDFA_MARKS = known("typeof", "vocab")
TIME_MARKS = known("<time")
STATE_MARKS = known("application/json", "__initial_state__", "__preloaded_state__")
FLIGHT_MARKS = known("self.__next_f.push")
NUXT_MARKS = known("window.__nuxt__")

Source = tuple[str, Callable[[], Any]]
FRAGMENT_PARSER = etree.HTMLParser(recover=True, no_network=True)


def page_selector(response) -> Selector:
    """The page's one parsed tree. A UTF-8 page is parsed from its bytes (parsel's body path),
    which spares decoding the page to text and encoding it back for lxml, into plain lxml
    elements: lxml.html's element classes are chosen by a Python callback for every element
    the code touches. Any other encoding goes through ``response.selector``. Callers that
    need the page's links pass this selector on (``page_links``), so the page is parsed once."""
    body, encoding = getattr(response, "body", None), getattr(response, "encoding", None)
    if isinstance(body, bytes) and encoding and _codec_name(encoding) == "utf-8":
        root = create_root_node("", etree.HTMLParser, base_url=getattr(response, "url", None),
                                body=body, encoding="utf-8")
        return Selector(root=root, type="html")
    return response.selector


def canonical_href(root: etree._Element) -> str | None:
    """What ``CANONICAL_HREF`` finds first, by lxml's own walk over the ``link`` elements (a
    fraction of the XPath's cost on a page of real size)."""
    for link in root.iter("link"):
        if link.get("rel") == "canonical":
            href = link.get("href")
            if href is not None:
                return href
    return None


def rel_author_links(root) -> list:
    """What ``REL_AUTHOR`` finds, by lxml's own walk over the ``a`` elements (the XPath tests
    every element of the page): ``author`` among the ``rel`` tokens, outside the furniture."""
    if not isinstance(root, etree._Element):
        return root.xpath(REL_AUTHOR) if hasattr(root, "xpath") else []
    return [a for a in root.iter("a") if "author" in XML_SPACE.split(a.get("rel") or "")
            and not any(ancestor.tag in ("nav", "footer", "aside") for ancestor in a.iterancestors())]


def _codec_name(encoding: str) -> str | None:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def first_of(*candidates: Source) -> tuple[Any, str | None]:
    """The first non-empty value among (source, getter) pairs, and its source."""
    for source, getter in candidates:
        value = getter()
        if value not in EMPTY:
            return value, source
    return None, None


def first_usable(candidates, usable: Callable[[Any], bool]) -> tuple[Any, str | None]:
    """The first value that is ``usable``; failing that, the first non-empty one (so the raw
    value is kept and its defect counted downstream)."""
    fallback: tuple[Any, str | None] = (None, None)
    for source, getter in candidates:
        value = getter()
        if value in EMPTY:
            continue
        if usable(value):
            return value, source
        if fallback[1] is None:
            fallback = (value, source)
    return fallback


class ArticlePage:
    """Extraction for one article page."""

    def __init__(self, response, site: SiteRules, folded: FoldedPage | None = None):
        """``folded``: the response's ``FoldedPage``, when the caller made one already."""
        self.response = response
        self.site = site
        self.folded = folded if folded is not None else FoldedPage.of(response)
        self.selector = page_selector(response)
        self.root = self.selector.root

    # --- layers (each built once, on first use) ---------------------------------------

    @cached_property
    def scripts(self) -> Scripts:
        return Scripts(self.root)

    @cached_property
    def jsonld(self) -> JsonLd:
        return JsonLd(self.scripts if self._mentions(JSONLD_MARKS) else None)

    @cached_property
    def microdata(self) -> Microdata:
        marked = self._mentions(MICRODATA_MARKS)
        return Microdata(self.root if marked else None, self.response.url)

    @cached_property
    def rdfa(self) -> Rdfa:
        marked = self._mentions(RDFA_MARKS)
        return Rdfa(self.root if marked else None, self.response.text, self.response.url)

    @cached_property
    def meta(self) -> Meta:
        return Meta(self.root)

    @cached_property
    def time(self) -> TimeTags:
        return TimeTags(self.root if self._mentions(TIME_MARKS) else None)

    @cached_property
    def state(self) -> StateBlob:
        marked = self._mentions(STATE_MARKS)
        return StateBlob(self.scripts if marked else None, self.headline()[0])

    @cached_property
    def flight_data(self) -> FlightData:
        return FlightData(self.scripts if self._mentions(FLIGHT_MARKS) else None,
                          self.site.article_id(self.response.url))

    @cached_property
    def flight(self) -> CmsRecord:
        return CmsRecord(self.flight_data.content)

    @cached_property
    def nuxt_state(self) -> NuxtState:
        return NuxtState(self.scripts if self._mentions(NUXT_MARKS) else None)

    @cached_property
    def nuxt(self) -> CmsRecord:
        return CmsRecord(self.nuxt_state.content)

    @cached_property
    def visible(self) -> VisibleArticle:
        return VisibleArticle(self.selector, folded=self.folded)

    @cached_property
    def _base_url(self) -> str:
        """What relative URLs resolve against: the page's ``<base href>``, else its URL (read
        from the tree: ``response.urljoin`` would decode the whole page again to find it)."""
        root = self.selector.root
        base = root.find("head/base") if isinstance(root, etree._Element) else None
        href = base.get("href", "").strip() if base is not None else ""
        return urljoin(self.response.url, href) if href else self.response.url

    # Layers whose markup a page lacks are skipped when its text does not even name it: the
    # page's known literals are found in one pass, a fraction of a full-tree XPath.
    def _mentions(self, markers: tuple[bytes, ...]) -> bool:
        return any(self.folded.has(marker) for marker in markers)

    @property
    def problems(self) -> list[str]:
        """Layer defects worth counting (broken, oversized or too deep JSON-LD, undecodable
        Nuxt state)."""
        found = (["jsonld_invalid"] * self.jsonld.errors + ["jsonld_too_large"] * self.jsonld.too_large
                 + ["jsonld_too_deep"] * self.jsonld.too_deep)
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
        canonical = canonical_href(self.root) if isinstance(self.root, etree._Element) \
            else self.selector.xpath(CANONICAL_HREF).get()
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

    def headline_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _text(self.jsonld.get("headline")) or _text(self.jsonld.get("name"))),
            ("microdata", lambda: _text(self.microdata.get("headline")) or _text(self.microdata.get("name"))),
            ("rdfa", lambda: _text(self.rdfa.get("headline")) or _text(self.rdfa.get("name"))),
            ("meta", lambda: _strip_title_suffix(self.meta.first("og:title", "twitter:title"))),
            ("flight", lambda: self.flight.title()),
            ("nuxt", lambda: self.nuxt.title()),
            ("dom", lambda: self.visible.headline()),
        ]

    def headline(self):
        return self._headline

    @cached_property
    def _headline(self):
        return first_of(*self.headline_layers())

    def description_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _text(self.jsonld.get("description"))),
            ("microdata", lambda: _text(self.microdata.get("description"))),
            ("rdfa", lambda: _text(self.rdfa.get("description"))),
            ("meta", lambda: self.meta.first("og:description", "description", "twitter:description")),
            ("flight", lambda: self.flight.description()),
            ("nuxt", lambda: self.nuxt.description()),
            ("dom", lambda: self.visible.description()),
        ]

    def description(self):
        return first_of(*self.description_layers())

    def section_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _first_text(self.jsonld.get("articleSection"))),
            ("microdata", lambda: _first_text(self.microdata.get("articleSection"))),
            ("rdfa", lambda: _first_text(self.rdfa.get("articleSection"))),
            ("meta", lambda: self.meta.first("article:section")),
            ("flight", lambda: self.flight.section()),
            ("nuxt", lambda: self.nuxt.section()),
            ("dom", lambda: self.visible.section()),
        ]

    def section(self):
        return first_of(*self.section_layers())

    def read_time_minutes(self):
        return first_of(
            ("jsonld", lambda: _duration_minutes(self.jsonld.get("timeRequired"))),
            ("flight", lambda: self.flight.read_time()),
            ("nuxt", lambda: self.nuxt.read_time()),
            ("dom", lambda: self.visible.read_time_minutes()),
        )

    def date_published_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _scalar(self.jsonld.get("datePublished"))),
            ("microdata", lambda: _scalar(self.microdata.get("datePublished"))
             or self.microdata.loose("datePublished")),
            ("rdfa", lambda: _scalar(self.rdfa.get("datePublished"))),
            ("meta", lambda: self.meta.first(*META_PUBLISHED)),
            ("flight", lambda: self.flight.date_published()),
            ("nuxt", lambda: self.nuxt.date_published()),
            ("time", lambda: self.time.published()),
            ("state", lambda: self.state.published()),
            ("dom", lambda: self.visible.date_published()),
        ]

    def date_published(self, now: datetime | None = None):
        return first_usable(self.date_published_layers(), lambda v: _parses(v, now))

    def date_modified_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _scalar(self.jsonld.get("dateModified"))),
            ("microdata", lambda: _scalar(self.microdata.get("dateModified"))
             or self.microdata.loose("dateModified")),
            ("rdfa", lambda: _scalar(self.rdfa.get("dateModified"))),
            ("meta", lambda: self.meta.first(*META_MODIFIED)),
            ("flight", lambda: self.flight.date_modified()),
            ("nuxt", lambda: self.nuxt.date_modified()),
            ("time", lambda: self.time.modified()),
            ("state", lambda: self.state.modified()),
        ]

    def date_modified(self, now: datetime | None = None):
        return first_usable(self.date_modified_layers(), lambda v: _parses(v, now))

    def authors_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: self._publishers_as_organisations(_as_list(self.jsonld.get("author")))),
            ("microdata", lambda: self._publishers_as_organisations(
                _as_list(self.microdata.get("author")) or _as_list(self.microdata.loose("author")))),
            ("rdfa", lambda: self._publishers_as_organisations(_as_list(self.rdfa.get("author")))),
            ("meta", lambda: self._publishers_as_organisations(self._meta_authors())),
            ("flight", lambda: self.flight.authors()),
            ("nuxt", lambda: self.nuxt.authors()),
            ("dom", lambda: _as_list(self.visible.byline()) or self.visible.gen1_authors()
             or self._rel_authors()),
        ]

    def authors(self):
        """Raw author entries of the first layer that names a person (strings or objects):
        the bylines pipeline turns them into people and organisations."""
        return self._authors[:2]

    @cached_property
    def _authors(self) -> tuple[Any, str | None, list[str]]:
        """(entries, layer, organisations named by the author layers passed over)."""
        passed: list[str] = []
        fallback: tuple[Any, str | None] = (None, None)
        for source, getter in self.authors_layers():
            value = getter()
            if value in EMPTY:
                continue
            byline = split_byline(value)
            if byline.authors:
                return value, source, passed
            passed.extend(byline.sources)
            if fallback[1] is None:
                fallback = (value, source)
        return fallback[0], fallback[1], []

    def _rel_authors(self) -> list[str]:
        names = (normalise_space(text_content(a)) for a in rel_author_links(self.root))
        return list(dict.fromkeys(name for name in names if name))

    def _meta_authors(self) -> list[str]:
        names = self.meta.all("article:author") + self.meta.all("author")
        for key in META_AUTHORS:
            names = names or self.meta.all(key)
        return [a for a in names if not a.startswith(("http://", "https://"))]

    def _publishers_as_organisations(self, entries: list) -> list:
        """An author entry that is the page's own publisher becomes an Organization, so its
        name goes to ``sources``, never silently to nothing."""
        publishers = {n.casefold() for n in [*self.jsonld.publisher_names(),
                                              *self.meta.all("og:site_name")]}
        return [{"@type": "Organization", "name": entry}
                if isinstance(entry, str) and entry.strip().casefold() in publishers else entry
                for entry in entries]

    def byline_raw(self):
        return first_of(("dom", lambda: self.visible.byline()))

    def sources(self):
        """Raw source names: organisations named as authors by a layer passed over, the
        ``SOURCE:`` line, then the CMS record's sources."""
        found, origins = [], []
        for origin, values in (("authors", self._authors[2]),
                               ("dom", _as_list(self.visible.source_line())),
                               ("flight", self.flight.sources()),
                               ("nuxt", self.nuxt.sources())):
            if values:
                found.extend(values)
                origins.append(origin)
        return found, "+".join(origins) or None

    def image_url_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _image_url(self.jsonld.get("image"))),
            ("microdata", lambda: _image_url(self.microdata.get("image"))),
            ("rdfa", lambda: _image_url(self.rdfa.get("image"))),
            ("meta", lambda: self.meta.first("og:image", "og:image:url", "twitter:image")),
            ("flight", lambda: self.flight.image()[0]),
            ("nuxt", lambda: self.nuxt.image()[0]),
            ("dom", lambda: self.visible.image()[0]),
        ]

    def image(self):
        """(Image, source of its url, source of its caption)."""
        url, url_source = first_of(*self.image_url_layers())
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

    def body_layers(self) -> list[Source]:
        return [
            ("flight", lambda: _join(html_paragraphs(self.flight.body_html()))),
            ("nuxt", lambda: _join(html_paragraphs(self.nuxt.body_html()))),
            ("dom", lambda: _join(self.visible.body_paragraphs())),
            ("jsonld", lambda: _join(_text_paragraphs(_text(self.jsonld.get("articleBody"))))),
        ]

    def body(self):
        return first_of(*self.body_layers())

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

    def tags_layers(self) -> list[Source]:
        return [
            ("jsonld", lambda: _keywords(self.jsonld.get("keywords"))),
            ("microdata", lambda: _keywords(self.microdata.get("keywords"))),
            ("rdfa", lambda: _keywords(self.rdfa.get("keywords"))),
            ("meta", lambda: self.meta.all("article:tag") or _keywords(self.meta.first("news_keywords", "keywords"))),
            ("flight", lambda: self.flight.tags()),
            ("nuxt", lambda: self.nuxt.tags()),
        ]

    def tags(self):
        return first_of(*self.tags_layers())

    def language(self):
        value, source = first_of(
            ("jsonld", lambda: _text(self.jsonld.get("inLanguage"))),
            ("dom", lambda: self.visible.language()),
            ("meta", lambda: self.meta.first("og:locale", "language", "content-language")),
            ("flight", lambda: self.flight.language()),
        )
        match = LANGUAGE.match(value or "")
        return (match.group(1).lower(), source) if match else (None, None)

    # --- every layer's value, for the agreement counts ---------------------------------

    LAYERED_FIELDS = ("headline", "description", "section", "date_published", "date_modified",
                      "authors", "image", "tags", "body")

    def layer_values(self, field: str) -> list[tuple[str, Any]]:
        """``[(layer, raw value)]`` of every layer that has a value for ``field``."""
        getters = getattr(self, f"{'image_url' if field == 'image' else field}_layers")()
        values = []
        for layer, getter in getters:
            value = getter()
            if value not in EMPTY:
                values.append((layer, value))
        return values

    # --- the item --------------------------------------------------------------------

    def to_item(self, scraped_at: datetime | None = None) -> Article:
        provenance: dict[str, str] = {}
        scraped_at = scraped_at or datetime.now(timezone.utc)

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
        article.section_raw = article.section
        article.read_time_minutes = take("read_time_minutes", self.read_time_minutes())
        article.date_published = take("date_published", self.date_published(scraped_at))
        article.date_modified = take("date_modified", self.date_modified(scraped_at))
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
        article.scraped_at = scraped_at.isoformat(timespec="seconds")
        return article


def _parses(value: Any, now: datetime | None) -> bool:
    return normalise_date(value, now=now).value is not None


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
