"""Links of any site page: which are articles, which are listing pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from newsbot.urls import SiteRules

LINKS = etree.XPath("//a[@href]/@href", smart_strings=False)


@dataclass
class PageLinks:
    articles: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    ignored: int = 0


def page_links(response, site: SiteRules, selector=None) -> PageLinks:
    """Canonical article and listing URLs linked from a page, in page order, once each.

    ``selector``: the page's tree when already parsed (``ArticlePage.selector``), so that the
    page is not parsed a second time through ``response.selector``.
    """
    links = PageLinks()
    seen: set[str] = set()
    root = (selector if selector is not None else response.selector).root
    hrefs = LINKS(root) if isinstance(root, etree._Element) else []
    parts = urlsplit(response.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    for href in dict.fromkeys(hrefs):  # navigation repeats links: resolve each once
        href = href.strip()
        # A root-relative link resolves against the origin alone (the common case: a cheap
        # concatenation instead of urljoin); dot segments and anything else take urljoin.
        if href.startswith("/") and not href.startswith("//") and "/." not in href:
            url = site.canonical(origin + href)
        else:
            url = site.canonical(href, base=response.url)
        if url is None:
            links.ignored += 1
            continue
        if url in seen:
            continue
        seen.add(url)
        if site.is_article(url):
            links.articles.append(url)
        elif site.is_listing(url):
            links.listings.append(url)
    return links
