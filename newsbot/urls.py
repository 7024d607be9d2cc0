"""What a TRT World URL is: canonical form, article id, and what the crawl may follow.

Three generations of article URLs (see SITE.md):

* gen 3 (Next.js): ``/article/<12 lowercase hex>`` and ``/article/<5-9 digits>``
* gen 2 (Nuxt):    ``/<topic>/<slug>-<8 digits>``
* gen 1:           ``/<section>/<slug>-<4-5 digits>``

The production hosts (``www.trtworld.com``, ``trtworld.com``, with or without ``:443``,
``http`` or ``https``) are aliases of the configured site root, so the same rules crawl
a local copy of the site when ``NEWSBOT_SITE_URL`` points at it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

DEFAULT_SITE_URL = "https://www.trtworld.com"
PRODUCTION_HOSTS = frozenset({"www.trtworld.com", "trtworld.com"})

GEN3_ARTICLE_PATH = re.compile(r"^/article/(?P<id>[0-9a-f]{12}|\d{5,9})$")
LEGACY_ARTICLE_PATH = re.compile(
    r"^/(?P<section>[a-z0-9][a-z0-9-]*)/(?P<slug>[a-z0-9][a-z0-9-]*?)-(?P<id>\d{4,8})$"
)
# First path segments that are never articles, even when the rest looks like one.
NON_ARTICLE_SECTIONS = frozenset(
    {"video", "author", "authors", "search", "live-stream", "about", "tag", "tags", "api",
     "podcast", "podcasts", "programs", "shows", "newsletter", "contact", "contact-us", "privacy",
     "privacy-policy", "terms", "terms-of-use", "cookies", "cookie-policy", "static", "_next", "_nuxt"}
)
# Listing pages worth reading for article links: the homepage and one-segment section paths.
LISTING_PATH = re.compile(r"^/(?:[a-z0-9][a-z0-9-]*)?$")

# Query parameters that never change the page: analytics and the site's own `_rt`.
TRACKING_PARAMETERS = (
    "_rt", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src",
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "utm_name",
)


class SiteRules:
    """Canonicalisation and classification of URLs for one site root."""

    def __init__(self, site_url: str = DEFAULT_SITE_URL):
        parts = urlsplit(site_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"NEWSBOT_SITE_URL must be an http(s) URL, got {site_url!r}")
        self.scheme = parts.scheme
        self.netloc = _strip_default_port(parts.netloc.lower())
        self.root = f"{self.scheme}://{self.netloc}"
        self.aliases = PRODUCTION_HOSTS | {self.netloc}
        # Pages repeat the same links (Explore cards, navigation): canonicalise each once.
        self._canonical_cached = lru_cache(maxsize=8192)(self._canonical)

    @property
    def allowed_domains(self) -> list[str]:
        return [self.netloc.split(":")[0]]

    def canonical(self, url: str, base: str | None = None) -> str | None:
        """The canonical form of an on-site URL, or None for anything off-site or not http(s)."""
        if not url:
            return None
        url = url.strip()
        if base:
            try:
                url = urljoin(base, url)
            except ValueError:  # a page's href like "http://[::1": not a URL at all
                return None
        return self._canonical_cached(url)

    def _canonical(self, url: str) -> str | None:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https"):
            return None
        if _strip_default_port(parts.netloc.lower()) not in self.aliases:
            return None
        path = re.sub(r"/{2,}", "/", parts.path or "/")
        if len(path) > 1:
            path = path.rstrip("/")
        # An article page does not vary by query string: drop all of it.
        query = "" if article_id_from_path(path) else parts.query
        rebuilt = urlunsplit((self.scheme, self.netloc, path, query, ""))
        cleaned = url_query_cleaner(rebuilt, TRACKING_PARAMETERS, remove=True, keep_fragments=False)
        return canonicalize_url(cleaned)

    def same_origin(self, url: str) -> bool:
        """Whether ``url`` is on the site root's own host and port (the production hosts, on
        http or https, are one origin): where a redirect may lead."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https"):
            return False
        netloc = _strip_default_port(parts.netloc.lower())
        if self.netloc in PRODUCTION_HOSTS:
            return netloc in PRODUCTION_HOSTS
        return netloc == self.netloc and parts.scheme == self.scheme

    def path(self, url: str) -> str | None:
        canonical = self.canonical(url)
        return urlsplit(canonical).path if canonical else None

    def article_id(self, url: str) -> str | None:
        """The article id in an article URL of any generation, else None."""
        path = self.path(url)
        return article_id_from_path(path) if path else None

    def is_article(self, url: str) -> bool:
        return self.article_id(url) is not None

    def is_listing(self, url: str) -> bool:
        """Homepage and one-segment section pages (with an optional ``?page=N``)."""
        canonical = self.canonical(url)
        if canonical is None:
            return False
        parts = urlsplit(canonical)
        if parts.query and not re.fullmatch(r"page=\d{1,4}", parts.query):
            return False
        segment = parts.path.strip("/")
        return bool(LISTING_PATH.match(parts.path)) and segment not in NON_ARTICLE_SECTIONS

    def url_for(self, path: str) -> str:
        return f"{self.root}{path}"


def article_id_from_path(path: str) -> str | None:
    match = GEN3_ARTICLE_PATH.match(path)
    if match:
        return match["id"]
    match = LEGACY_ARTICLE_PATH.match(path)
    if match and match["section"] not in NON_ARTICLE_SECTIONS:
        return match["id"]
    return None


def _strip_default_port(netloc: str) -> str:
    for default in (":443", ":80"):
        if netloc.endswith(default):
            return netloc[: -len(default)]
    return netloc
