"""Pure normalisers (no Scrapy): dates, bylines, sources, text."""
