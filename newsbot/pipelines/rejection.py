"""The exceptions pipelines raise to stop an item, with machine-readable reasons."""

from __future__ import annotations

from scrapy.exceptions import DropItem


class Rejected(DropItem):
    """``DropItem`` with a reason kind (``invalid``, ``duplicate``) and the details."""

    def __init__(self, kind: str, reasons: list[str], log_level: str = "WARNING"):
        self.kind = kind
        self.reasons = reasons
        super().__init__(f"{kind}: {'; '.join(reasons)}", log_level=log_level)


class Skipped(DropItem):
    """Not exported by design, not rejected: counted in stats, not written to the rejects file."""


class Unchanged(Skipped):
    """An incremental crawl saw an article it already exported, unchanged."""

    def __init__(self, article_id: str):
        self.article_id = article_id
        super().__init__(f"unchanged since last export: {article_id}", log_level="DEBUG")


class OverLimit(Skipped):
    """``-a max_articles=N`` was reached: the crawl is closing."""

    def __init__(self, limit: int):
        super().__init__(f"max_articles={limit} reached", log_level="DEBUG")
