"""URL rules: canonical form, article ids of the three generations, what is followed."""

import pytest

from newsbot.urls import SiteRules

SITE = SiteRules("https://www.trtworld.com")
LOCAL = SiteRules("http://127.0.0.1:8000")


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("https://www.trtworld.com/article/7bf135ba9261", "https://www.trtworld.com/article/7bf135ba9261"),
        ("https://www.trtworld.com:443/article/7bf135ba9261", "https://www.trtworld.com/article/7bf135ba9261"),
        ("http://trtworld.com/article/12740132/", "https://www.trtworld.com/article/12740132"),
        ("https://TRTWORLD.com/article/3c195c75c981?_rt=1", "https://www.trtworld.com/article/3c195c75c981"),
        ("/article/13099992?utm_source=rss&utm_medium=feed", "https://www.trtworld.com/article/13099992"),
        ("/article/13099992#comments", "https://www.trtworld.com/article/13099992"),
        ("/middle-east/live-blog-egypt-hosts-mediators-18269575?fbclid=x",
         "https://www.trtworld.com/middle-east/live-blog-egypt-hosts-mediators-18269575"),
        ("/turkiye?page=2&utm_source=x", "https://www.trtworld.com/turkiye?page=2"),
        ("https://trt.global/world/article/13099992", None),
        ("https://researchcentre.trtworld.com/publications/x", None),
        ("mailto:news@trtworld.com", None),
        ("javascript:void(0)", None),
        ("", None),
    ],
)
def test_canonical(url, canonical):
    assert SITE.canonical(url, base="https://www.trtworld.com/") == canonical


@pytest.mark.parametrize(
    "path, article_id",
    [
        ("/article/7bf135ba9261", "7bf135ba9261"),
        ("/article/12740132", "12740132"),
        ("/article/55278", "55278"),
        ("/middle-east/palestinian-detainees-in-israeli-jails-increased-130-after-october-7-17811425", "17811425"),
        ("/turkey/erdogan-visits-ankara-55278", "55278"),
        ("/article/7BF135BA9261", None),
        ("/article/7bf135ba92", None),
        ("/video/7bf135ba9261", None),
        ("/video/tv/shows/5f4e3d2c1b0a99887766aabb/play/18263711", None),
        ("/video/newsmakers/the-war-in-sudan-18263711", None),
        ("/author/staff-reporter", None),
        ("/search", None),
        ("/live-stream", None),
        ("/turkiye", None),
        ("/", None),
    ],
)
def test_article_id(path, article_id):
    assert SITE.article_id("https://www.trtworld.com" + path) == article_id


def test_production_hosts_are_aliases_of_a_local_site():
    assert LOCAL.canonical("https://www.trtworld.com/article/13099992") == "http://127.0.0.1:8000/article/13099992"
    assert LOCAL.canonical("/article/13099992", base="http://127.0.0.1:8000/") == "http://127.0.0.1:8000/article/13099992"
    assert LOCAL.canonical("http://127.0.0.2:8000/article/13099992") is None


@pytest.mark.parametrize(
    "url, listing",
    [("/", True), ("/turkiye", True), ("/politics?page=3", True), ("/search?q=gaza", False),
     ("/author", False), ("/video", False), ("/article/13099992", False), ("/a/b", False)],
)
def test_listing_pages(url, listing):
    assert SITE.is_listing(SITE.canonical(url, base="https://www.trtworld.com/")) is listing


def test_bad_site_url_is_a_clear_error():
    with pytest.raises(ValueError, match="NEWSBOT_SITE_URL"):
        SiteRules("www.trtworld.com")
