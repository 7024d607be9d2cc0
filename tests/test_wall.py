"""Tests for newsbot.pages.wall: which 2xx pages are bot challenges or consent walls.

Every HTML sample below is HAND-MADE: small snippets modelled on each vendor's documented
markers and on their block pages as seen in the wild (titles, challenge hosts and scripts,
headers), not captures. The filler of the long article is real text from the TRT World seed
article 13099992 (copied here; the tests never read /work/shared). The site copy's pages
(tests/site, reconstructions of the real layout) are all content, never walls.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import Headers, HtmlResponse

from newsbot.pages.wall import (
    NEAR_EMPTY_CHARS,
    SHORT_PAGE_CHARS,
    STRONG,
    WEAK,
    visible_text,
    wall_kind,
)

SITE_PAGES = Path(__file__).resolve().parent / "site" / "pages"

# Real text: paragraphs of the seed article (trtworld-article-13099992).
SEED_PARAGRAPHS = [
    "Iraqi forces thrust north from the Euphrates Valley into the desert on Saturday, opening "
    "up a new front in the drive to flush out fugitive Daesh militants, a commander said.",
    "Daesh has already been driven from all the towns it once held, but Prime Minister Haider "
    "al Abadi has said he will not proclaim victory until the group has been cleared from the "
    "western desert bordering Syria.",
    "Troops and paramilitaries had advanced into the desert from the east and north on Thursday "
    "at the start of an offensive aimed at inflicting a final defeat on the group.",
    "On Saturday, troops and tribal militia pushed north from Al Qaim and Rawa, two Euphrates "
    "Valley towns recaptured from Daesh earlier this month, in a pincer movement against "
    "retreating Daesh militants, one of the operation's two commanders said.",
    "The Hashed al Shaabi (Popular Mobilisation) paramilitary force, which has played a key role "
    "in the offensive, said 100 villages and hamlets had already been cleared of Daesh.",
    "\"We must remain in a state of alert,\" he added. \"Security will not be fully assured until "
    "we have complete control of the border with Syria.\"",
]
NAV = "".join(f'<a href="/{s.lower()}">{s}</a>' for s in
              ("WORLD", "MIDDLE EAST", "TÜRKİYE", "AFRICA", "ASIA", "OPINION", "LIVE", "ABOUT"))


def page(title: str, body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
            f"</head><body>{body}</body></html>")


# --- positives (hand-made) ------------------------------------------------------------------

POSITIVES = [
    # Cloudflare managed challenge, the current "Just a moment..." interstitial.
    ("cloudflare-managed", 200, {"Server": "cloudflare", "CF-RAY": "8a1b2c3d4e5f6a7b-IST"},
     page("Just a moment...",
          '<div class="main-wrapper" role="main"><div class="main-content"><h1 class="zone-name-'
          'title h1">www.trtworld.com</h1><h2 class="h2" id="challenge-running">Verify you are '
          'human by completing the action below.</h2><div id="challenge-stage"></div><div '
          'class="core-msg spacer">www.trtworld.com needs to review the security of your '
          'connection before proceeding.</div></div></div><script>(function(){window._cf_chl_opt'
          "={cvId: '3',cZone: 'www.trtworld.com',cType: 'managed',cRay: '8a1b2c3d4e5f6a7b'};"
          "var a = document.createElement('script');a.src = '/cdn-cgi/challenge-platform/h/b/"
          "orchestrate/chl_page/v1?ray=8a1b2c3d4e5f6a7b';document.head.appendChild(a);}());"
          "</script>",
          head='<meta name="robots" content="noindex,nofollow">'),
     "cloudflare"),
    # Cloudflare: the header it documents on challenge responses is enough, body or not.
    ("cloudflare-header", 200, {"cf-mitigated": "challenge"}, "", "cloudflare"),
    # Cloudflare's old "I'm Under Attack" page.
    ("cloudflare-iuam", 200, {},
     page("Please Wait... | Cloudflare",
          '<div id="cf-content"><h1>Checking your browser before accessing trtworld.com.</h1>'
          '<p>This process is automatic. Your browser will redirect to your requested content '
          'shortly.</p></div><form id="challenge-form" class="cf-browser-verification" '
          'action="/?__cf_chl_jschl_tk__=abc" method="POST"></form>'),
     "cloudflare"),
    # Cloudflare block page served with 200 by an origin rule.
    ("cloudflare-blocked", 200, {},
     page("Attention Required! | Cloudflare",
          '<div id="cf-wrapper"><h1 data-translate="block_headline">Sorry, you have been '
          'blocked</h1><h2>You are unable to access trtworld.com</h2><p>Cloudflare Ray ID: '
          '<strong>8a1b2c3d4e5f6a7b</strong></p></div>'),
     "cloudflare"),
    # Akamai edge denial; Akamai entity-encodes its reference and URL.
    ("akamai-denied", 200, {"Server": "AkamaiGHost"},
     page("Access Denied",
          "<H1>Access Denied</H1>You don't have permission to access \"http&#58;&#47;&#47;www"
          "&#46;trtworld&#46;com&#47;\" on this server.<P>Reference&#32;&#35;18&#46;6f3c1402"
          "&#46;1733300000&#46;2a1b3c<P>https&#58;&#47;&#47;errors&#46;edgesuite&#46;net&#47;18"
          "&#46;6f3c1402&#46;1733300000&#46;2a1b3c</P>"),
     "akamai"),
    # Akamai Bot Manager's crypto challenge (sec-cpt).
    ("akamai-sec-cpt", 200, {},
     page("", '<div id="sec-if-cpt-container"><div class="sec-cpt-if-text">Powered and protected '
              'by Akamai</div></div><script src="/_sec/cp_challenge/ak-challenge-4-3.js">'
              '</script>'),
     "akamai"),
    # DataDome block page: the captcha comes from captcha-delivery.com.
    ("datadome-captcha", 200, {"X-DataDome": "protected", "Set-Cookie": "datadome=Ab1~x; Path=/"},
     page("trtworld.com",
          '<p id="cmsg">Please enable JS and disable any ad blocker</p>'
          '<script data-cfasync="false">'
          "var dd={'rt':'c','cid':'AHrlqAAAAAMA1a2b3c','hsh':'A55FBF4311ED6F1BF9911EB71931D5',"
          "'t':'fe','s':43337,'e':'c0ffee','host':'geo.captcha-delivery.com'}</script><script "
          'data-cfasync="false" src="https://ct.captcha-delivery.com/c.js"></script>'),
     "datadome"),
    # DataDome's interstitial without a captcha host: its header on a page with nothing to read.
    ("datadome-presence", 200, Headers({"X-DataDome": "protected"}),
     page("trtworld.com", '<div id="ddv1-captcha-container"></div><script src="https://js.datadome'
                          '.co/tags.js"></script>'),
     "datadome"),
    # PerimeterX (HUMAN) block page.
    ("perimeterx-block", 200, {"Set-Cookie": "_pxhd=abc:def; path=/"},
     page("Access to this page has been denied.",
          '<div class="px-block"><h1>Please verify you are a human</h1><p>Access to this page '
          'has been denied because we believe you are using automation tools to browse the '
          'website.</p><div id="px-captcha"></div><p>Reference ID: 3c8d2e10-a1b2-11ef</p></div>'
          "<script>window._pxAppId = 'PXabc123';</script>"),
     "perimeterx"),
    # PerimeterX custom-branded page: no standard title, the px-captcha element is there.
    ("perimeterx-custom", 200, {},
     page("TRT World", '<h2>Before we continue...</h2><p>Press &amp; Hold to confirm you are a '
                       'human (and not a bot).</p><div id="px-captcha" role="main"></div>'),
     "perimeterx"),
    # Imperva / Incapsula block iframe.
    ("incapsula-iframe", 200, {"X-CDN": "Incapsula", "X-Iinfo": "9-123456-0 0NNN RT(1) q(0 -1 -1)"},
     '<html style="height:100%"><head><META NAME="ROBOTS" CONTENT="NOINDEX, NOFOLLOW"></head>'
     '<body style="margin:0px;height:100%"><iframe id="main-iframe" src="/_Incapsula_Resource?'
     'CWUDNSAI=9&xinfo=9-123456-0&incident_id=1234000560123456789-12345&edet=12&cinfo=04000000" '
     'frameborder=0 width="100%" height="100%">Request unsuccessful. Incapsula incident ID: '
     "1234000560123456789-12345</iframe></body></html>",
     "imperva"),
    # Imperva Advanced Bot Protection (formerly Distil) interstitial.
    ("imperva-interruption", 200, {},
     page("Pardon Our Interruption",
          "<h1>Pardon Our Interruption...</h1><p>As you were browsing, something about your "
          "browser made us think you were a bot.</p>"),
     "imperva"),
    # Sucuri firewall block page.
    ("sucuri-block", 200, {"Server": "Sucuri/Cloudproxy"},
     page("Sucuri WebSite Firewall - Access Denied",
          '<link rel="stylesheet" href="https://cdn.sucuri.net/sucuri-firewall-block.css"><div '
          'id="main-container"><h2>Access Denied - Sucuri Website Firewall</h2></div>'),
     "sucuri"),
    # Sucuri's JavaScript cookie challenge.
    ("sucuri-js", 200, {},
     "<html><head><title>You are being redirected...</title><noscript>Javascript is required. "
     "Please enable javascript before you are allowed to see this page.</noscript><script>var "
     "s={},u,c,U,r,i,l=0,a,e=eval;S='cz0nMScr';document.cookie='sucuri_cloudproxy_js='+S+';path=/';"
     "location.reload();</script></head></html>",
     "sucuri"),
    # AWS WAF challenge: 202 with its documented header and the goku interstitial.
    ("aws-waf", 202, {"x-amzn-waf-action": "challenge"},
     page("", '<div id="challenge-container"></div><script>window.awsWafCookieDomainList = [];'
              'window.gokuProps = {"key":"AQIDAHj","iv":"CgAGIQ","context":"x"};</script><script '
              'src="https://abc.edge.sdk.awswaf.com/abc/def/challenge.js"></script>'),
     "aws_waf"),
    # DDoS-Guard's JS check.
    ("ddos-guard", 200, {"Server": "ddos-guard"},
     page("DDoS-Guard", '<script src="/.well-known/ddos-guard/check?context=free_splash"></script>'
                        "<p>Checking your browser before accessing trtworld.com</p>"),
     "ddos_guard"),
    # An hCaptcha-only page.
    ("hcaptcha-only", 200, {},
     page("trtworld.com", '<h1>One more step</h1><p>Please complete the security check to '
                          'access trtworld.com</p><form method="post"><div class="h-captcha" '
                          'data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div></form>'
                          '<script src="https://hcaptcha.com/1/api.js" async defer></script>'),
     "captcha"),
    # A reCAPTCHA-only page with no wording at all: the widget on an otherwise empty page.
    ("recaptcha-only", 200, {},
     page("trtworld.com", '<form action="/verify" method="post"><div class="g-recaptcha" '
                          'data-sitekey="6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"></div><input '
                          'type="submit" value="Submit"></form><script src="https://www.google.'
                          'com/recaptcha/api.js"></script>'),
     "captcha"),
    # "Are you a robot?" titled page (as Bloomberg's PerimeterX page is titled).
    ("robot-title", 200, {},
     page("TRT World - Are you a robot?", "<p>We've detected unusual activity.</p>"),
     "captcha"),
    # Google's "sorry" page.
    ("google-sorry", 200, {},
     page("https://www.google.com/search", "<div>Our systems have detected unusual traffic from "
                                           "your computer network. This page checks to see if "
                                           "it's really you sending the requests, and not a "
                                           "robot.</div>"),
     "captcha"),
    # A generic WAF's "Access Denied" with status 200.
    ("generic-denied", 200, {},
     page("Access Denied", "<h1>Access Denied</h1><p>Your request was blocked.</p>"),
     "access_denied"),
    # Google's consent interstitial.
    ("google-consent", 200, {},
     page("Before you continue to Google Search",
          '<div><h1>Before you continue to Google</h1><p>We use cookies and data to deliver and '
          'maintain Google services.</p><form action="https://consent.google.com/save" method='
          '"POST"><button>Reject all</button><button>Accept all</button></form></div>'),
     "consent"),
    # A publisher's consent wall that replaces the page (IAB TCF style wording).
    ("cmp-wall", 200, {},
     page("TRT World",
          "<div class='cmp'><h2>We value your privacy</h2><p>We and our partners store and/or "
          "access information on a device, such as cookies, and process personal data, such as "
          "unique identifiers and standard information sent by a device for personalised "
          "advertising and content.</p><p>With your permission we and our partners may use "
          "precise geolocation data.</p><p>You may click to consent to our and our partners' "
          "processing as described above.</p><button>Accept all</button><button>Reject all"
          "</button><button>Manage options</button></div>"),
     "consent"),
]

# --- negatives --------------------------------------------------------------------------------

LONG_ARTICLE = page(
    "Iraqi forces open new front in final push against Daesh - TRT World",
    f"<header>{NAV}</header><main><h1>Iraqi forces open new front in final push against Daesh"
    "</h1><p>By Staff Reporter</p>"
    + "".join(f"<p>{p}</p>" for p in SEED_PARAGRAPHS)
    + "<p>Access denied: residents said checkpoints turned them away, and a militia spokesman "
      "joked that reaching the front was harder than solving a captcha.</p>"
      "<p>Officials asked journalists to clear their cookies before using the new press portal, "
      "citing privacy rules.</p>"
    + "".join(f"<p>{p}</p>" for p in SEED_PARAGRAPHS)
    + "</main><aside><h3>Newsletter</h3><form><div class='g-recaptcha' data-sitekey='6Le'></div>"
      "</form><p>This site is protected by reCAPTCHA.</p></aside>"
      "<footer><a href='/privacy'>Privacy Policy</a> <a href='/cookies'>Cookie Policy</a></footer>",
    head="<script src='https://www.google.com/recaptcha/api.js'></script>"
         "<script>(function(){var a=document.createElement('script');a.src='/cdn-cgi/challenge-"
         "platform/scripts/jsd/main.js';document.head.appendChild(a);})();</script>"
         "<script src='https://js.datadome.co/tags.js'></script>"
         "<script src='/_Incapsula_Resource?SWJIYLWA=719d34d31c8e3a6e6fffd425f7e032f3'></script>",
)

FOOTER_BANNER = page(
    "Middle East - TRT World",
    f"<header>{NAV}</header><main>"
    + "".join(f"<article><h2><a href='/article/{i:012x}'>{p[:90]}</a></h2><p>{p}</p></article>"
              for i, p in enumerate(SEED_PARAGRAPHS * 2))
    + "</main><footer><div id='cookie-banner' role='dialog'><p>We use cookies to improve your "
      "experience and for analytics. By clicking Accept all you agree to our use of cookies. "
      "Read our privacy policy.</p><button>Accept all</button><button>Reject all</button>"
      "<button>Manage preferences</button></div></footer>",
)

SHORT_LISTING_WITH_BANNER = page(
    "Opinion - TRT World",
    f"<header>{NAV}</header><ul>"
    + "".join(f"<li><a href='/opinion/x-{i}'>{p[:120]}</a></li>"
              for i, p in enumerate(SEED_PARAGRAPHS[:4]))
    + "</ul><footer><p>We use cookies. <button>Accept all</button></p></footer>",
)

SHORT_ARTICLE_WITH_VENDOR_SCRIPT = page(
    "Why captchas are getting harder - TRT World",
    "<article><h1>Why captchas are getting harder</h1><p>Websites now ask you to verify you are "
    "human more often; solving the captcha takes longer each year.</p></article>",
    head='<script type="application/ld+json">{"@context":"https://schema.org","@type":'
         '"NewsArticle","headline":"Why captchas are getting harder"}</script>'
         "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script>",
)

NOT_FOUND_PAGE = page(
    "Page not found - TRT World",
    f"<header>{NAV}</header><h1>Page not found</h1><p>The page you are looking for does not exist"
    " or has been moved. Go back to the homepage to read the latest news from TRT World.</p>"
    "<footer><a href='/privacy'>Privacy Policy</a> <a href='/cookies'>Cookie Policy</a></footer>",
)

NEGATIVES = [
    # A long article that mentions the words and loads the vendors' everyday scripts.
    ("long-article", 200, {"Server": "cloudflare", "CF-RAY": "8a1b2c3d4e5f6a7b-IST",
                           "X-DataDome": "protected", "Set-Cookie": "datadome=Ab1~x; Path=/"},
     LONG_ARTICLE),
    # A normal listing page whose footer carries a cookie-consent banner.
    ("footer-banner", 200, {}, FOOTER_BANNER),
    # A short listing page with a one-line banner: consent does not dominate it.
    ("short-listing-banner", 200, {}, SHORT_LISTING_WITH_BANNER),
    # A short article about captchas, with Cloudflare's everyday detection script.
    ("short-article", 200, {}, SHORT_ARTICLE_WITH_VENDOR_SCRIPT),
    # An article headlined "Access denied: ...": the title is not the wall's exact title.
    ("access-denied-headline", 200, {},
     page("Access denied: aid trucks turned back at Rafah - TRT World",
          "".join(f"<p>{p}</p>" for p in SEED_PARAGRAPHS * 2))),
    # An article whose body quotes a challenge title.
    ("just-a-moment-quote", 200, {},
     page("Iraqi forces open new front - TRT World",
          "<p>\"Just a moment...\" the commander said.</p>"
          + "".join(f"<p>{p}</p>" for p in SEED_PARAGRAPHS * 2))),
    # A short not-found page with a policy footer.
    ("not-found", 200, {}, NOT_FOUND_PAGE),
    # An empty body, with and without a vendor's everyday header.
    ("empty", 200, {}, ""),
    ("empty-with-vendor-header", 200, {"X-DataDome": "protected"}, ""),
    ("none-body", 200, None, None),
    # Real walls with a 4xx status are not this module's business: the status counts them.
    ("cloudflare-403", 403, {"cf-mitigated": "challenge"}, POSITIVES[0][3]),
    ("datadome-403", 403, {}, POSITIVES[6][3]),
    ("akamai-429", 429, {}, POSITIVES[4][3]),
    # Text a little over the presence limit: a vendor script on a page with words to read.
    ("vendor-script-with-text", 200, {},
     page("Live - TRT World", "<script src='https://js.datadome.co/tags.js'></script><p>"
          + " ".join(SEED_PARAGRAPHS)[:NEAR_EMPTY_CHARS + 50] + "</p>")),
]


@pytest.mark.parametrize(("status", "headers", "text", "kind"),
                         [case[1:] for case in POSITIVES], ids=[case[0] for case in POSITIVES])
def test_walls(status, headers, text, kind):
    assert wall_kind(status, headers, text) == kind


@pytest.mark.parametrize(("status", "headers", "text"),
                         [case[1:] for case in NEGATIVES], ids=[case[0] for case in NEGATIVES])
def test_not_walls(status, headers, text):
    assert wall_kind(status, headers, text) is None


def test_enough_samples():
    assert len(POSITIVES) >= 15 and len(NEGATIVES) >= 8
    assert len({case[0] for case in POSITIVES + NEGATIVES}) == len(POSITIVES) + len(NEGATIVES)


def test_every_kind_has_a_positive_sample():
    kinds = {marker.kind for marker in STRONG + WEAK}
    assert kinds <= {case[4] for case in POSITIVES}


def test_negative_samples_are_what_they_claim():
    """The long samples really are long, the short ones short: else they test nothing."""
    assert len(visible_text(LONG_ARTICLE)) > SHORT_PAGE_CHARS
    assert len(visible_text(FOOTER_BANNER)) > SHORT_PAGE_CHARS
    for short in (SHORT_LISTING_WITH_BANNER, SHORT_ARTICLE_WITH_VENDOR_SCRIPT, NOT_FOUND_PAGE):
        assert len(visible_text(short)) < SHORT_PAGE_CHARS
    for word in ("captcha", "cookies", "Access denied"):
        assert word in visible_text(LONG_ARTICLE)


def test_a_scrapy_response_is_judged_as_the_caller_passes_it():
    """The caller passes response.status, response.headers (bytes) and response.text."""
    url = "https://www.trtworld.com/article/13099992"
    wall = HtmlResponse(url, status=200, body=POSITIVES[6][3].encode(), encoding="utf-8",
                        headers={"X-DataDome": "protected"})
    article = HtmlResponse(url, status=200, body=LONG_ARTICLE.encode(), encoding="utf-8",
                           headers={"X-DataDome": "protected", "Set-Cookie": ["datadome=x"]})
    assert wall_kind(wall.status, wall.headers, wall.text) == "datadome"
    assert wall_kind(article.status, article.headers, article.text) is None


def test_header_names_and_values_in_any_case_and_type():
    for headers in ({b"CF-Mitigated": [b"challenge"]}, {"cf-mitigated": b"challenge"},
                    Headers({"Cf-Mitigated": "Challenge"})):
        assert wall_kind(200, headers, "<html></html>") == "cloudflare"


def test_only_2xx_is_judged():
    challenge = POSITIVES[0][3]
    assert wall_kind(200, {}, challenge) == wall_kind(299, {}, challenge) == "cloudflare"
    for status in (199, 301, 304, 403, 404, 429, 500, 503):
        assert wall_kind(status, {}, challenge) is None


@pytest.mark.parametrize("path", sorted(p for p in SITE_PAGES.rglob("*") if p.is_file()),
                         ids=lambda p: str(p.relative_to(SITE_PAGES)))
def test_site_copy_pages_are_content(path):
    assert wall_kind(200, {}, path.read_text(encoding="utf-8")) is None
