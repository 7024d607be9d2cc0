"""Links of any site page: which are articles, which are listing pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsbot.urls import SiteRules

LINKS = "//a[@href]/@href"


@dataclass
class PageLinks:
    articles: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    ignored: int = 0


def page_links(response, site: SiteRules) -> PageLinks:
    """Canonical article and listing URLs linked from a page, in page order, once each."""
    links = PageLinks()
    seen: set[str] = set()
    for href in response.selector.xpath(LINKS).getall():
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
