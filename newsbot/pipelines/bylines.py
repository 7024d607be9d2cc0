"""People apart from agencies: ``split_byline()`` on the raw author entries, and the
article's sources gathered from the byline, the ``SOURCE:`` line / CMS, and the image credit."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newsbot.normalise.bylines import credit_source, normalise_sources, split_byline
from newsbot.pipelines.base import StatsPipeline, articles_only


class NormaliseBylines(StatsPipeline):
    @articles_only
    def process_item(self, item):
        adapter = ItemAdapter(item)
        raw_authors = adapter.get("authors") or adapter.get("byline_raw")
        byline = split_byline(raw_authors)
        adapter["authors"] = list(byline.authors)
        if not adapter.get("byline_raw"):
            adapter["byline_raw"] = byline.raw
        image = adapter.get("image")
        credit = image.credit if image is not None else None
        adapter["sources"] = _unique([*byline.sources, *normalise_sources(adapter.get("sources") or []),
                                      *credit_source(credit)])
        if byline.house:
            self.stats.inc_value("newsbot/bylines/house_byline")
        if byline.dropped:
            self.stats.inc_value("newsbot/bylines/dropped_pieces", len(byline.dropped))
        if not byline.authors:
            self.stats.inc_value("newsbot/bylines/no_author")
        return item


def _unique(values) -> list[str]:
    seen, result = set(), []
    for value in values:
        if value not in seen:
            seen.add(value)
            result.append(value)
    return result
