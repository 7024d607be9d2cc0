"""Page objects: extraction from a response, apart from crawling."""

from newsbot.pages.article import ArticlePage
from newsbot.pages.listing import page_links

__all__ = ["ArticlePage", "page_links"]
