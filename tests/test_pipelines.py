"""The item pipelines, one concern each, run offline on hand-made items."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from newsbot.items import Article, Image, RelatedLink
from newsbot.pipelines.bylines import NormaliseBylines
from newsbot.pipelines.dates import NormaliseDates
from newsbot.pipelines.dedupe import DropDuplicates, story_key
from newsbot.pipelines.extraction import ExtractionStats
from newsbot.pipelines.rejection import Rejected
from newsbot.pipelines.text import CleanText
from newsbot.pipelines.validate import Validate, missing_fields


@pytest.fixture
def crawler():
    settings = Settings({"NEWSBOT_TIMEZONE": "Europe/Istanbul"})
    return SimpleNamespace(settings=settings, stats=MemoryStatsCollector(SimpleNamespace(settings=settings)))


def article(**fields) -> Article:
    defaults = dict(url="https://www.trtworld.com/article/13099992", article_id="13099992",
                    headline="Iraqi forces open new front in final push against Daesh",
                    body="Iraqi forces thrust north.", date_published="November 25, 2017",
                    scraped_at="2026-11-24T10:00:00+00:00")
    return Article(**{**defaults, **fields})


def test_clean_text_decodes_entities_strips_tags_and_collapses_space(crawler):
    item = CleanText().process_item(article(
        headline=" Türkiye &amp; Syria\xa0<b>talk</b> ", description="A\n  B",
        body="<p>One &quot;two&quot;</p>\n\n\n  Three\u200b  four \n\n", section="TÜRKİYE",
        tags=[" Palestinian detainees", "Palestinian Detainees", ""],
        image=Image(url="x", caption=" Caption\xa0here ", credit=" AFP "),
        related=[RelatedLink(url="u", headline="  Calm  returns ")]))
    assert item.headline == "Türkiye & Syria talk"
    assert item.description == "A B"
    assert item.body == 'One "two"\n\nThree four'
    assert item.section == "Türkiye"
    assert item.tags == ["Palestinian detainees"]
    assert (item.image.caption, item.image.credit) == ("Caption here", "AFP")
    assert item.related[0].headline == "Calm returns"


def test_mixed_case_section_is_kept(crawler):
    assert CleanText().process_item(article(section="Middle East")).section == "Middle East"


def test_dates_are_normalised_and_raw_kept(crawler):
    pipeline = NormaliseDates.from_crawler(crawler)
    item = pipeline.process_item(article(date_published="2024-04-17T11:19:59.677Z",
                                         date_published_raw="2024-04-17T11:19:59.677Z",
                                         date_modified="2024-04-17T14:20:00+03:00"))
    assert item.date_published == "2024-04-17T11:19:59.677+00:00"
    assert item.date_published_raw == "2024-04-17T11:19:59.677Z"
    assert item.date_modified == "2024-04-17T14:20:00+03:00"
    assert crawler.stats.get_value("newsbot/dates/date_published/millisecond") == 1


def test_unparseable_date_is_emptied_counted_and_kept_raw(crawler):
    item = NormaliseDates.from_crawler(crawler).process_item(
        article(date_published="sometime last spring", date_published_raw="sometime last spring"))
    assert item.date_published is None
    assert item.date_published_raw == "sometime last spring"
    assert crawler.stats.get_value("newsbot/dates/unparsed") == 1


def test_relative_dates_resolve_against_the_crawl_time_not_the_clock(crawler):
    item = NormaliseDates.from_crawler(crawler).process_item(article(date_published="3 hours ago"))
    assert item.date_published == "2026-11-24T07:00:00+00:00"


def test_suspicious_dates_are_flagged_not_fixed(crawler):
    item = NormaliseDates.from_crawler(crawler).process_item(
        article(date_published="2027-01-01T00:00:01Z", date_modified="2020-01-01T10:00:00Z"))
    assert item.date_published == "2027-01-01T00:00:01+00:00"
    assert crawler.stats.get_value("newsbot/dates/in_future") == 1
    assert crawler.stats.get_value("newsbot/dates/modified_before_published") == 1


def test_bylines_split_people_from_agencies_and_gather_sources(crawler):
    item = NormaliseBylines.from_crawler(crawler).process_item(article(
        authors=["By Sara SLEIMAN and TRT World and Agencies"], sources=["AA"],
        image=Image(url="x", caption="c", credit="Reuters")))
    assert item.authors == ["Sara Sleiman"]
    assert item.sources[:1] == ["TRT World"]
    assert "Anadolu Agency" in item.sources and "Reuters" in item.sources
    assert item.byline_raw == "By Sara SLEIMAN and TRT World and Agencies"


def test_structured_authors_fill_byline_raw(crawler):
    item = NormaliseBylines.from_crawler(crawler).process_item(article(
        authors=[{"firstName": {"text": "Staff"}, "lastName": {"text": "Reporter"}, "path": "/author/staff-reporter"}]))
    assert item.authors == ["Staff Reporter"]
    assert item.byline_raw == "Staff Reporter"
    assert crawler.stats.get_value("newsbot/bylines/house_byline") == 1


def test_validation_rejects_with_every_missing_field(crawler):
    item = article(headline=None, body="", date_published=None)
    assert missing_fields(item) == ["headline", "body", "date_published"]
    with pytest.raises(Rejected) as raised:
        Validate.from_crawler(crawler).process_item(item)
    assert raised.value.kind == "invalid"
    assert raised.value.reasons == ["missing headline", "missing body", "missing date_published"]
    assert crawler.stats.get_value("newsbot/rejected/missing/body") == 1


def test_valid_item_passes(crawler):
    item = article(date_published="2017-11-25")
    assert Validate.from_crawler(crawler).process_item(item) is item


@pytest.mark.parametrize("second, kind", [
    (dict(), "url"),
    (dict(url="https://www.trtworld.com/mea/iraqi-forces-12345"), "article_id"),
    (dict(url="https://www.trtworld.com/article/3c195c75c981", article_id="3c195c75c981",
          headline="IRAQI forces open new front in final push against Daesh!"), "story"),
])
def test_duplicates_are_rejected_by_url_id_or_story(crawler, second, kind):
    pipeline = DropDuplicates.from_crawler(crawler)
    pipeline.process_item(article(date_published="2017-11-25"))
    with pytest.raises(Rejected) as raised:
        pipeline.process_item(article(date_published="2017-11-25", **second))
    assert raised.value.kind == "duplicate"
    assert crawler.stats.get_value(f"newsbot/duplicates/{kind}") == 1


def test_same_headline_on_another_day_is_another_story(crawler):
    pipeline = DropDuplicates.from_crawler(crawler)
    pipeline.process_item(article(date_published="2017-11-25"))
    other = article(url="https://www.trtworld.com/article/3c195c75c981", article_id="3c195c75c981",
                    date_published="2018-11-25")
    assert pipeline.process_item(other) is other


def test_story_key_folds_case_accents_and_punctuation():
    assert story_key("Türkiye’s AFAD delivers flour!", "2024-12-04T08:30:49+00:00") == \
        story_key("turkiye s afad delivers flour", "2024-12-04")
    assert story_key(None, "2024-12-04") is None


def test_extraction_stats_count_sources_and_missing(crawler):
    ExtractionStats.from_crawler(crawler).process_item(article(provenance={"headline": "jsonld", "body": "dom"}))
    assert crawler.stats.get_value("newsbot/extract/headline/jsonld") == 1
    assert crawler.stats.get_value("newsbot/extract/body/dom") == 1
    assert crawler.stats.get_value("newsbot/extract/tags/missing") == 1
