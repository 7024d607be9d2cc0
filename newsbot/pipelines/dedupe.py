"""Drop the second copy of a story: same canonical URL, same article id, or the same
normalised headline on the same publication day under another id (TRT Global editions
republish stories under new ids)."""

from __future__ import annotations

import re
import unicodedata

from itemadapter import ItemAdapter

from newsbot.pipelines.base import StatsPipeline, articles_only
from newsbot.pipelines.rejection import Rejected

NOT_WORD = re.compile(r"[^\w]+")


def story_key(headline: str | None, date_published: str | None) -> str | None:
    """The cross-id identity: the headline folded to words, plus the publication day."""
    if not headline or not date_published:
        return None
    folded = unicodedata.normalize("NFKD", headline.casefold())
    words = NOT_WORD.sub(" ", "".join(c for c in folded if not unicodedata.combining(c))).strip()
    return f"{words}|{date_published[:10]}" if words else None


class DropDuplicates(StatsPipeline):
    def __init__(self, stats):
        super().__init__(stats)
        self.seen: dict[str, str] = {}

    @articles_only
    def process_item(self, item):
        adapter = ItemAdapter(item)
        keys = [("url", adapter.get("url")), ("article_id", adapter.get("article_id")),
                ("story", story_key(adapter.get("headline"), adapter.get("date_published")))]
        for kind, key in keys:
            if key and f"{kind}:{key}" in self.seen:
                self.stats.inc_value(f"newsbot/duplicates/{kind}")
                raise Rejected("duplicate", [f"same {kind} as {self.seen[f'{kind}:{key}']}"],
                               log_level="INFO")
        for kind, key in keys:
            if key:
                self.seen[f"{kind}:{key}"] = adapter.get("url")
        return item
