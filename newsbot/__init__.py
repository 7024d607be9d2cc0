"""newsbot: a Scrapy project that crawls TRT World into clean article data."""

__version__ = "0.1.0"
