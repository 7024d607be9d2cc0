#!/usr/bin/env python3
"""Build ``tests/site/``: a local, RECONSTRUCTED copy of www.trtworld.com for end-to-end tests.

Run ``python tests/site_build.py``: it deletes and rewrites ``tests/site/`` deterministically
(same bytes every run).  Standard library only; nothing is read from outside this file.

What is real and what is not
----------------------------
* Every sentence of article text below is copied from real material (stored in the project's
  shared notes, copied here so the project never reads them at run time):
  - ``SEED``: the visible text of the gen-3 article page www.trtworld.com/article/13099992
    (file ``seeds/trtworld-article-13099992.txt``);
  - ``CMS_CONTENT_17811425``: the full CMS ``content`` record of the two byte-identical samples
    ``trtworld-samples/cms-api-sample-2024-12-04.json`` and ``...-2025-02-28.json``;
  - ``CARDS``: the 34 distinct CMS card records of those two files (title, description, path,
    publishedDate, mainImageUrl, categories, authors), with the file and list they came from.
  A card story has no more real text than its description, so its body is that description as
  a single paragraph.
* Everything else is a RECONSTRUCTION that follows the confirmed/inferred facts of SITE.md:
  the markup of each site generation, the JSON-LD / og: meta / Next.js flight data / Nuxt
  state layers, section paths, read times, SOURCE lines, image credits of card stories, tags,
  modified dates, hex ids and gen-1 legacy ids.  Every page says so in its first line.

Layout of the output
--------------------
``pages/``     the files served; ``routes.json`` maps request paths to them (or to a status);
``expected/``  one JSON item per article that the crawl must export (url uses ``{site}``);
``manifest.json`` what the e2e tests check (articles, rejected, duplicates, never_requested ...).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import unicodedata
from collections import Counter
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "site"
PROD = "https://www.trtworld.com"  # the production origin, as written in real pages
SITE = "{site}"  # placeholder for the local origin in expected items
LANG = "en"

# =====================================================================================
# 1. REAL MATERIAL (copied verbatim; do not edit the texts)
# =====================================================================================

# Visible text of https://www.trtworld.com/article/13099992 in reading order (seed file).
SEED = {
    "id": 13099992,
    "label": "WORLD",
    "read_time": "4 MIN READ",
    "title": "Iraqi forces open new front in final push against Daesh",
    "description": (
        "The move comes as part of an offensive launched on Thursday with an aim to inflict a "
        "final defeat on Daesh in a western desert bordering Syria."
    ),
    "caption": (
        "Iraqi forces advance through the Salaheddin province in the western desert bordering "
        "Syria after leaving the town of Baiji, on November 24, 2017, as they attempt to flush "
        "out remaining Daesh in the Al-Jazeera region. / AFP"
    ),
    "byline": "By Staff Reporter",
    "display_date": "November 25, 2017",
    "body": [
        "Iraqi forces thrust north from the Euphrates Valley into the desert on Saturday, opening up a new front in the drive to flush out fugitive Daesh militants, a commander said.",
        "Daesh has already been driven from all the towns it once held, but Prime Minister Haider al Abadi has said he will not proclaim victory until the group has been cleared from the western desert bordering Syria.",
        "Troops and paramilitaries had advanced into the desert from the east and north on Thursday at the start of an offensive aimed at inflicting a final defeat on the group.",
        "On Saturday, troops and tribal militia pushed north from Al Qaim and Rawa, two Euphrates Valley towns recaptured from Daesh earlier this month, in a pincer movement against retreating Daesh militants, one of the operation's two commanders said.",
        "\"It's a matter of linking up with the forces advancing from Nineveh\" province in the north, the commander said, asking not to be identified.",
        "\"The aim of the operation is to clear the desert right up to the Syrian border and hunt down the terrorists who fled into the desert from the towns that have been liberated.\"",
        "The Hashed al Shaabi (Popular Mobilisation) paramilitary force, which has played a key role in the offensive, said 100 villages and hamlets had already been cleared of Daesh.",
        "\"The battle for the desert is very important because it's from there that Daesh fighters coming from Syria can attack our defence lines,\" said Hashed number two Abu Mahdi al Mohandis.",
        "In a video posted by the Hashed, Mohandis said the desert was \"the last region where Daesh still has a military presence.\"",
        "He said operations against it were under way over an area of 27,000 square kilometres. ",
        "But he warned that their completion would not spell the end of Daesh.",
        "\"We must hunt them down in areas that have been liberated and we must arrest them before they slip back into urban areas,\" said Mohandis, who is widely regarded as the strongman of the Hashed, which is largely composed of Iran-backed Shia militias.",
        "\"We must remain in a state of alert,\" he added. \"Security will not be fully assured until we have complete control of the border with Syria.\"",
        "At the peak of its power in 2014, Daesh ruled some seven million people in a territory as large as Italy, encompassing large parts of Syria and nearly a third of Iraq.",
        "It is now being flushed out of its last desert hideouts in Iraq at the same time as its final pockets of control in Syria face simultaneous operations by Russian-backed government forces and US-backed YPG-led militants.",
    ],
    "source_line": "SOURCE:AFP",
    # The seed page's real Explore headlines (their URLs are unknown: see SEED_EXPLORE_PATH).
    "explore": [
        "Türkiye marks 51st anniversary of Cyprus Peace Operation, pledges to defend Turkish Cypriot rights",
        "Calm returns to Syria's Sweida as Bedouin fighters withdraw",
        "Erdogan honours martyrs on 51st anniversary of Cyprus Peace Operation",
        "TRNC detains Greek Cypriots for alleged spying",
        "Putin is open to Ukraine peace talks, but Russia comes first: Kremlin",
        "Iran, European states prepare to restart nuke talks: report",
        "Türkiye extradites Interpol-wanted fugitives around the world",
        "US cuts over 90% of foreign development programme budgets",
        "In Gaza, hunger now permanently steals sleep and hope",
        "Israel engages in 'complex' talks with Hamas to end Gaza war: report",
        "Hamas reviews new Gaza maps detailing Israeli control amid truce talks",
        "Japan's voters head to polls in Upper House election in crucial test for Ishiba's minority govt",
        "Usyk knocks out Dubios to become undisputed world heavyweight champion",
        "Brazil's Lula slams US' sanctions on judges in Bolsonaro case",
        "Dozens of pro-Palestine protesters arrested in UK after Palestine Action ban",
    ],
    "footer": ["Sneak a peek at TRT Global. Share your feedback!", "Contact us"],
}

# The full CMS `content` record (gen-2 Nuxt era), verbatim from cms-api-sample-2024-12-04.json
# (identical in cms-api-sample-2025-02-28.json).
CMS_CONTENT_17811425 = {
    "id": 17811425,
    "title": "Palestinian detainees in Israeli jails increased 130% after October 7",
    "description": "Head of Prisoners and Ex-Prisoners Affairs Authority says nobody knows number of Palestinian detainees from Gaza.",
    "body": [
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>A Palestinian official said the number of Palestinian detainees in Israeli jails since October 7 has increased by 130 percent.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>Speaking to Anadolu, Qaddoura Fares, head of the Prisoners and Ex-Prisoners Affairs Authority, described the situation of Palestinian detainees in Israeli jails as \"catastrophic and extremely dangerous.\" </p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>He noted that the detainees are exposed to torture and systematic assaults, and that \"the journey of torture starts from the moment of storming into the house and assaulting the detainee and the family, and sabotaging the house properties.\"</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>He said the past winter was the most difficult winter season for the detainees as the Israeli prison authorities deprived them of proper clothes and blankets, as well as regularly stripping them of their clothes.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>The Palestinian official added that the number of Palestinian detainees in Israeli jails before October 7 was nearly 5 ,000, but now the number is expected to reach 12,000, including the detainees from Gaza.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>\"Nobody knows the number of detainees from Gaza, these are just expectations, but what is documented of detainees in Israeli jails reaches 9,500,\" Fares added.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>He noted that among the detainees, there are some 80 women, over 200 children, and nearly 4,000 held under Israeli administrative detention without charge or trial.</p>"
        },
        {
            "blockType": "youtube",
            "metadata": {
                "url": "https://youtu.be/o1AAznfrqZY"
            },
            "value": "<iframe width=\"200\" height=\"113\" src=\"https://www.youtube.com/embed/o1AAznfrqZY?feature=oembed\" frameborder=\"0\" allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share\" referrerpolicy=\"strict-origin-when-cross-origin\" allowfullscreen title=\"More than 9,000 Palestinians currently detained by Israel\"></iframe>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p><strong>Over 9,500 detainees in Israeli jails</strong> </p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>The detainees include 80 women and more than 200 children, the Commission of Detainees' Affairs, the Palestinian Prisoner Society and Addameer Prisoner Support and Human Rights Association said in a joint statement marking the Palestinian Prisoner’s Day, which falls on April 17.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>“This figure does not include Palestinians held by Israeli forces in Gaza,” the statement said.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>Among the detainees are 3,660 Palestinians held without trial or charge under Israel’s notorious policy of administrative detention, the statement said.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>“More than 40 children and 20 women are held administratively without trial or charge,” it added.</p>"
        },
        {
            "blockType": "text",
            "metadata": {},
            "value": "<p>There are 56 journalists held in Israeli jails, including four women reporters, the statement said.</p>"
        },
        {
            "id": 17248187,
            "type": "article",
            "title": "UNRWA exposes disturbing Israeli abuse of Palestinian detainees — report",
            "description": "Alarming UNRWA findings reveal mistreatment, including beatings and dog attacks, of Palestinian detainees by Israeli authorities.",
            "mainImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/17767726_0-0-6000-3378.jpeg",
            "overlayImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/f_article_6b79a9c5c1d2c1408a83b63b39a51e49.jpeg",
            "thumbnailSquare": "",
            "categories": [
                {
                    "contentId": 12682254,
                    "title": "Home Page"
                },
                {
                    "contentId": 12683241,
                    "title": "Middle East"
                }
            ],
            "metaTitle": "",
            "metaDescription": "",
            "showName": "",
            "showSlug": "",
            "path": "/middle-east/unrwa-exposes-disturbing-israeli-abuse-of-palestinian-detainees-report-17248187",
            "publishedDate": "2024-03-06T10:21:32.302Z",
            "authors": [
                {
                    "userName": "Staff.Reporter",
                    "firstName": "Staff",
                    "lastName": "Reporter",
                    "path": "/author/staff-reporter"
                }
            ],
            "showAuthor": False,
            "showByLine": False,
            "showSparkbox": False,
            "blockType": "content"
        }
    ],
    "path": "/middle-east/palestinian-detainees-in-israeli-jails-increased-130-after-october-7-17811425",
    "type": "article",
    "fields": {
        "search_title": {
            "text": "Palestinian detainees in Israeli jails increased 130% after October 7"
        },
        "search_description": {
            "text": "A Palestinian official said the number of Palestinian detainees in Israeli jails since October 7 has increased by 130 percent."
        },
        "topic_slug": {
            "text": "middle-east"
        },
        "mainImage": {
            "type": "image",
            "assetId": 17694618,
            "key": "trtworld/17694618_0-396-3855-2171.jpeg",
            "bucket": "port-production-asset-public-image",
            "cdnUrl": "https://cdn-i.pr.trt.com.tr/trtworld/",
            "fileName": "17694618_0-396-3855-2171.jpeg",
            "url": "https://cdn-i.pr.trt.com.tr/trtworld/17694618_0-396-3855-2171.jpeg",
            "title": "An Israeli soldier stands by a truck with Palestinian detainees in it, Gaza, December 8, 2023. / Photo: Reuters",
            "width": 3855,
            "height": 2568,
            "source": "Reuters",
            "author": "Yossi Zeliger"
        },
        "authors": [
            {
                "firstName": {
                    "text": "Staff"
                },
                "lastName": {
                    "text": "Reporter"
                },
                "path": "/author/staff-reporter"
            }
        ],
        "relatedStory": {
            "id": 12709123,
            "type": "article",
            "title": "Return to the Motherland",
            "description": "The Israeli occupation of Palestine manifests in several shapes, and often the exertion of dominance over Palestinians takes form through pyschological warfare. This short narrative takes a look at one Palestinian's trip to her homeland.",
            "mainImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/0m_8478-trtworld-393300-432251.jpg",
            "overlayImageUrl": "",
            "thumbnailSquare": "",
            "categories": [
                {
                    "contentId": 12683235,
                    "title": "Opinion"
                },
                {
                    "contentId": 12682254,
                    "title": "Home Page"
                }
            ],
            "metaTitle": "",
            "metaDescription": "",
            "showName": "",
            "showSlug": "",
            "path": "/opinion/return-to-the-motherland-12709123",
            "publishedDate": "2017-07-04T00:00:00.000Z",
            "authors": [
                {
                    "userName": "nadine.sayegh",
                    "firstName": "Nadine",
                    "lastName": "Sayegh",
                    "bio": "Nadine Sayegh is a multidisciplinary writer and researcher covering the Arab world. She has covered topics including gender in the region, countering violent extremism, the Occupied Palestinian Territories, amongst other social and political issues.",
                    "mainImage": "https://cdn-i.pr.trt.com.tr/trtworld/0u_131.jpg",
                    "path": "/author/nadine-sayegh"
                }
            ],
            "showAuthor": False,
            "showByLine": False,
            "showSparkbox": False
        },
        "sources": [
            {
                "key": "aa",
                "value": "AA",
                "metadata": {}
            }
        ],
        "topics": [
            {
                "contentId": 12682254,
                "title": "Home Page",
                "slug": "home-page"
            },
            {
                "contentId": 12683241,
                "title": "Middle East",
                "slug": "middle-east"
            }
        ],
        "team": {
            "key": "news",
            "value": "News",
            "metadata": {}
        },
        "contentFormat": {
            "key": "news",
            "value": "News",
            "metadata": {}
        },
        "country": {
            "key": "pse",
            "value": "Palestine",
            "metadata": {
                "code": "PSE",
                "region": "Asia",
                "subregion": "Western Asia"
            }
        },
        "tags": [
            {
                "key": "palestine",
                "value": "Palestine",
                "metadata": {}
            },
            {
                "key": "prisoners-day",
                "value": "Prisoners Day",
                "metadata": {}
            },
            {
                "key": "palestinian-prisoners",
                "value": "Palestinian Prisoners",
                "metadata": {}
            },
            {
                "key": "palestinian-detainees",
                "value": " Palestinian detainees",
                "metadata": {}
            },
            {
                "key": "october-7",
                "value": "October 7",
                "metadata": {}
            }
        ],
        "overlayImage": {
            "type": "image",
            "key": "trtworld/f_article_4b8468f2e56a26c9e324c99651eff53c.jpeg",
            "bucket": "port-production-asset-public-image",
            "cdnUrl": "https://cdn-i.pr.trt.com.tr/trtworld/",
            "fileName": "f_article_4b8468f2e56a26c9e324c99651eff53c.jpeg",
            "url": "https://cdn-i.pr.trt.com.tr/trtworld/f_article_4b8468f2e56a26c9e324c99651eff53c.jpeg",
            "width": 3855,
            "height": 2568
        }
    },
    "metadata": {
        "show_sparkbox": "true"
    },
    "site": "trtworld",
    "viewCount": 0,
    "published": {
        "date": "2024-04-17T11:19:59.677Z"
    },
    "paths": [
        "/middle-east/palestinian-detainees-in-israeli-jails-increased-130-after-october-7-17811425"
    ]
}

# The 34 distinct CMS card records of the two samples ("from": sample file date, "record":
# the list or field it was first found in; when a card occurs several times the copy with
# authors was kept).  Only the fields the site copy uses are kept.
CARDS = [
    {
        "from": "2024-12-04", "record": "content.body",
        "id": 17248187,
        "title": "UNRWA exposes disturbing Israeli abuse of Palestinian detainees — report",
        "description": "Alarming UNRWA findings reveal mistreatment, including beatings and dog attacks, of Palestinian detainees by Israeli authorities.",
        "path": "/middle-east/unrwa-exposes-disturbing-israeli-abuse-of-palestinian-detainees-report-17248187",
        "publishedDate": "2024-03-06T10:21:32.302Z",
        "mainImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/17767726_0-0-6000-3378.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Staff", "lastName": "Reporter", "path": "/author/staff-reporter"}],
    },
    {
        "from": "2024-12-04", "record": "content.fields.relatedStory",
        "id": 12709123,
        "title": "Return to the Motherland",
        "description": "The Israeli occupation of Palestine manifests in several shapes, and often the exertion of dominance over Palestinians takes form through pyschological warfare. This short narrative takes a look at one Palestinian's trip to her homeland.",
        "path": "/opinion/return-to-the-motherland-12709123",
        "publishedDate": "2017-07-04T00:00:00.000Z",
        "mainImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/0m_8478-trtworld-393300-432251.jpg",
        "categories": [(12683235, "Opinion"), (12682254, "Home Page")],
        "authors": [{"firstName": "Nadine", "lastName": "Sayegh", "path": "/author/nadine-sayegh"}],
    },
    {
        "from": "2024-12-04", "record": "related",
        "id": 18239939,
        "title": "Over 1,000 scientists globally sign open letter calling for Gaza ceasefire",
        "description": "Signatories include Nobel Prize-winning neurologists who condemn the \"hatred, death and destruction\" in the Middle East.",
        "path": "/middle-east/over-1000-scientists-globally-sign-open-letter-calling-for-gaza-ceasefire-18239939",
        "publishedDate": "2024-12-04T17:53:10.157Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21263122_0-403-8188-4611.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Staff", "lastName": "Reporter", "path": "/author/staff-reporter"}],
    },
    {
        "from": "2024-12-04", "record": "related",
        "id": 18239608,
        "title": "Live blog: Hamas snipers kill two Israeli soldiers in northern Gaza",
        "description": "Israel's genocide in Gaza — now in its 425th day — has killed at least 44,532 Palestinians and left more than 105,538 wounded. In Lebanon, Israel has agreed to a ceasefire deal after killing 4,047 people since October 2023.",
        "path": "/middle-east/live-blog-hamas-snipers-kill-two-israeli-soldiers-in-northern-gaza-18239608",
        "publishedDate": "2024-12-04T17:27:22.159Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21205960_0-109-5472-3081.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Noureldein", "lastName": "Ghanem", "path": "/author/noureldein-ghanem-7782"}, {"firstName": "Rabiul", "lastName": "Islam", "path": "/author/rabiul-islam"}],
    },
    {
        "from": "2024-12-04", "record": "related",
        "id": 18239725,
        "title": "Israeli settlers attack Palestinian properties in occupied West Bank",
        "description": "Illegal settlers attack two Palestinian towns near Nablus city, burn two houses, a market, three cars, according to reports.",
        "path": "/middle-east/israeli-settlers-attack-palestinian-properties-in-occupied-west-bank-18239725",
        "publishedDate": "2024-12-04T10:03:51.898Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261305_0-0-3515-1980.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Rabiul", "lastName": "Islam", "path": "/author/rabiul-islam"}],
    },
    {
        "from": "2024-12-04", "record": "related",
        "id": 18239708,
        "title": "Israeli forces raid Turkish hospital in occupied West Bank",
        "description": "Eyewitnesses report live bullets and sound bombs being used in hospital corridors, creating panic among patients and staff.",
        "path": "/middle-east/israeli-forces-raid-turkish-hospital-in-occupied-west-bank-18239708",
        "publishedDate": "2024-12-04T08:35:47.009Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261165_0-163-4392-2473.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East"), (12683239, "Turkiye")],
        "authors": [{"firstName": "Karya Naz", "lastName": "Balkiz", "path": "/author/karya-naz-balkiz"}],
    },
    {
        "from": "2024-12-04", "record": "related",
        "id": 18239670,
        "title": "Türkiye's AFAD delivers flour to Gaza amid deepening food crisis",
        "description": "Türkiye's disaster agency provides flour to displaced families in Gaza, where Israel uses starvation as a weapon.",
        "path": "/middle-east/turkiyes-afad-delivers-flour-to-gaza-amid-deepening-food-crisis-18239670",
        "publishedDate": "2024-12-04T08:30:49.654Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261031_370-183-3603-2029.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East"), (12683239, "Turkiye")],
        "authors": [{"firstName": "Karya Naz", "lastName": "Balkiz", "path": "/author/karya-naz-balkiz"}],
    },
    {
        "from": "2024-12-04", "record": "popular",
        "id": 18239911,
        "title": "US eyes railway project in Angola to tap African minerals, counter China",
        "description": "Despite President Biden's repeated pledges to be \"all in on Africa\", US influence in Africa has declined during his term in office.",
        "path": "/africa/us-eyes-railway-project-in-angola-to-tap-african-minerals-counter-china-18239911",
        "publishedDate": "2024-12-04T15:46:17.046Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21262675_0-178-3216-1811.jpeg",
        "categories": [(12682254, "Home Page"), (12682877, "Africa"), (12683251, "US & Canada"), (12683237, "Business")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "popular",
        "id": 18239909,
        "title": "‘Sleepy Joe’: How Biden stained his already dark legacy with son’s pardon",
        "description": "The outgoing US president might not be the only American leader to forgive family members but his action stands in stark contrast to his earlier vows not to use extraordinary power.",
        "path": "/magazine/sleepy-joe-how-biden-stained-his-already-dark-legacy-with-sons-pardon-18239909",
        "publishedDate": "2024-12-04T15:36:56.406Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21262571_0-173-3455-1945.jpeg",
        "categories": [(12682254, "Home Page"), (12683233, "Magazine")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "popular",
        "id": 18239886,
        "title": "To preserve cultural heritage, India must embrace pluralism, not politics",
        "description": "Critics say bias and funding issues are driving the selective upkeep of monuments, to the detriment of Indian history.",
        "path": "/opinion/to-preserve-cultural-heritage-india-must-embrace-pluralism-not-politics-18239886",
        "publishedDate": "2024-12-04T15:17:02.701Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21262330_0-7-5568-3135.jpeg",
        "categories": [(12682254, "Home Page"), (12683235, "Opinion"), (12683247, "Arts & Culture")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239893,
        "title": "Martial law debacle: South Korea's Yoon faces impeachment",
        "description": "Six South Korean opposition parties submit bill in parliament to impeach Yoon, with voting set for Friday or Saturday.",
        "path": "/asia/martial-law-debacle-south-koreas-yoon-faces-impeachment-18239893",
        "publishedDate": "2024-12-04T14:33:06.340Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21262366_0-487-4352-2450.jpeg",
        "categories": [(12682254, "Home Page"), (12682879, "Asia")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239870,
        "title": "Liberte, egalite, fraternite – unless you are Black or Arab in France",
        "description": "A year after France's top court acknowledged systemic racial profiling, discriminatory practices persist, disproportionately targeting Black and Arab communities.",
        "path": "/magazine/liberte-egalite-fraternite-unless-you-are-black-or-arab-in-france-18239870",
        "publishedDate": "2024-12-04T13:58:17.464Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21262250_470-732-4786-2695.jpeg",
        "categories": [(12682254, "Home Page"), (12683233, "Magazine"), (12683245, "Discrimination"), (12683237, "Business")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239884,
        "title": "Buddha relic from China receives warm welcome in Thailand",
        "description": "Thai PM and her cabinet welcomes a Buddha relic from China amid monks' chants in presence of Beijing’s ambassador and other Chinese officials.",
        "path": "/arts-and-culture/buddha-relic-from-china-receives-warm-welcome-in-thailand-18239884",
        "publishedDate": "2024-12-04T13:57:10.549Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261650_0-352-6761-3807.jpeg",
        "categories": [(12682254, "Home Page"), (12683247, "Arts & Culture")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239841,
        "title": "Nepal, China sign framework agreement on Belt and Road plan",
        "description": "Kathmandu and Beijing signed an initial deal in 2017 for President Xi Jinping's Belt and Road Initiative.",
        "path": "/asia/nepal-china-sign-framework-agreement-on-belt-and-road-plan-18239841",
        "publishedDate": "2024-12-04T13:19:22.938Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261999_0-262-4000-2253.jpeg",
        "categories": [(12682254, "Home Page"), (12682879, "Asia"), (12683237, "Business")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239815,
        "title": "Why is the once-mighty German economy struggling in a changing world?",
        "description": "Europe’s largest economy is under unprecedented strain as it faces headwinds on multiple fronts. Can it adapt and secure its global standing?",
        "path": "/opinion/why-is-the-once-mighty-german-economy-struggling-in-a-changing-world-18239815",
        "publishedDate": "2024-12-04T12:31:21.196Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261820_0-0-2901-1634.jpeg",
        "categories": [(12682254, "Home Page"), (12683235, "Opinion"), (12682883, "Europe"), (12683237, "Business")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239800,
        "title": "Did Peru’s embattled president skip duties for a nose job?",
        "description": "Dina Boluarte’s rhinoplasty has sparked outrage, further tarnishing the 62-year-old’s political career, marred by allegations of corruption and indifference to Peru’s mounting crises.",
        "path": "/magazine/did-perus-embattled-president-skip-duties-for-a-nose-job-18239800",
        "publishedDate": "2024-12-04T11:43:13.381Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261734_0-114-3100-1746.jpeg",
        "categories": [(12682254, "Home Page"), (12683233, "Magazine")],
        "authors": [],
    },
    {
        "from": "2024-12-04", "record": "categoryNews",
        "id": 18239772,
        "title": "Concerns rise over waterborne illnesses in Malaysia's flood-affected areas",
        "description": "After devastating floods, health volunteers in Malaysia prepare for a possible rise in diseases as thousands remain displaced and new rains are forecasted.",
        "path": "/asia/concerns-rise-over-waterborne-illnesses-in-malaysias-flood-affected-areas-18239772",
        "publishedDate": "2024-12-04T11:09:36.122Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21261558_0-510-4032-2271.jpeg",
        "categories": [(12682254, "Home Page"), (12682879, "Asia")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "latest",
        "id": 18269747,
        "title": "Bomb blast at Pakistan seminary kills top cleric, 4 others",
        "description": "Provincial police chief says the attack appears to be a suicide bombing, with bomb experts still investigating. No group has claimed responsibility yet.",
        "path": "/asia/bomb-blast-at-pakistan-seminary-kills-top-cleric-4-others-18269747",
        "publishedDate": "2025-02-28T11:30:00.601Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/9554109_0-504-4928-2775.jpeg",
        "categories": [(12682254, "Home Page"), (12682879, "Asia")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "latest",
        "id": 18269739,
        "title": "Türkiye-Africa Media Forum today",
        "description": "Turkish Communications Director Fahrettin Altun stresses Türkiye’s desire to look at Africa \"not through its negative aspects, but through its true potential and dynamism\".",
        "path": "/turkiye/turkiye-africa-media-forum-today-18269739",
        "publishedDate": "2025-02-28T11:27:25.310Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583638_0-0-2045-1152.jpeg",
        "categories": [(12682254, "Home Page"), (12683239, "Turkiye"), (12682877, "Africa")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "latest",
        "id": 18269734,
        "title": "PKK/YPG attacks severely damage healthcare system in Syria's Manbij",
        "description": "Continuing attacks by the terrorist group take their toll on patients, particularly the elderly, as healthcare workers struggle to work under constant fear and panic.",
        "path": "/middle-east/pkkypg-attacks-severely-damage-healthcare-system-in-syrias-manbij-18269734",
        "publishedDate": "2025-02-28T09:50:02.366Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583518_0-545-5760-3243.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "latest",
        "id": 18269728,
        "title": "Glacier burst in Indian Himalayas, leaving dozens trapped",
        "description": "Rescue teams are struggling to reach the site of a glacier burst in Uttarakhand, where 47 people are feared trapped.",
        "path": "/asia/glacier-burst-in-indian-himalayas-leaving-dozens-trapped-18269728",
        "publishedDate": "2025-02-28T09:29:02.485Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583478_0-94-1023-576.jpeg",
        "categories": [(12682254, "Home Page"), (12682879, "Asia")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "headline",
        "id": 13155179,
        "title": "Türkiye's elections: Polls close in some European countries, US",
        "description": "Over 1.6 million Turkish citizens living abroad have cast their votes for Türkiye's upcoming presidential and parliamentary elections.",
        "path": "/turkiye/turkiyes-elections-polls-close-in-some-european-countries-us-13155179",
        "publishedDate": "2023-05-08T06:12:19.102Z",
        "mainImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/16358427_0-57-8256-4649.jpeg",
        "categories": [(12682254, "Home Page"), (12683239, "Turkiye")],
        "authors": [{"firstName": "Sara", "lastName": "SLEIMAN", "path": "/author/sara-sleiman"}],
    },
    {
        "from": "2025-02-28", "record": "news",
        "id": 12977396,
        "title": "South Africa's Ramaposa rows back from pledge to quit ICC",
        "description": "South African President Cyril Ramaphosa a day earlier said his ANC party had resolved that his country should quit the ICC, which last month issued an arrest warrant against Russian President Vladimir Putin.",
        "path": "/africa/south-africas-ramaposa-rows-back-from-pledge-to-quit-icc-12977396",
        "publishedDate": "2023-04-26T10:25:42.760Z",
        "mainImageUrl": "https://cdn-i.pr.trt.com.tr/trtworld/16275004_0-183-4498-2533.jpeg",
        "categories": [(12682254, "Home Page"), (12682877, "Africa"), (12682883, "Europe")],
        "authors": [{"firstName": "Meryem", "lastName": "Demirhan", "path": "/author/meryem-demirhan"}],
    },
    {
        "from": "2025-02-28", "record": "related",
        "id": 18269575,
        "title": "Live blog: Egypt hosts mediators to discuss next steps of Gaza truce",
        "description": "Ceasefire pausing Israel's war on Gaza — which has reportedly killed 48,365+ Palestinians, a figure revised by officials to 62,000+, having added thousands who are missing and now presumed dead — enters its 41st day.",
        "path": "/middle-east/live-blog-egypt-hosts-mediators-to-discuss-next-steps-of-gaza-truce-18269575",
        "publishedDate": "2025-02-28T08:22:44.895Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583420_0-164-3000-1689.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Noureldein", "lastName": "Ghanem", "path": "/author/noureldein-ghanem-7782"}],
    },
    {
        "from": "2025-02-28", "record": "related",
        "id": 18269608,
        "title": "Rights group accuses Israel of 'heinous' torture of Palestinian prisoners",
        "description": "Euro-Mediterranean observer reports severe physical and psychological abuse of Palestinian prisoners before their release, with some suffering extreme medical neglect and torture in Israeli custody.",
        "path": "/discrimination/rights-group-accuses-israel-of-heinous-torture-of-palestinian-prisoners-18269608",
        "publishedDate": "2025-02-28T05:39:38.133Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583219_0-53-5500-3100.jpeg",
        "categories": [(12682254, "Home Page"), (12683245, "Discrimination"), (12683241, "Middle East")],
        "authors": [{"firstName": "Ali", "lastName": "Topchi", "path": "/author/ali-topchi"}],
    },
    {
        "from": "2025-02-28", "record": "related",
        "id": 18269601,
        "title": "Israeli army admits 'colossal failure' in October 7 probe",
        "description": "The investigation says the army relied on flawed strategic assumptions and overconfidence in its intelligence superiority.",
        "path": "/middle-east/israeli-army-admits-colossal-failure-in-october-7-probe-18269601",
        "publishedDate": "2025-02-28T01:19:43.276Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/17746273_0-83-1600-901.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Noureldein", "lastName": "Ghanem", "path": "/author/noureldein-ghanem-7782"}],
    },
    {
        "from": "2025-02-28", "record": "related",
        "id": 18269240,
        "title": "Live blog: Israeli military admits its failure on October 7",
        "description": "Ceasefire pausing Israel's war on Gaza — which has reportedly killed 48,365+ Palestinians, a figure revised by officials to 62,000+, having added thousands who are missing and now presumed dead — enters its 40th day.",
        "path": "/middle-east/live-blog-israeli-military-admits-its-failure-on-october-7-18269240",
        "publishedDate": "2025-02-27T19:24:17.778Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21582337_0-307-6720-3784.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Noureldein", "lastName": "Ghanem", "path": "/author/noureldein-ghanem-7782"}, {"firstName": "Staff", "lastName": "Reporter", "path": "/author/staff-reporter"}],
    },
    {
        "from": "2025-02-28", "record": "related",
        "id": 18269461,
        "title": "Israeli attempts to obstruct release of our prisoners have failed: Hamas",
        "description": "\"The enemy has no other option but to start the negotiations of the second phase\" of the Gaza truce agreement, Palestinian group Hamas says.",
        "path": "/middle-east/israeli-attempts-to-obstruct-release-of-our-prisoners-have-failed-hamas-18269461",
        "publishedDate": "2025-02-27T14:30:15.813Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21581482_0-39-1200-675.jpeg",
        "categories": [(12682254, "Home Page"), (12683241, "Middle East")],
        "authors": [{"firstName": "Staff", "lastName": "Reporter", "path": "/author/staff-reporter"}],
    },
    {
        "from": "2025-02-28", "record": "popular",
        "id": 18269705,
        "title": "UN rights chief slams Thailand’s deportation of Uighurs to China",
        "description": "Volker Turk urges China to disclose whereabouts of deported Uighurs, calls on Thailand to prevent further expulsions.",
        "path": "/discrimination/un-rights-chief-slams-thailands-deportation-of-uighurs-to-china-18269705",
        "publishedDate": "2025-02-28T08:32:17.844Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21580802_426-760-4322-2434.jpeg",
        "categories": [(12682254, "Home Page"), (12683245, "Discrimination"), (12682879, "Asia")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "categoryNews",
        "id": 18269691,
        "title": "US human rights group refers Biden to ICC for complicity in Israeli crimes",
        "description": "The submission demands the prosecution of US accomplices, exposing the extent of US military and political support for Israeli war crimes, including over $17.9 billion in weapon transfers.",
        "path": "/magazine/us-human-rights-group-refers-biden-to-icc-for-complicity-in-israeli-crimes-18269691",
        "publishedDate": "2025-02-28T08:17:02.167Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583404_0-460-7405-4170.jpeg",
        "categories": [(12682254, "Home Page"), (12683233, "Magazine"), (12683241, "Middle East"), (12683251, "US & Canada")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "categoryNews",
        "id": 18269673,
        "title": "India, EU agree to finalise free trade pact in 2025",
        "description": "The agreement focuses on diversifying critical value chains and strengthening India's and the bloc's strategic partnership amidst rising geopolitical tensions.",
        "path": "/business/india-eu-agree-to-finalise-free-trade-pact-in-2025-18269673",
        "publishedDate": "2025-02-28T07:50:36.370Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21583327_0-561-5424-3054.jpeg",
        "categories": [(12682254, "Home Page"), (12683237, "Business")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "categoryNews",
        "id": 18269665,
        "title": "US, Russia take steps to ease diplomatic missions in Istanbul talks",
        "description": "US raises concerns over banking access, contracted services and stable staffing at its Moscow embassy, says State Department",
        "path": "/europe/us-russia-take-steps-to-ease-diplomatic-missions-in-istanbul-talks-18269665",
        "publishedDate": "2025-02-28T07:24:49.261Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/203902_0-142-3127-1761.jpeg",
        "categories": [(12682254, "Home Page"), (12682883, "Europe"), (12683251, "US & Canada")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "categoryNews",
        "id": 18269609,
        "title": "Vietnam to support deportations from US after tariff threats, lawyer says",
        "description": "More than 8,600 Vietnamese nationals who are currently facing \"an order of removal\" from the US were migrants who entered the country usually as refugees before 1995, following the end of the US war in Vietnam.",
        "path": "/asia/vietnam-to-support-deportations-from-us-after-tariff-threats-lawyer-says-18269609",
        "publishedDate": "2025-02-28T05:20:12.725Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21582362_0-405-6192-3487.jpeg",
        "categories": [(12682254, "Home Page"), (12682879, "Asia"), (12683251, "US & Canada")],
        "authors": [],
    },
    {
        "from": "2025-02-28", "record": "categoryNews",
        "id": 18269604,
        "title": "Over 8,500 people killed since January in eastern DRC violence",
        "description": "DRC Health Minister Samuel-Roger Kamba says that over 5,700 have also been wounded.",
        "path": "/africa/over-8500-people-killed-since-january-in-eastern-drc-violence-18269604",
        "publishedDate": "2025-02-28T02:44:55.005Z",
        "mainImageUrl": "https://images-cdn.trtworld.com/trtworld/21577414_0-279-5214-2936.jpeg",
        "categories": [(12682254, "Home Page"), (12682877, "Africa")],
        "authors": [],
    },
]


# =====================================================================================
# 2. THE STORIES OF THE COPY: one plain dict per article page (reconstruction choices)
# =====================================================================================
#
# "story": which real record ("seed", "cms" = CMS_CONTENT_17811425, or a card id).
# "gen": site generation (1 server-rendered, 2 Nuxt, 3 Next.js); "path": where it is served.
# Layers (None = absent):
#   "jsonld": {"author": person|persons|given_family|org|None (no author key), "image": string|object,
#              "keywords": list|string|None, "graph": bool, "broken": bool, "type": ...,
#              "published": raw override, "body": bool (articleBody)}
#   "og":     {"suffix": " - TRT World"|" | TRT World", "section": bool, "published": raw
#              override, "url": bool}
#   "flight": "confirmed" (only the keys confirmed for gen-3 content objects) | "full"
#             (also the inferred gen-2-style keys: fields, body, updatedAt)
#   "nuxt":   "iife" (real Nuxt 2 devalue form) | "json" (plain JSON form)
# "modified": (raw date, [layers carrying it]); "tags": (list, [layers carrying it]);
# "cms_sources": values of CMS fields.sources.  Visible DOM: "label" (section label as written
# in the DOM), "read_time", "byline" (visible line), "byline_link", "ul_authors" (gen 1),
# "date_tag" (time | time-dt | div), "source_line", "figure" (plain | caption | None),
# "promos" [(kind, story key)], "explore" (story keys; "abs:k" absolute link, "rt:k" with
# ?_rt=1, "video" a video card), "explore_bylines".
# Copies: "copy_of" (same story, other URL), "canonical" (absolute href or None),
# "self_canonical".  "rejected": why the crawl must not export it.

PAGES = [
    # ------------------------------------------------------------------ generation 3
    {
        "key": "iraq-daesh", "story": "seed", "gen": 3, "path": "/article/13099992",
        "flight": "confirmed", "published": "2017-11-25T00:00:00.000Z",
        "label": "WORLD", "read_time": "4 MIN READ", "byline": "By Staff Reporter",
        "byline_link": True, "date_tag": "time", "source_line": "SOURCE:AFP",
        "figure": "caption", "dom_nbsp": ["27,000 square"], "explore": "seed",
    },
    {
        "key": "pakistan-blast", "story": 18269747, "gen": 3, "path": "/article/18269747",
        "jsonld": {"author": "org", "image": "object"},
        "og": {"suffix": " - TRT World", "section": True, "url": True},
        "flight": "full", "self_canonical": True,
        "modified": ("2025-02-28T12:04:51.220Z", ["jsonld", "og", "flight"]),
        "cms_sources": ["TRT World"], "label": "ASIA", "read_time": "2 min read",
        "date_tag": "time-dt", "figure": "plain", "flight_extra_push": True,
        "promos": [("recommended", "glacier-burst")],
        "explore": ["africa-forum", "manbij-health", "glacier-burst", "uighurs", "biden-icc",
                    "india-eu", "prisoner-torture", "army-failure", "detainees", "scientists",
                    "turkiye-elections", "malaysia-floods"],
        "explore_bylines": True,
    },
    {
        "key": "africa-forum", "story": 18269739, "gen": 3, "path": "/article/5e0f2a7c9b14",
        "hex_note": "made-up hex id", "flight": "confirmed",
        "label": "TÜRKİYE", "read_time": None, "date_tag": "div", "source_line": "SOURCE:AA",
        "figure": "plain", "promos": [("global", "turkiye-elections")],
        "explore": ["pakistan-blast", "manbij-health", "glacier-burst", "turkiye-elections",
                    "afad-flour", "hospital-raid"],
    },
    {
        "key": "manbij-health", "story": 18269734, "gen": 3, "path": "/article/a4c81d07e3f2",
        "hex_note": "made-up hex id",
        "jsonld": {"author": "org", "image": "string", "keywords": "list", "graph": True},
        "og": {"suffix": " - TRT World", "section": False, "url": True},
        "flight": "full", "self_canonical": True,
        "tags": (["Syria", "Manbij", "PKK/YPG"], ["jsonld", "flight"]),
        "cms_sources": ["TRT World", "AA"], "label": "MIDDLE EAST", "read_time": "3 MIN READ",
        "date_tag": "time-dt", "figure": "plain",
        "explore": ["army-failure", "prisoner-torture", "uighurs", "pakistan-blast",
                    "snipers-live", "settlers", "unrwa", "hamas-prisoners"],
    },
    {
        "key": "glacier-burst", "story": 18269728, "gen": 3, "path": "/article/18269728",
        "og": {"suffix": " - TRT World", "section": True, "url": True,
               "published": "2025-02-28T12:29:02+03:00"},
        "flight": "full", "self_canonical": True,
        "modified": ("2025-02-28T13:05:00+03:00", ["og"]),
        "tags": (["India", "Uttarakhand", "Himalayas"], ["og"]),
        "cms_sources": ["AFP"], "label": "Asia", "read_time": "1 MIN READ",
        "date_tag": "time", "source_line": "SOURCE:AFP", "figure": "plain",
        "explore": ["pakistan-blast", "india-eu", "video", "abs:uighurs", "rt:pakistan-blast",
                    "malaysia-floods", "yoon-impeachment"],
    },
    {
        "key": "uighurs", "story": 18269705, "gen": 3, "path": "/article/c2d9e4b17a60",
        "hex_note": "made-up hex id", "flight": "full",
        "tags": (["Uighurs", "Thailand", "China"], ["flight"]),
        "cms_sources": ["AFP"], "label": "DISCRIMINATION", "read_time": "3 min read",
        "date_tag": "div", "source_line": "SOURCE:AFP", "figure": "plain",
        "promos": [("recommended", "india-eu")],
        "explore": ["pakistan-blast", "glacier-burst", "biden-icc", "india-eu", "manbij-health",
                    "prisoner-torture", "yoon-impeachment", "german-economy", "sleepy-joe"],
    },
    {
        # TRT Global edition copy: same story, second hex id, NO canonical link.
        "key": "uighurs-global", "copy_of": "uighurs", "path": "/article/f71b3a92d0c8",
        "hex_note": "made-up hex id of a TRT Global edition copy",
    },
    {
        "key": "egypt-live", "story": 18269575, "gen": 3, "path": "/article/0b6e58d2c4a9",
        "hex_note": "made-up hex id",
        "jsonld": {"author": "persons", "image": "object", "type": "LiveBlogPosting"},
        "flight": "full", "cms_sources": ["AA"], "label": "MIDDLE EAST", "read_time": None,
        "byline": "By Noureldein Ghanem", "byline_link": True, "date_tag": "time",
        "figure": "plain",
        "explore": ["army-failure", "prisoner-torture", "manbij-health", "detainees", "unrwa",
                    "scientists", "snipers-live"],
        "explore_bylines": True,
    },
    {
        "key": "biden-icc", "story": 18269691, "gen": 3, "path": "/article/9d3f71a0be25",
        "hex_note": "made-up hex id",
        "jsonld": {"author": "org", "image": "object", "keywords": "string", "body": True},
        "flight": "full", "self_canonical": True,
        "tags": (["ICC", "Biden", "Israel"], ["jsonld", "flight"]),
        "cms_sources": ["TRT World"], "label": "MAGAZINE", "read_time": "4 MIN READ",
        "date_tag": "time-dt", "figure": "plain",
        "explore": ["prisoner-torture", "army-failure", "sleepy-joe", "detainees",
                    "india-heritage", "uighurs"],
    },
    {
        "key": "india-eu", "story": 18269673, "gen": 3, "path": "/article/18269673",
        "og": {"suffix": " | TRT World", "section": True, "url": True},
        "flight": "full", "self_canonical": True, "cms_sources": ["Reuters"],
        "label": "BUSINESS", "read_time": "2 MIN READ", "date_tag": "time-dt",
        "source_line": "SOURCE:Reuters", "figure": "plain",
        "explore": ["pakistan-blast", "glacier-burst", "german-economy", "angola-railway",
                    "africa-forum", "india-heritage", "uighurs", "biden-icc", "manbij-health",
                    "army-failure"],
    },
    {
        "key": "us-russia", "story": 18269665, "gen": 3, "path": "/article/18269665",
        "flight": "full", "self_canonical": True,
        "modified": ("2025-02-28T09:02:13.840Z", ["flight"]),
        "cms_sources": ["AA"], "label": "EUROPE", "read_time": "4 min read",
        "date_tag": "div", "source_line": "SOURCE:AA", "figure": "plain",
        "explore": ["pakistan-blast", "india-eu", "german-economy", "biden-icc",
                    "turkiye-elections"],
    },
    {
        # A copy that names the original in <link rel="canonical">: exported once, as the original.
        "key": "us-russia-global", "copy_of": "us-russia", "path": "/article/6c2f8e1a9d35",
        "hex_note": "made-up hex id of a TRT Global edition copy",
        "canonical": PROD + "/article/18269665",
    },
    {
        "key": "prisoner-torture", "story": 18269608, "gen": 3, "path": "/article/e85a2c3f4b71",
        "hex_note": "made-up hex id",
        "jsonld": {"author": "person", "image": "object"},
        "og": {"suffix": " - TRT World", "section": True, "url": False},
        "flight": "full", "cms_sources": ["AA"], "label": "DISCRIMINATION",
        "read_time": "5 MIN READ", "byline": "By Ali Topchi", "byline_link": True,
        "date_tag": "time", "source_line": "SOURCE:AA", "figure": "plain",
        "promos": [("recommended-p", "army-failure"), ("global", "detainees")],
        "explore": ["army-failure", "detainees", "unrwa", "hamas-prisoners", "settlers",
                    "hospital-raid", "manbij-health"],
        "explore_bylines": True,
    },
    {
        "key": "vietnam", "story": 18269609, "gen": 3, "path": "/article/3a7be0c9d512",
        "hex_note": "made-up hex id", "jsonld": {"author": None, "image": "object"},
        "flight": "full", "cms_sources": ["Reuters"],
        "label": "ASIA", "read_time": "3 MIN READ", "date_tag": "time",
        "source_line": "SOURCE:Reuters", "figure": "plain",
        "explore": ["liberte", "pakistan-blast", "india-eu", "uighurs", "glacier-burst",
                    "biden-icc"],
    },
    {
        # Its gen-2 path answers 301 -> /article/18269601 (see REDIRECTS).
        "key": "army-failure", "story": 18269601, "gen": 3, "path": "/article/18269601",
        "jsonld": {"author": "person", "image": "string",
                   "published": "2025-02-28T04:19:43.276+03:00"},
        "flight": "full", "self_canonical": True, "cms_sources": ["TRT World", "AA"],
        "label": "MIDDLE EAST", "read_time": "6 MIN READ", "byline": "By Noureldein Ghanem",
        "date_tag": "time", "figure": "plain", "flight_extra_push": True,
        "explore": ["prisoner-torture", "hamas-prisoners", "manbij-health", "pakistan-blast",
                    "detainees", "scientists", "snipers-live", "settlers"],
    },
    {
        "key": "october7-live", "story": 18269240, "gen": 3, "path": "/article/18269240",
        "flight": "confirmed", "label": "Middle East", "read_time": "2 MIN READ",
        "byline": "By Noureldein Ghanem and Staff Reporter", "byline_link": True,
        "date_tag": "time", "figure": "plain",
        "explore": ["army-failure", "prisoner-torture", "hamas-prisoners", "detainees", "unrwa",
                    "manbij-health"],
    },
    {
        # Headline, standfirst and date, but no body paragraphs: must be rejected (body).
        "key": "drc", "story": 18269604, "gen": 3, "path": "/article/d4e1f6a83b07",
        "hex_note": "made-up hex id", "flight": "full", "empty_body": True,
        "cms_sources": ["AFP"], "label": "AFRICA", "read_time": "1 MIN READ",
        "date_tag": "time", "figure": "plain",
        "explore": ["pakistan-blast", "africa-forum", "angola-railway", "glacier-burst",
                    "manbij-health"],
        "rejected": {"reason": "invalid", "missing": ["body"]},
    },
    {
        # TRT Global edition copy of the gen-2 story 17811425 (real body blocks in flight data,
        # sub-heading as <h2>), canonical = the gen-2 original.
        "key": "detainees-global", "copy_of": "detainees", "gen": 3,
        "path": "/article/8e4b2d6f1a93", "hex_note": "made-up hex id of a TRT Global copy",
        "canonical": PROD + "/middle-east/palestinian-detainees-in-israeli-jails-increased-130-after-october-7-17811425",
        "jsonld": {"author": "person", "image": "object"}, "og": None, "nuxt": None,
        "flight": "full", "date_tag": "time", "promos_from_cms": True,
    },
    # ------------------------------------------------------------------ generation 2
    {
        "key": "detainees", "story": "cms", "gen": 2,
        "path": "/middle-east/palestinian-detainees-in-israeli-jails-increased-130-after-october-7-17811425",
        "jsonld": {"author": "person", "image": "object"},
        "og": {"suffix": " - TRT World", "section": True, "url": True},
        "nuxt": "iife", "self_canonical": True, "label": "MIDDLE EAST",
        "read_time": "3 MIN READ", "date_tag": "time-dt", "figure": "caption",
        "promos_from_cms": True,
        # the record's real `related` list (cms-api-sample-2024-12-04.json)
        "explore": ["scientists", "snipers-live", "settlers", "hospital-raid", "afad-flour"],
        "explore_bylines": True,
    },
    {
        "key": "unrwa", "story": 17248187, "gen": 2,
        "jsonld": {"author": "person", "image": "object", "broken": True},
        "nuxt": "iife", "self_canonical": True, "cms_sources": ["AA"], "label": "MIDDLE EAST",
        "read_time": "2 MIN READ", "date_tag": "time", "source_line": "SOURCE:AA",
        "figure": "plain",
        "explore": ["detainees", "prisoner-torture", "settlers", "hospital-raid", "scientists",
                    "snipers-live"],
    },
    {
        "key": "scientists", "story": 18239939, "gen": 2,
        "og": {"suffix": " - TRT World", "section": True, "url": True},
        "nuxt": "json", "self_canonical": True, "cms_sources": ["AA"], "label": "MIDDLE EAST",
        "read_time": "2 Min Read", "byline": "By Staff Reporter", "date_tag": "time-dt",
        "figure": "plain",
        "explore": ["detainees", "snipers-live", "settlers", "hospital-raid", "afad-flour",
                    "unrwa", "sleepy-joe", "india-heritage"],
    },
    {
        "key": "snipers-live", "story": 18239608, "gen": 2,
        "jsonld": {"author": "persons", "image": "object", "type": "LiveBlogPosting"},
        "nuxt": "iife", "self_canonical": True, "cms_sources": ["TRT World", "AA"],
        "label": "MIDDLE EAST", "read_time": None,
        "byline": "By Noureldein Ghanem, Rabiul Islam", "date_tag": "time", "figure": "plain",
        "explore": ["scientists", "settlers", "hospital-raid", "afad-flour", "detainees",
                    "unrwa"],
        "explore_bylines": True,
    },
    {
        "key": "settlers", "story": 18239725, "gen": 2, "nuxt": "iife", "self_canonical": True,
        "cms_sources": ["AA"], "label": "MIDDLE EAST", "read_time": "2 MIN READ",
        "byline": "By Rabiul Islam & AA", "date_tag": "div", "figure": "plain",
        "explore": ["hospital-raid", "afad-flour", "snipers-live", "scientists", "detainees",
                    "prisoner-torture", "unrwa"],
    },
    {
        "key": "hospital-raid", "story": 18239708, "gen": 2,
        "jsonld": {"author": "person", "image": "object"},
        "og": {"suffix": " - TRT World", "section": True, "url": True},
        "nuxt": "iife", "self_canonical": True, "cms_sources": ["AA"], "label": "MIDDLE EAST",
        "read_time": "3 MIN READ", "byline": "By Karya Naz Balkiz", "byline_link": True,
        "date_tag": "time", "source_line": "SOURCE:AA", "figure": "plain",
        "explore": ["settlers", "afad-flour", "turkiye-elections", "africa-forum",
                    "snipers-live", "scientists"],
    },
    {
        "key": "afad-flour", "story": 18239670, "gen": 2, "nuxt": "iife", "self_canonical": True,
        "cms_sources": ["AA"], "label": "MIDDLE EAST", "read_time": "2 min read",
        "date_tag": "time", "figure": "plain",
        "explore": ["hospital-raid", "settlers", "turkiye-elections", "africa-forum",
                    "scientists", "detainees", "snipers-live", "unrwa", "india-heritage",
                    "sleepy-joe", "yoon-impeachment", "angola-railway", "german-economy",
                    "malaysia-floods", "motherland"],
        "explore_bylines": True,
    },
    {
        "key": "sleepy-joe", "story": 18239909, "gen": 2,
        "og": {"suffix": " - TRT World", "section": True, "url": True},
        "nuxt": "json", "self_canonical": True, "cms_sources": ["TRT World"],
        "label": "MAGAZINE", "read_time": "5 MIN READ", "date_tag": "time-dt",
        "figure": "plain", "dom_entities": True,
        "explore": ["india-heritage", "yoon-impeachment", "angola-railway", "german-economy",
                    "scientists", "biden-icc"],
    },
    {
        "key": "india-heritage", "story": 18239886, "gen": 2,
        "jsonld": {"author": "org", "image": "string", "keywords": "string"},
        "nuxt": "iife", "self_canonical": True,
        "tags": (["India", "cultural heritage", "pluralism"], ["jsonld", "nuxt"]),
        "cms_sources": ["TRT World"], "label": "OPINION", "read_time": "6 MIN READ",
        "date_tag": "time", "figure": "plain",
        "explore": ["sleepy-joe", "german-economy", "motherland", "yoon-impeachment",
                    "malaysia-floods"],
    },
    {
        "key": "yoon-impeachment", "story": 18239893, "gen": 2, "nuxt": "iife",
        "self_canonical": True, "cms_sources": ["AFP"], "label": "ASIA",
        "read_time": "3 MIN READ", "date_tag": "time", "source_line": "SOURCE:AFP",
        "figure": "plain",
        # start of the Explore-only chain: vietnam -> liberte -> peru -> buddha -> ramaphosa -> nepal
        "explore": ["vietnam", "malaysia-floods", "india-heritage", "sleepy-joe",
                    "angola-railway", "german-economy", "scientists"],
    },
    {
        "key": "liberte", "story": 18239870, "gen": 2, "jsonld": {"author": "org", "image": "string"},
        "nuxt": "iife", "self_canonical": True,
        "cms_sources": ["TRT World"], "label": "MAGAZINE", "read_time": "7 MIN READ",
        "date_tag": "time", "figure": "plain",
        "explore": ["peru-president", "sleepy-joe", "german-economy", "india-heritage",
                    "scientists"],
    },
    {
        "key": "buddha-relic", "story": 18239884, "gen": 2,
        "jsonld": {"author": "org", "image": "object"},
        "nuxt": "iife", "self_canonical": True, "cms_sources": ["TRT World", "AA"],
        "label": "ARTS & CULTURE", "read_time": "2 MIN READ", "date_tag": "time",
        "figure": "plain",
        "explore": ["ramaphosa-icc", "yoon-impeachment", "malaysia-floods", "india-heritage",
                    "german-economy"],
    },
    {
        "key": "turkiye-elections", "story": 13155179, "gen": 2,
        "jsonld": {"author": "given_family", "image": "object"},
        "og": {"suffix": " - TRT World", "section": True, "url": True},
        "nuxt": "iife", "self_canonical": True,
        "modified": ("2023-05-08T09:40:27.514Z", ["jsonld", "og"]),
        "cms_sources": ["AA"], "label": "TÜRKİYE", "read_time": "3 MIN READ",
        "byline": "By Sara SLEIMAN", "byline_link": True, "date_tag": "time",
        "source_line": "SOURCE:AA", "figure": "plain",
        "explore": ["africa-forum", "afad-flour", "hospital-raid", "pakistan-blast",
                    "german-economy", "angola-railway"],
    },
    # ------------------------------------------------------------------ generation 1
    {
        "key": "motherland", "story": 12709123, "gen": 1, "path": "/opinion/return-to-the-motherland-8763",
        "jsonld": {"author": "person", "image": "string"}, "self_canonical": True,
        "modified": ("2017-07-05T08:12:00+03:00", ["jsonld"]),
        "label": "OPINION", "read_time": None, "ul_authors": True, "date_tag": "div",
        "figure": "plain",
        "explore": ["detainees", "unrwa", "india-heritage", "german-economy", "hamas-prisoners"],
    },
    {
        "key": "ramaphosa-icc", "story": 12977396, "gen": 1,
        "path": "/africa/south-africas-ramaposa-rows-back-from-pledge-to-quit-icc-55310",
        "label": "AFRICA", "read_time": "3 MIN READ", "ul_authors": True, "date_tag": "div",
        "source_line": "SOURCE: Reuters", "figure": "plain",
        "explore": ["nepal-bri", "angola-railway", "africa-forum", "biden-icc", "german-economy",
                    "turkiye-elections"],
    },
    {
        "key": "nepal-bri", "story": 18239841, "gen": 1,
        "path": "/asia/nepal-china-sign-framework-agreement-on-belt-and-road-plan-61942",
        "label": "ASIA", "read_time": None, "date_tag": "time",
        "source_line": "SOURCE: TRT World and Agencies", "figure": "plain",
        "explore": ["yoon-impeachment", "malaysia-floods", "india-eu", "pakistan-blast",
                    "german-economy"],
    },
    {
        "key": "german-economy", "story": 18239815, "gen": 1,
        "path": "/opinion/why-is-the-once-mighty-german-economy-struggling-in-a-changing-world-61938",
        "label": "OPINION", "read_time": "6 min read", "date_tag": "div", "figure": "plain",
        "explore": ["india-eu", "angola-railway", "india-heritage", "sleepy-joe",
                    "yoon-impeachment", "malaysia-floods"],
    },
    {
        "key": "peru-president", "story": 18239800, "gen": 1,
        "path": "/magazine/did-perus-embattled-president-skip-duties-for-a-nose-job-61935",
        "label": "MAGAZINE", "read_time": "5 MIN READ", "date_tag": "div",
        "source_line": "SOURCE: TRT World", "figure": "plain",
        "explore": ["buddha-relic", "sleepy-joe", "german-economy", "india-heritage",
                    "yoon-impeachment"],
    },
    {
        # Badly malformed HTML (unclosed tags, stray </div>s, unquoted attributes).
        "key": "malaysia-floods", "story": 18239772, "gen": 1,
        "path": "/asia/concerns-rise-over-waterborne-illnesses-in-malaysias-flood-affected-areas-61927",
        "label": "ASIA", "read_time": "3 MIN READ", "date_tag": "div",
        "source_line": "SOURCE: AFP", "figure": "plain", "malformed": True,
        "explore": ["yoon-impeachment", "pakistan-blast", "glacier-burst", "india-heritage",
                    "german-economy"],
    },
    {
        "key": "hamas-prisoners", "story": 18269461, "gen": 1,
        "path": "/middle-east/israeli-attempts-to-obstruct-release-of-our-prisoners-have-failed-hamas-62493",
        "label": "MIDDLE EAST", "read_time": None, "ul_authors": True, "date_tag": "time",
        "source_line": "SOURCE: AA", "figure": None,
        "explore": ["army-failure", "prisoner-torture", "detainees", "unrwa", "settlers",
                    "manbij-health"],
    },
    {
        "key": "angola-railway", "story": 18239911, "gen": 1,
        "path": "/africa/us-eyes-railway-project-in-angola-to-tap-african-minerals-counter-china-61941",
        "label": "AFRICA", "read_time": "4 MIN READ", "date_tag": "div",
        "source_line": "SOURCE: AP", "figure": "plain",
        "explore": ["india-eu", "german-economy", "africa-forum", "sleepy-joe", "biden-icc",
                    "scientists"],
    },
]

# Legacy and gen-2 URLs that now redirect (both forms are linked from the pages).
REDIRECTS = {
    "/mea/iraqi-forces-open-new-front-in-final-push-against-daesh-12345": "/article/13099992",
    "/middle-east/israeli-army-admits-colossal-failure-in-october-7-probe-18269601": "/article/18269601",
}

# Article links that must be rejected without an article page behind them.
NOT_HTML_PATH = "/article/7f3c9a1e2b84"  # answers 200 application/json (a CMS card record)
HUGE_PATH = "/article/b19e4d7c6a02"  # 12,000,000 bytes of HTML, over the 10 MB cap
HTTP_404_PATH = "/article/18261234"
HTTP_500_PATH = "/article/2e8d5b0f7c13"
HUGE_BYTES = 12_000_000


def seed_explore_path(headline: str) -> str:
    """The seed's real Explore links point to stories this copy does not have: made-up hex
    ids (sha1 of the headline) that answer 404."""
    return "/article/" + hashlib.sha1(headline.encode("utf-8")).hexdigest()[:12]


# Homepage links, in every URL variant the crawler must canonicalise ("abs:" absolute
# https://www.trtworld.com, "bare:" https://trtworld.com, "443:" https://www.trtworld.com:443,
# "http:" http://www.trtworld.com, "rt:" ?_rt=1, "utm:" ?utm_source=x&fbclid=y,
# "frag:" #comments; a bare key is a relative link; a string starting with "/" is a raw path).
HOME = [
    "abs:pakistan-blast", "rt:pakistan-blast", "bare:glacier-burst", "443:manbij-health",
    "http:india-eu", "iraq-daesh", "utm:biden-icc", "frag:prisoner-torture", "uighurs",
    "us-russia-global", "/middle-east/israeli-army-admits-colossal-failure-in-october-7-probe-18269601",
    "detainees", "scientists", "yoon-impeachment", "sleepy-joe", "drc",
    HTTP_404_PATH, HTTP_500_PATH,
]

# Section listing pages.  The real gen-3 section paths are unknown (SITE.md): these paths are
# the gen-2 topic slugs, chosen for the copy.  Each entry: story keys or raw link paths.
SECTIONS = {
    "/middle-east": {
        "label": "MIDDLE EAST",
        "links": ["unrwa", "snipers-live", "settlers", "hospital-raid", "afad-flour",
                  "detainees", "detainees-global", "rt:prisoner-torture", NOT_HTML_PATH,
                  HUGE_PATH, "drc"],
        "next": "/middle-east?page=2",
    },
    "/middle-east?page=2": {
        "label": "MIDDLE EAST",
        "links": ["hamas-prisoners", "angola-railway",
                  "/mea/iraqi-forces-open-new-front-in-final-push-against-daesh-12345"],
        "next": None,
    },
    "/turkiye": {
        "label": "TÜRKİYE",
        "links": ["africa-forum", "turkiye-elections", "afad-flour", "hospital-raid"],
        "next": None,
    },
    "/asia": {
        "label": "ASIA",
        "links": ["pakistan-blast", "glacier-burst", "uighurs-global", "yoon-impeachment",
                  "malaysia-floods"],
        "next": None,
    },
    "/opinion": {
        "label": "OPINION",
        "links": ["india-heritage", "german-economy", "motherland", "sleepy-joe"],
        "next": None,
    },
}

# RSS items (10): mostly relative links as on the real feed, a few absolute with utm_*.
FEED = [
    ("pakistan-blast", "relative"), ("africa-forum", "relative"),
    ("glacier-burst", "absolute-utm"), ("manbij-health", "relative"),
    ("egypt-live", "relative"), ("biden-icc", "absolute-utm"), ("india-eu", "relative"),
    ("army-failure", "relative"), ("prisoner-torture", "relative"),
    ("uighurs-global", "relative"),
]

# Sitemaps: an index pointing to two urlsets (absolute production URLs).
SITEMAPS = {
    "/sitemaps/articles-2025-02.xml": ["pakistan-blast", "africa-forum", "manbij-health",
                                       "glacier-burst", "us-russia", "october7-live",
                                       "army-failure"],
    "/sitemaps/articles-2024-12.xml": ["detainees", "scientists", "snipers-live",
                                       "hospital-raid", "turkiye-elections", "india-heritage"],
}

# Non-article pages linked from the pages: the crawler must never request them.
VIDEO_LINKS = [
    "/video/9c1e7b3a5f20",
    "/video/tv/shows/64f1c2a9b7e3d5f0a1b2c3d4/play/18269350",
    "/video/newsmakers/the-newsmakers-18268801",
]
NAV_OTHER = {"/live-stream": "LIVE", "/about": "About us", "/search?q=gaza": "gaza",
             "/author/staff-reporter": "Staff Reporter"}
OFFSITE = [
    "https://trt.global/world/article/13099992",
    "https://researchcentre.trtworld.com/publications",
    "https://twitter.com/trtworld",
    "https://www.youtube.com/user/trtworld",
]


# =====================================================================================
# 3. STORIES: the real data behind each page
# =====================================================================================

CARD_BY_ID = {card["id"]: card for card in CARDS}
PAGE_BY_KEY = {page["key"]: page for page in PAGES}

TOPIC_SLUGS = {
    "Home Page": "home-page", "Middle East": "middle-east", "Turkiye": "turkiye", "Asia": "asia",
    "Africa": "africa", "Europe": "europe", "Opinion": "opinion", "Magazine": "magazine",
    "Business": "business", "Discrimination": "discrimination",
    "Arts & Culture": "arts-and-culture", "US & Canada": "us-and-canada",
}
CMS_SOURCE_KEYS = {"AA": "aa", "AFP": "afp", "Reuters": "reuters", "AP": "ap",
                   "TRT World": "trtworld"}
# Organisation names and the full names they stand for (the crawler's sources table).
SOURCE_NAMES = {
    "AA": ["Anadolu Agency"], "Anadolu": ["Anadolu Agency"], "Anadolu Agency": ["Anadolu Agency"],
    "AFP": ["Agence France-Presse"], "Reuters": ["Reuters"], "AP": ["Associated Press"],
    "TRT World": ["TRT World"], "TRT World and Agencies": ["TRT World", "Agencies"],
    "Agencies": ["Agencies"],
}
PUBLISHER = {
    "@type": "Organization",
    "name": "TRT World",
    "url": PROD,
    # metadata.pageImage of cms-api-sample-2025-02-28.json
    "logo": {"@type": "ImageObject", "url": "https://cdn-i.pr.trt.com.tr/trtworld/16275646.png"},
}
SITE_TITLE = "TRT World - Breaking News, Live Coverage, Opinions and Videos"  # real metadata
SITE_DESCRIPTION = ("Breaking news, live coverage, opinions, features, in-depth analysis and "
                    "videos from TRT World, 24/7.")  # real metadata.pageDescription
SEED_IMAGE = "https://cdni0.trtworld.com/w768/q70/13099992_0-0-768-432.jpg"  # made-up file name


def resolved(page: dict) -> dict:
    """A page dict with the plan of the page it copies filled in."""
    if "copy_of" not in page:
        out = dict(page)
    else:
        out = dict(PAGE_BY_KEY[page["copy_of"]])
        out.pop("self_canonical", None)
        out.pop("rejected", None)
        out.update(page)
    if "path" not in out:
        out["path"] = CARD_BY_ID[out["story"]]["path"]
    return out


ALL = [resolved(page) for page in PAGES]
BY_KEY = {page["key"]: page for page in ALL}


def text_block(text: str) -> dict:
    return {"blockType": "text", "metadata": {}, "value": f"<p>{html.escape(text, quote=False)}</p>"}


def story(page: dict) -> dict:
    """Real data of the page's story, in one shape for the seed, the CMS record and cards."""
    ref = page["story"]
    if ref == "seed":
        return {
            "id": SEED["id"], "title": SEED["title"], "description": SEED["description"],
            "published": page["published"], "authors": [("Staff", "Reporter", "/author/staff-reporter")],
            "image_url": SEED_IMAGE, "caption": SEED["caption"], "categories": [],
            "blocks": [text_block(p) for p in SEED["body"]], "related_story": None,
            "cms_tags": None, "cms_sources": None, "material": (
                "the stored visible text of www.trtworld.com/article/13099992 "
                "(seeds/trtworld-article-13099992.txt)"),
        }
    if ref == "cms":
        rec = CMS_CONTENT_17811425
        fields = rec["fields"]
        return {
            "id": rec["id"], "title": rec["title"], "description": rec["description"],
            "published": rec["published"]["date"],
            "authors": [(a["firstName"]["text"], a["lastName"]["text"], a["path"])
                        for a in fields["authors"]],
            "image_url": fields["mainImage"]["url"], "caption": fields["mainImage"]["title"],
            "categories": [(t["contentId"], t["title"]) for t in fields["topics"]],
            "blocks": rec["body"], "related_story": fields["relatedStory"],
            "cms_tags": [t["value"] for t in fields["tags"]],
            "cms_sources": [s["value"] for s in fields["sources"]],
            "material": ("the CMS content record 17811425 (trtworld-samples/"
                         "cms-api-sample-2024-12-04.json, key `content`; the same record is in "
                         "cms-api-sample-2025-02-28.json)"),
        }
    card = CARD_BY_ID[ref]
    return {
        "id": card["id"], "title": card["title"], "description": card["description"],
        "published": card["publishedDate"],
        "authors": [(a["firstName"], a["lastName"], a["path"]) for a in card["authors"]],
        "image_url": card["mainImageUrl"], "caption": None, "categories": card["categories"],
        "blocks": [] if page.get("empty_body") else [text_block(card["description"])],
        "related_story": None, "cms_tags": None, "cms_sources": None,
        "material": (f"the CMS card record {card['id']} (trtworld-samples/cms-api-sample-"
                     f"{card['from']}.json, list `{card['record']}`); the body is its real "
                     "description, as no more real text exists"),
    }


def first_topic(categories) -> str | None:
    """The section of a CMS record: its first topic that is not `Home Page`."""
    for _, title in categories:
        if title != "Home Page":
            return title
    return None


def person_name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


def path_of(key: str) -> str:
    return BY_KEY[key]["path"]


def article_id_of(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if path.startswith("/article/"):
        return last
    return re.search(r"-(\d+)$", last).group(1)


def canonical_path(page: dict) -> str:
    """Where the item of this page must be exported (its canonical link, else its path)."""
    if page.get("canonical"):
        return re.sub(r"^https?://(www\.)?trtworld\.com(:\d+)?", "", page["canonical"])
    return page["path"]


def link_href(spec: str) -> str:
    """The href written for a link spec ("abs:key", "rt:key", raw "/path" ...)."""
    if spec.startswith("/"):
        return spec
    kind, _, key = spec.rpartition(":")
    path = path_of(key)
    return {
        "": path,
        "abs": PROD + path,
        "bare": "https://trtworld.com" + path,
        "443": "https://www.trtworld.com:443" + path,
        "http": "http://www.trtworld.com" + path,
        "rt": path + "?_rt=1",
        "utm": path + "?utm_source=x&fbclid=y",
        "frag": path + "#comments",
    }[kind]


def link_key(spec: str) -> str | None:
    return None if spec.startswith("/") else spec.rpartition(":")[2]


# =====================================================================================
# 4. LAYERS: the values each extraction layer of a page carries
# =====================================================================================

def layers(page: dict) -> dict:
    """Raw values per layer (jsonld, og, flight, nuxt, dom); pages are rendered from these and
    the expected items are computed from them, so both always agree."""
    s = story(page)
    pub = s["published"]
    mod_raw, mod_in = page.get("modified") or (None, [])
    tags, tags_in = page.get("tags") or ([], [])
    section = first_topic(s["categories"])
    people = [person_name(f, l) for f, l, _ in s["authors"]]
    cms_tags = s["cms_tags"] if s["cms_tags"] is not None else tags
    cms_sources = s["cms_sources"] if s["cms_sources"] is not None else page.get("cms_sources", [])
    out: dict[str, dict] = {}

    plan = page.get("jsonld")
    if plan:
        shape = plan["author"]
        values = {
            "headline": s["title"], "description": s["description"], "section": section,
            "published": plan.get("published", pub),
            "modified": mod_raw if "jsonld" in mod_in else None,
            "authors": [] if shape in ("org", None) else people[:1] if shape == "person" else people,
            "org_authors": ["TRT World"] if shape == "org" else [],
            "image_url": s["image_url"],
            "caption": s["caption"] if plan["image"] == "object" else None,
            "tags": tags if "jsonld" in tags_in else [],
            "body": "\n\n".join(body_texts(s["blocks"])) if plan.get("body") else None,
        }
        if not plan.get("broken"):
            out["jsonld"] = values
        out["_jsonld_render"] = values

    plan = page.get("og")
    if plan:
        out["og"] = {
            "headline": s["title"] + plan["suffix"], "description": s["description"],
            "section": section if plan.get("section") else None,
            "published": plan.get("published", pub),
            "modified": mod_raw if "og" in mod_in else None,
            "image_url": s["image_url"], "tags": tags if "og" in tags_in else [],
        }

    kind = page.get("flight")
    if kind:
        flight = {
            "headline": s["title"], "description": s["description"], "published": pub,
            "image_url": s["image_url"], "caption": s["caption"] or "",
        }
        if kind == "full":
            flight.update({
                "section": section, "authors": people, "sources": cms_sources,
                "tags": cms_tags if ("flight" in tags_in or s["cms_tags"]) else [],
                "body": body_texts(s["blocks"]),
                "modified": mod_raw if "flight" in mod_in else None,
            })
        out["flight"] = flight

    if page.get("nuxt"):
        out["nuxt"] = {
            "headline": s["title"], "description": s["description"], "published": pub,
            "image_url": s["image_url"], "caption": s["caption"] or "", "section": section,
            "authors": people, "sources": cms_sources,
            "tags": cms_tags if ("nuxt" in tags_in or s["cms_tags"]) else [],
            "body": body_texts(s["blocks"]),
        }

    figure = page.get("figure")
    out["dom"] = {
        "headline": s["title"], "description": s["description"], "label": page["label"],
        "read_time": page.get("read_time"),
        "image_url": s["image_url"] if figure else None,
        "caption": s["caption"] if figure == "caption" else None,
        "byline": page.get("byline"),
        "ul_authors": people if page.get("ul_authors") else [],
        "date_display": display_date(pub),
        "body": body_texts(s["blocks"]),
        "source_line": page.get("source_line"),
        "explore": explore_entries(page),
    }
    return out


def body_texts(blocks) -> list[str]:
    """The article text of CMS body blocks: text blocks only (no embeds, no content cards)."""
    texts = []
    for block in blocks:
        if block.get("blockType") == "text":
            text = clean(block["value"])
            if text:
                texts.append(text)
    return texts


def explore_entries(page: dict) -> list[dict]:
    """The Explore cards of a page: href, headline, byline (or None), image; in page order."""
    if page["explore"] == "seed":
        return [{"href": seed_explore_path(h), "headline": h, "byline": None, "image": None,
                 "target": None} for h in SEED["explore"]]
    entries = []
    for spec in page["explore"]:
        if spec == "video":
            entries.append({"href": VIDEO_LINKS[0], "headline": None, "byline": None,
                            "image": None, "target": None})
            continue
        key = link_key(spec)
        target = story(BY_KEY[key])
        names = [person_name(f, l) for f, l, _ in target["authors"]]
        byline = ("By " + ", ".join(names)) if (names and page.get("explore_bylines")) else None
        entries.append({"href": link_href(spec), "headline": target["title"], "byline": byline,
                        "image": target["image_url"], "target": key})
    return entries


# =====================================================================================
# 5. NORMALISATION (the contract's rules, applied to the values above)
# =====================================================================================

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def clean(fragment: str | None) -> str:
    """Tags removed, entities decoded, NBSP -> space, whitespace collapsed, trimmed."""
    if fragment is None:
        return ""
    text = re.sub(r"<[^>]+>", "", fragment)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def display_date(iso: str) -> str:
    day = datetime.strptime(iso[:10], "%Y-%m-%d")
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def norm_date(raw: str | None) -> str | None:
    if not raw:
        return None
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})", raw)
    if m:
        day, time, frac, tz = m.groups()
        zero_frac = frac is None or int(frac[1:]) == 0
        if tz == "Z" and time == "00:00:00" and zero_frac:
            return day  # a migrated date without a time
        return f"{day}T{time}{'' if zero_frac else frac}{'+00:00' if tz == 'Z' else tz}"
    m = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", raw)
    if m:
        return f"{m.group(3)}-{MONTHS.index(m.group(1)) + 1:02d}-{int(m.group(2)):02d}"
    raise ValueError(raw)


def lower_tr(text: str) -> str:
    return text.replace("İ", "i").lower()


def title_tr(text: str) -> str:
    """ALL-CAPS label -> title case, Turkish-aware (TÜRKİYE -> Türkiye)."""
    return " ".join(w[:1] + lower_tr(w[1:]) for w in text.split(" "))


def norm_person(name: str) -> str:
    return " ".join(title_tr(w) if len(w) > 1 and w.isupper() else w for w in name.split())


def split_byline(line: str) -> tuple[list[str], list[str]]:
    """A visible byline -> (people, organisations)."""
    text = re.sub(r"^By\s+", "", clean(line))
    people, orgs = [], []
    for part in re.split(r"\s*,\s*|\s+and\s+|\s*&\s*", text):
        if not part:
            continue
        (orgs if part in SOURCE_NAMES else people).append(part)
    return [norm_person(p) for p in people], orgs


def split_caption(raw: str | None) -> tuple[str | None, str | None]:
    if not raw:
        return None, None
    m = re.fullmatch(r"(.*?)\s*/\s*(?:Photo:\s*)?([^/]+?)\s*", clean(raw))
    if not m:
        return clean(raw), None
    return (m.group(1) or None), m.group(2)


def add_sources(out: list[str], name: str | None) -> None:
    for full in SOURCE_NAMES.get(name or "", []):
        if full not in out:
            out.append(full)


ORDER = ["jsonld", "og", "flight", "nuxt", "dom"]
# One name per section, whatever the layer's spelling (the contract's section vocabulary,
# restated here for the labels of this copy): the CMS's "Turkiye" is the DOM's "TÜRKİYE".
SECTION_NAMES = {"turkiye": "Türkiye", "türki̇ye": "Türkiye"}


def pick(lay: dict, field: str, order=ORDER):
    for name in order:
        value = lay.get(name, {}).get(field)
        if value not in (None, "", []):
            return name, value
    return None, None


def expected_item(page: dict) -> dict:
    """The complete item the crawler must export for this page (contract field order)."""
    lay = layers(page)
    dom = lay["dom"]
    path = canonical_path(page)

    _, headline = pick(lay, "headline")
    headline = re.sub(r"\s+[-|]\s+TRT World$", "", clean(headline))
    _, description = pick(lay, "description")
    src, section_raw = pick(lay, "section", ORDER[:-1])
    if src is None:
        section_raw = clean(dom["label"])
    section = SECTION_NAMES.get(section_raw.casefold(), section_raw)
    if section.upper() == section:
        section = title_tr(section)
    read_time = None
    if dom["read_time"]:
        read_time = int(re.match(r"(\d+)\s+min\s+read", dom["read_time"], re.I).group(1))
    src, published_raw = pick(lay, "published", ORDER[:-1])
    if src is None:
        published_raw = dom["date_display"]
    _, modified_raw = pick(lay, "modified")

    src, authors = pick(lay, "authors", ["jsonld", "flight", "nuxt"])
    byline_people, byline_orgs = split_byline(dom["byline"]) if dom["byline"] else ([], [])
    if src is None:
        authors = byline_people or dom["ul_authors"]
    authors = [norm_person(a) for a in authors or []]
    # The raw byline: the visible `By` line, else the winning structured author names
    # (an Organization author included: it explains the source it becomes).
    org_authors = lay.get("jsonld", {}).get("org_authors") or [] if src == "jsonld" or src is None else []
    byline_raw = clean(dom["byline"]) if dom["byline"] else (", ".join(authors or org_authors) or None)

    _, image_url = pick(lay, "image_url")
    _, caption_raw = pick(lay, "caption")
    caption, credit = split_caption(caption_raw)

    sources: list[str] = []
    for org in byline_orgs:
        add_sources(sources, org)
    if dom["source_line"]:
        add_sources(sources, re.sub(r"^SOURCE:\s*", "", dom["source_line"]))
    for name in (lay.get("flight") or lay.get("nuxt") or {}).get("sources", []):
        add_sources(sources, name)
    add_sources(sources, credit)

    src, body = pick(lay, "body", ["flight", "nuxt", "dom", "jsonld"])
    if isinstance(body, list):
        body = "\n\n".join(body)

    related, seen = [], set()
    for entry in dom["explore"]:
        if entry["href"].startswith("/video/"):
            continue
        url = SITE + re.sub(r"[?#].*$", "", re.sub(r"^https?://[^/]+", "", entry["href"]))
        if url not in seen:
            seen.add(url)
            related.append({"url": url, "headline": clean(entry["headline"])})

    _, tags = pick(lay, "tags", ["jsonld", "og", "flight", "nuxt"])
    if isinstance(tags, str):
        tags = tags.split(",")
    tags = [t.strip() for t in tags or [] if t.strip()]

    return {
        "url": SITE + path,
        "article_id": article_id_of(path),
        "headline": headline,
        "description": clean(description),
        "section": section,
        "section_raw": section_raw,
        "read_time_minutes": read_time,
        "date_published": norm_date(published_raw),
        "date_modified": norm_date(modified_raw),
        "date_published_raw": published_raw,
        "authors": authors,
        "byline_raw": byline_raw,
        "sources": sources,
        "image": {"url": image_url, "caption": caption, "credit": credit} if image_url else None,
        "body": body or None,
        "related": related,
        "tags": tags,
        "language": LANG,
    }


# =====================================================================================
# 6. RENDERING HELPERS (shared by the three generations)
# =====================================================================================

def e(text: str) -> str:
    return html.escape(text, quote=True)


def dom_text(page: dict, text: str) -> str:
    """Escaped visible text; some pages use numeric entities / NBSPs like real CMS output."""
    out = e(text)
    if page.get("dom_entities"):
        out = (out.replace("\u2018", "&#8216;").replace("\u2019", "&#8217;")
               .replace("\u2013", "&ndash;").replace("&quot;", "&#34;"))
    for phrase in page.get("dom_nbsp", []):
        out = out.replace(phrase, phrase.replace(" ", "&nbsp;"))
    return out


def resized(url: str) -> str:
    """Rendered <img> URLs carry resize parameters (SITE.md "Images"); old cdni0 URLs
    already have theirs as path segments (/w768/q70/)."""
    if re.search(r"/w\d+/q\d+/", url):
        return url
    return url + "?width=1440&format=webp&quality=80"


def reconstruction_comment(what: str, notes: list[str] | None = None) -> str:
    lines = ["<!-- RECONSTRUCTION, not a capture of the live site: built by tests/site_build.py",
             f"     {what}."]
    for note in notes or []:
        lines.append(f"     {note}")
    return "\n".join(lines) + " -->"


def page_notes(page: dict) -> list[str]:
    notes = [f"Generation {page['gen']} markup and data layers are reconstructed from SITE.md;"
             " CSS classes are decoration."]
    if page.get("hex_note"):
        notes.append(f"URL id {page['path'].rsplit('/', 1)[-1]}: {page['hex_note']}.")
    if page["gen"] == 3 and page["story"] != "seed" and re.fullmatch(r"/article/\d+", page["path"]):
        notes.append("Gen-2 story re-homed at /article/<its CMS id> (a migrated item).")
    if page["gen"] == 1 and page["story"] != "seed":
        notes.append("Re-homed as a gen-1 page: the legacy numeric id is made up.")
    notes.append("Invented structure only: section label, read time, SOURCE line, tags,"
                 " modified dates, promo placement.")
    return notes


def site_header() -> str:
    return """<header class="site-header">
  <a class="logo" href="/">TRT World</a>
  <nav aria-label="Sections">
    <a href="/middle-east">MIDDLE EAST</a>
    <a href="/turkiye">TÜRKİYE</a>
    <a href="/asia">ASIA</a>
    <a href="/opinion">OPINION</a>
    <a href="/live-stream">LIVE</a>
    <a href="/about">ABOUT</a>
  </nav>
</header>"""


def site_footer() -> str:
    return f"""<footer class="site-footer">
  <p>{e(SEED["footer"][0])}</p>
  <a href="/contact-us">{e(SEED["footer"][1])}</a>
  <a href="https://twitter.com/trtworld" rel="noopener">X</a>
  <a href="https://www.youtube.com/user/trtworld" rel="noopener">YouTube</a>
</footer>"""


def meta_block(page: dict, lay: dict, title: str, attrs: str = "") -> list[str]:
    """<head> content: title, description, canonical, og:/article: meta, JSON-LD."""
    s = story(page)
    out = [f"<meta{attrs} charset=\"utf-8\">",
           f"<meta{attrs} name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
           f"<title{attrs}>{e(title)}</title>",
           f"<meta{attrs} name=\"description\" content=\"{e(s['description'])}\">"]
    if page.get("canonical"):
        out.append(f"<link{attrs} rel=\"canonical\" href=\"{e(page['canonical'])}\">")
    elif page.get("self_canonical"):
        out.append(f"<link{attrs} rel=\"canonical\" href=\"{e(PROD + page['path'])}\">")
    og = lay.get("og")
    if og:
        plan = page["og"]
        props = [("og:site_name", "TRT World"), ("og:type", "article"),
                 ("og:title", og["headline"]), ("og:description", og["description"]),
                 ("og:image", og["image_url"])]
        if plan.get("url"):
            props.append(("og:url", PROD + canonical_path(page)))
        props.append(("article:published_time", og["published"]))
        if og["modified"]:
            props.append(("article:modified_time", og["modified"]))
        if og["section"]:
            props.append(("article:section", og["section"]))
        props += [("article:tag", tag) for tag in og["tags"]]
        out += [f"<meta{attrs} property=\"{k}\" content=\"{e(v)}\">" for k, v in props]
    if "_jsonld_render" in lay:
        out.append(jsonld_script(page, lay["_jsonld_render"], attrs))
    return out


def jsonld_script(page: dict, v: dict, attrs: str = "") -> str:
    plan = page["jsonld"]
    s = story(page)
    url = PROD + canonical_path(page)
    shape = plan["author"]
    people = [{"@type": "Person", "name": person_name(f, l), "url": PROD + p}
              for f, l, p in s["authors"]]
    if shape is None:
        author = None
    elif shape == "org":
        author = {"@type": "Organization", "name": "TRT World", "url": PROD}
    elif shape == "person":
        author = people[0]
    elif shape == "persons":
        author = people
    else:  # given_family
        f, l, p = s["authors"][0]
        author = {"@type": "Person", "givenName": f, "familyName": l, "url": PROD + p}
    if plan["image"] == "string":
        image = v["image_url"]
    else:
        image = {"@type": "ImageObject", "url": v["image_url"], "width": 1440, "height": 810}
        if v["caption"]:
            image["caption"] = v["caption"]
    article = {
        "@context": "https://schema.org",
        "@type": plan.get("type", "NewsArticle"),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": v["headline"],
        "description": v["description"],
        "image": image,
        "datePublished": v["published"],
    }
    if v["modified"]:
        article["dateModified"] = v["modified"]
    if author is not None:
        article["author"] = author
    article["publisher"] = PUBLISHER
    if v["section"]:
        article["articleSection"] = v["section"]
    if v["tags"]:
        article["keywords"] = v["tags"] if plan.get("keywords") == "list" else ", ".join(v["tags"])
    article["inLanguage"] = LANG
    if v["body"]:
        article["articleBody"] = v["body"]
    if plan.get("graph"):
        del article["@context"]
        data = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "@id": PROD + "/#website", "name": "TRT World", "url": PROD},
            {"@type": "WebPage", "@id": url, "url": url, "name": v["headline"],
             "isPartOf": {"@id": PROD + "/#website"}},
            {"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": PROD + "/"},
                {"@type": "ListItem", "position": 2, "name": v["section"]}]},
            article,
        ]}
    else:
        data = article
    text = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    if plan.get("broken"):
        # A truncated script, as left by a broken template (followed by a valid block of
        # another type): must not stop the other layers.
        text = text[: int(len(text) * 0.55)].rstrip()
        extra = json.dumps({"@context": "https://schema.org", "@type": "WebSite",
                            "name": "TRT World", "url": PROD}, indent=2)
        return (f"<script{attrs} type=\"application/ld+json\">\n{text}\n</script>\n"
                f"<script{attrs} type=\"application/ld+json\">\n{extra}\n</script>")
    return f"<script{attrs} type=\"application/ld+json\">\n{text}\n</script>"


def date_html(page: dict, lay: dict, cls: str = "date") -> str:
    shown = lay["dom"]["date_display"]
    kind = page.get("date_tag", "div")
    if kind == "time":
        return f"<time class=\"{cls}\">{shown}</time>"
    if kind == "time-dt":
        return f"<time class=\"{cls}\" datetime=\"{e(story(page)['published'])}\">{shown}</time>"
    return f"<div class=\"{cls}\">{shown}</div>"


def byline_html(page: dict) -> str | None:
    line = page.get("byline")
    if not line:
        return None
    if not page.get("byline_link"):
        return f"<div class=\"byline\">{e(line)}</div>"
    authors = {person_name(f, l): p for f, l, p in story(page)["authors"]}
    inner = e(line)
    for name, path in authors.items():
        inner = inner.replace(e(name), f"<a href=\"{path}\">{e(name)}</a>", 1)
    return f"<div class=\"byline\">{inner}</div>"


def promo_html(page: dict, kind: str, key: str, gen: int) -> str:
    target = story(BY_KEY[key])
    title = dom_text(page, target["title"])
    if kind == "global":
        href = f"https://trt.global/world/article/{target['id']}"
        return f"<p class=\"related-global\">Related TRT Global - <a href=\"{href}\">{title}</a></p>"
    href = path_of(key)
    if kind == "recommended-p":
        return (f"<div class=\"promo\">\n  <p>Recommended</p>\n"
                f"  <p><a href=\"{href}\">{title}</a></p>\n</div>")
    if gen == 2:
        return (f"<div class=\"Article Article-Related\"><span class=\"Label\">Recommended</span>"
                f"<a href=\"{href}\">{title}</a></div>")
    return (f"<aside class=\"promo\"><span>Recommended</span> "
            f"<a href=\"{href}\"><span>{title}</span></a></aside>")


def body_parts(page: dict) -> list[tuple[str, str]]:
    """The body as rendered: ("p"|"h2"|"html", content) in page order, promos included."""
    s = story(page)
    parts: list[tuple[str, str]] = []
    if page.get("promos_from_cms"):
        for block in s["blocks"]:
            if block.get("blockType") == "text":
                m = re.fullmatch(r"<p><strong>(.*)</strong>\s*</p>", block["value"])
                parts.append(("h2", m.group(1)) if m else ("cms", block["value"]))
            elif block.get("blockType") == "youtube":
                parts.append(("embed", block["value"]))
                parts.append(("promo", "global:" + "motherland"))
            elif block.get("blockType") == "content":
                key = next(p["key"] for p in ALL if p.get("story") == block["id"])
                parts.append(("promo", "recommended:" + key))
        return parts
    for i, block in enumerate(s["blocks"]):
        parts.append(("p", clean(block["value"])) if page["gen"] != 2 else ("cms", block["value"]))
        if i == 0:
            parts += [("promo", f"{kind}:{key}") for kind, key in page.get("promos", [])]
    return parts


def explore_html(page: dict, lay: dict, indent: str = "  ") -> str:
    rows = [f"{indent}<section class=\"explore\">", f"{indent}  <h2>Explore</h2>", f"{indent}  <ul>"]
    for entry in lay["dom"]["explore"]:
        if entry["headline"] is None:
            rows.append(f"{indent}    <li><a href=\"{entry['href']}\"><span>VIDEO</span></a></li>")
            continue
        rows.append(f"{indent}    <li>")
        img = (f"<img src=\"{e(resized(entry['image']))}\" alt=\"\" loading=\"lazy\">"
               if entry["image"] else "")
        rows.append(f"{indent}      <a href=\"{e(entry['href'])}\">{img}"
                    f"<h3>{dom_text(page, entry['headline'])}</h3></a>")
        if entry["byline"]:
            rows.append(f"{indent}      <p class=\"card-byline\">{e(entry['byline'])}</p>")
        rows.append(f"{indent}    </li>")
    rows += [f"{indent}  </ul>", f"{indent}</section>"]
    return "\n".join(rows)


def figure_html(page: dict, lay: dict, gen: int) -> str | None:
    dom = lay["dom"]
    if not dom["image_url"]:
        return None
    src = dom["image_url"] if gen == 1 else resized(dom["image_url"])
    img = f"<img src=\"{e(src)}\" alt=\"{dom_text(page, dom['headline'])}\">"
    if dom["caption"]:
        return f"<figure>{img}<figcaption>{e(dom['caption'])}</figcaption></figure>"
    return f"<figure>{img}</figure>"


def indent_block(text: str, pad: str) -> str:
    return "\n".join(pad + line if line else line for line in text.split("\n"))


# =====================================================================================
# 7. GEN 3 (Next.js App Router): visible DOM + React Server Components flight data
# =====================================================================================

def flight_content(page: dict, lay: dict) -> dict:
    """The `content` object of the flight data (confirmed keys, plus the inferred ones)."""
    s = story(page)
    f = lay["flight"]
    slug = page["path"].rsplit("/", 1)[-1]
    content = {"slug": slug, "title": f["headline"], "description": f["description"],
               "publishedAt": f["published"],
               "coverImage": {"url": f["image_url"], "title": f["caption"]}}
    if page["flight"] != "full":
        return content
    content = {"id": s["id"], "type": "article", **content}
    if f["modified"]:
        content["updatedAt"] = f["modified"]
    content["media"] = "$undefined"
    content["fields"] = {
        "authors": [{"firstName": {"text": fn}, "lastName": {"text": ln}, "path": p}
                    for fn, ln, p in s["authors"]],
        "sources": [{"key": CMS_SOURCE_KEYS.get(v, v.lower()), "value": v} for v in f["sources"]],
        "tags": [{"key": slugify(t), "value": t} for t in f["tags"]],
        "topics": [{"title": t, "slug": TOPIC_SLUGS[t]} for _, t in s["categories"]],
    }
    content["body"] = s["blocks"]
    content["path"] = page["path"]
    return content


def flight_scripts(page: dict, lay: dict) -> str:
    """RSC payload rows split over 2-3 self.__next_f.push([1,"..."]) chunks, mid-row."""
    slug = page["path"].rsplit("/", 1)[-1]
    h = hashlib.sha1(page["path"].encode()).hexdigest()
    rows = [
        f'1:HL["/_next/static/css/{h[:16]}.css","style"]',
        f'2:I[{int(h[:4], 16)},["{int(h[4:7], 16)}","static/chunks/{int(h[4:7], 16)}-{h[7:23]}.js",'
        f'"{int(h[23:26], 16)}","static/chunks/app/article/%5Bid%5D/page-{h[26:42]}.js"],"ArticleView"]',
        '0:["' + h[:21] + '",[["",{"children":["article",{"children":[["id","' + slug
        + '","d"],{"children":["__PAGE__",{}]}]}]},"$undefined","$undefined",true],"$L3"]]',
    ]
    for kind, key in page.get("promos", []):
        if kind.startswith("recommended"):
            t = story(BY_KEY[key])
            promo = {"slug": path_of(key).rsplit("/", 1)[-1], "title": t["title"],
                     "description": t["description"], "publishedAt": t["published"],
                     "coverImage": {"url": t["image_url"], "title": ""}}
            rows.append("5:" + json.dumps(["$", "$L2", None, {"variant": "recommended",
                                                              "content": promo}],
                                          ensure_ascii=False, separators=(",", ":")))
    main = ["$", "main", None, {"children": ["$", "$L2", None,
                                             {"content": flight_content(page, lay),
                                              "locale": LANG}]}]
    rows.append("3:" + json.dumps(main, ensure_ascii=False, separators=(",", ":")))
    payload = "\n".join(rows) + "\n"
    cuts = [0, int(len(payload) * 0.41), int(len(payload) * 0.77), len(payload)]
    if len(payload) < 1200:
        cuts = [0, int(len(payload) * 0.55), len(payload)]
    chunks = [payload[a:b] for a, b in zip(cuts, cuts[1:])]
    boot = "(self.__next_f=self.__next_f||[]).push([0])"
    if page.get("flight_extra_push"):
        boot += ";self.__next_f.push([2,null])"
    out = [f"<script>{boot}</script>"]
    for chunk in chunks:
        out.append(f"<script>self.__next_f.push([1,{next_js_string(chunk)}])</script>")
    return "\n".join(out)


def next_js_string(text: str) -> str:
    """JSON string, HTML-escaped the way Next.js escapes inline flight data."""
    out = json.dumps(text, ensure_ascii=False)
    for char, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(char, esc)
    return out


def slugify(text: str) -> str:
    """CMS-style slug: punctuation dropped, spaces -> hyphens (`Syria's` -> `syrias`)."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("ı", "i")).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9\s-]", "", ascii_text.lower())
    return re.sub(r"[\s-]+", "-", words).strip("-")


def render_gen3(page: dict) -> str:
    lay = layers(page)
    dom = lay["dom"]
    s = story(page)
    head = meta_block(page, lay, f"{s['title']} - TRT World")
    header = [f"<span class=\"label\">{e(dom['label'])}</span>"]
    if dom["read_time"]:
        header.append(f"<span class=\"read-time\">{e(dom['read_time'])}</span>")
    header.append(f"<h1>{dom_text(page, dom['headline'])}</h1>")
    header.append(f"<p class=\"standfirst\">{dom_text(page, dom['description'])}</p>")
    for piece in (figure_html(page, lay, 3), byline_html(page), date_html(page, lay)):
        if piece:
            header.append(piece)
    body = []
    for kind, content in body_parts(page):
        if kind == "p":
            body.append(f"<p>{dom_text(page, content)}</p>")
        elif kind == "cms":
            body.append(content)
        elif kind == "h2":
            body.append(f"<h2>{content}</h2>")
        elif kind == "embed":
            body.append(f"<div class=\"embed\">{content}</div>")
        else:
            promo_kind, _, key = content.partition(":")
            body.append(promo_html(page, promo_kind, key, 3))
    lines = [
        reconstruction_comment("from " + s["material"], page_notes(page)),
        "<!DOCTYPE html>",
        "<html lang=\"en\">",
        "<head>",
        indent_block("\n".join(head), "  "),
        "  <script src=\"/_next/static/chunks/webpack-5c1b7e0d2f.js\" async></script>",
        "</head>",
        "<body class=\"__variable_9b1c2d antialiased\">",
        indent_block(site_header(), "  "),
        "  <main>",
        "    <article>",
        "      <header class=\"article-header\">",
        indent_block("\n".join(header), "        "),
        "      </header>",
        "      <div class=\"article-body\">",
        indent_block("\n".join(body), "        "),
        "      </div>",
    ]
    if dom["source_line"]:
        tag = "p" if page["key"] in ("iraq-daesh", "glacier-burst", "vietnam") else "div"
        lines.append(f"      <{tag} class=\"source\">{e(dom['source_line'])}</{tag}>")
    lines += [
        "    </article>",
        explore_html(page, lay, "    "),
        "  </main>",
        indent_block(site_footer(), "  "),
        indent_block(flight_scripts(page, lay), "  "),
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


# =====================================================================================
# 8. GEN 2 (Nuxt 2): visible DOM (div.Article.Article-Paragraph) + window.__NUXT__ state
# =====================================================================================

UNDEFINED = object()  # rendered as `void 0` in the Nuxt IIFE form
JS_RESERVED = set("""abstract arguments await boolean break byte case catch char class const
continue debugger default delete do double else enum eval export extends false final finally
float for function goto if implements import in instanceof int interface let long native new
null package private protected public return short static super switch synchronized this throw
throws transient true try typeof var void volatile while with yield""".split())


def cms_card(key: str) -> dict:
    """A card record (shape of `related` in the CMS samples) for one story of the copy."""
    page = BY_KEY[key]
    s = story(page)
    return {
        "id": s["id"], "type": "article", "title": s["title"], "description": s["description"],
        "mainImageUrl": s["image_url"], "overlayImageUrl": "", "thumbnailSquare": "",
        "categories": [{"contentId": cid, "title": t} for cid, t in s["categories"]],
        "metaTitle": "", "metaDescription": "", "showName": "", "showSlug": "",
        "path": page["path"], "publishedDate": s["published"],
        "authors": [{"firstName": f, "lastName": l, "path": p} for f, l, p in s["authors"]],
        "showAuthor": False, "showByLine": False, "showSparkbox": False,
    }


def cms_record(page: dict, lay: dict) -> dict:
    """The Nuxt `content` record: the real one for 17811425, else one in the same shape."""
    s = story(page)
    if page["story"] == "cms":
        return CMS_CONTENT_17811425
    n = lay["nuxt"]
    file_name = s["image_url"].rsplit("/", 1)[-1]
    topic = first_topic(s["categories"])
    return {
        "id": s["id"], "title": s["title"], "description": s["description"],
        "body": s["blocks"], "path": page["path"], "type": "article",
        "fields": {
            "search_title": {"text": s["title"]},
            "search_description": {"text": s["description"]},
            "topic_slug": {"text": TOPIC_SLUGS.get(topic, "")},
            "mainImage": {"type": "image", "key": "trtworld/" + file_name,
                          "cdnUrl": s["image_url"][: -len(file_name)], "fileName": file_name,
                          "url": s["image_url"], "title": n["caption"]},
            "authors": [{"firstName": {"text": f}, "lastName": {"text": l}, "path": p}
                        for f, l, p in s["authors"]],
            "sources": [{"key": CMS_SOURCE_KEYS.get(v, v.lower()), "value": v, "metadata": {}}
                        for v in n["sources"]],
            "topics": [{"contentId": cid, "title": t, "slug": TOPIC_SLUGS[t]}
                       for cid, t in s["categories"]],
            "tags": [{"key": slugify(t), "value": t, "metadata": {}} for t in n["tags"]],
        },
        "metadata": {}, "site": "trtworld", "viewCount": 0,
        "published": {"date": s["published"]}, "paths": [page["path"]],
    }


def nuxt_state(page: dict, lay: dict, plain: bool) -> dict:
    data = {"content": cms_record(page, lay),
            "related": [cms_card(link_key(x)) for x in page["explore"] if x != "video"]}
    if not plain:
        data["liveBlog"] = UNDEFINED
    return {"layout": "default", "data": [data], "fetch": {}, "error": None, "state": {},
            "serverRendered": True, "routePath": page["path"],
            "config": {"_app": {"basePath": "/", "assetsPath": "/_nuxt/", "cdnURL": None}}}


def js_string(text: str) -> str:
    """A string literal as devalue (Nuxt 2) writes it: `/` as \\u002F, `<` as \\u003C ..."""
    out = json.dumps(text, ensure_ascii=False)
    for char, esc in (("<", "\\u003C"), (">", "\\u003E"), ("/", "\\u002F"),
                      ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        out = out.replace(char, esc)
    return out


def js_name(num: int) -> str:
    chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
    name = ""
    while True:
        name = chars[num % len(chars)] + name
        num = num // len(chars) - 1
        if num < 0:
            break
    return name + "_" if name in JS_RESERVED else name


def nuxt_iife(state: dict) -> str:
    """`window.__NUXT__=(function(a,b,...){return {...}}(...))`: repeated values hoisted."""
    counts: Counter = Counter()
    order: list = []

    def ident(v):
        return (type(v).__name__, v) if v is not UNDEFINED else ("undefined", None)

    def walk(v):
        if isinstance(v, dict):
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)
        else:
            key = ident(v)
            if key not in counts:
                order.append(v)
            counts[key] += 1

    walk(state)
    hoisted = sorted((v for v in order if counts[ident(v)] > 1), key=lambda v: -counts[ident(v)])
    names = {ident(v): js_name(i) for i, v in enumerate(hoisted)}

    def prim(v):
        if v is UNDEFINED:
            return "void 0"
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, (int, float)):
            return repr(v)
        return js_string(v)

    def ser(v):
        if isinstance(v, dict):
            items = []
            for k, item in v.items():
                safe = re.fullmatch(r"[_$a-zA-Z][_$a-zA-Z0-9]*", k)
                items.append(f"{k if safe else js_string(k)}:{ser(item)}")
            return "{" + ",".join(items) + "}"
        if isinstance(v, list):
            return "[" + ",".join(ser(item) for item in v) + "]"
        return names.get(ident(v)) or prim(v)

    params = ",".join(names[ident(v)] for v in hoisted)
    args = ",".join(prim(v) for v in hoisted)
    return f"window.__NUXT__=(function({params}){{return {ser(state)}}}({args}));"


def render_gen2(page: dict) -> str:
    lay = layers(page)
    dom = lay["dom"]
    s = story(page)
    attrs = " data-n-head=\"ssr\""
    head = meta_block(page, lay, f"{s['title']} - TRT World", attrs)
    header = [f"<span class=\"Article-Category\">{e(dom['label'])}</span>"]
    if dom["read_time"]:
        header.append(f"<span class=\"Article-ReadTime\">{e(dom['read_time'])}</span>")
    header.append(f"<h1 class=\"Article-Title\">{dom_text(page, dom['headline'])}</h1>")
    header.append(f"<p class=\"Article-Spot\">{dom_text(page, dom['description'])}</p>")
    for piece in (figure_html(page, lay, 2), byline_html(page), date_html(page, lay, "Article-Date")):
        if piece:
            header.append(piece)
    body = []
    for kind, content in body_parts(page):
        if kind in ("cms", "h2"):
            value = content if kind == "cms" else f"<p><strong>{content}</strong> </p>"
            body.append(f"<div class=\"Article Article-Paragraph\">{value}</div>")
        elif kind == "p":
            body.append(f"<div class=\"Article Article-Paragraph\"><p>{dom_text(page, content)}</p></div>")
        elif kind == "embed":
            body.append(f"<div class=\"Article Article-Embed\">{content}</div>")
        else:
            promo_kind, _, key = content.partition(":")
            body.append(promo_html(page, promo_kind, key, 2))
    if page["nuxt"] == "json":
        state = nuxt_state(page, lay, plain=True)
        script = "window.__NUXT__=" + json.dumps(state, ensure_ascii=False,
                                                  separators=(",", ":")) + ";"
    else:
        script = nuxt_iife(nuxt_state(page, lay, plain=False))
    lines = [
        reconstruction_comment("from " + s["material"], page_notes(page)),
        "<!doctype html>",
        "<html lang=\"en\" data-n-head-ssr>",
        "<head>",
        indent_block("\n".join(head), "  "),
        "  <link rel=\"preload\" href=\"/_nuxt/4f2a9c1.js\" as=\"script\">",
        "</head>",
        "<body>",
        "<div data-server-rendered=\"true\" id=\"__nuxt\"><div id=\"__layout\"><div class=\"Layout\">",
        indent_block(site_header(), "  "),
        "  <main class=\"Main\">",
        "    <article class=\"Article-Detail\">",
        "      <div class=\"Article-Header\">",
        indent_block("\n".join(header), "        "),
        "      </div>",
        "      <div class=\"Article-Body\">",
        indent_block("\n".join(body), "        "),
        "      </div>",
    ]
    if dom["source_line"]:
        lines.append(f"      <div class=\"Article-Source\">{e(dom['source_line'])}</div>")
    lines += [
        "    </article>",
        explore_html(page, lay, "    "),
        "  </main>",
        indent_block(site_footer(), "  "),
        "</div></div></div>",
        f"<script>{script}</script>",
        "<script src=\"/_nuxt/4f2a9c1.js\" defer></script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


# =====================================================================================
# 9. GEN 1 (server-rendered): h1.article-title, h3.article-description, div.contentBox p,
#    div.article-source, ul.author li (all confirmed classes)
# =====================================================================================

def render_gen1(page: dict) -> str:
    if page.get("malformed"):
        return render_gen1_malformed(page)
    lay = layers(page)
    dom = lay["dom"]
    s = story(page)
    head = meta_block(page, lay, f"{s['title']} - TRT World")
    rows = [f"<div class=\"article-category\">{e(dom['label'])}</div>"]
    if dom["read_time"]:
        rows.append(f"<div class=\"article-readtime\">{e(dom['read_time'])}</div>")
    rows.append(f"<h1 class=\"article-title\">{dom_text(page, dom['headline'])}</h1>")
    rows.append(f"<h3 class=\"article-description\">{dom_text(page, dom['description'])}</h3>")
    figure = figure_html(page, lay, 1)
    if figure:
        rows.append(figure)
    if dom["ul_authors"]:
        items = "".join(f"<li><a href=\"{p}\">{e(person_name(f, l))}</a></li>"
                        for f, l, p in s["authors"])
        rows.append(f"<ul class=\"author\">{items}</ul>")
    rows.append(date_html(page, lay))
    rows.append("<div class=\"contentBox\">")
    for kind, content in body_parts(page):
        if kind == "p":
            rows.append(f"  <p>{dom_text(page, content)}</p>")
        else:
            promo_kind, _, key = content.partition(":")
            rows.append(indent_block(promo_html(page, promo_kind, key, 1), "  "))
    rows.append("</div>")
    if dom["source_line"]:
        rows.append(f"<div class=\"article-source\">{e(dom['source_line'])}</div>")
    lines = [
        reconstruction_comment("from " + s["material"], page_notes(page)),
        "<!DOCTYPE html>",
        "<html lang=\"en\">",
        "<head>",
        indent_block("\n".join(head), "  "),
        "</head>",
        "<body>",
        "<div class=\"wrapper\">",
        indent_block(site_header(), "  "),
        "  <div class=\"container article-page\">",
        indent_block("\n".join(rows), "    "),
        explore_html(page, lay, "    "),
        "  </div>",
        indent_block(site_footer(), "  "),
        "</div>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(lines)


def render_gen1_malformed(page: dict) -> str:
    """Same content, badly formed: unclosed <p>/<li>/<div>, stray </div>s, unquoted attributes,
    mis-nested inline tags. Every field must still be extracted."""
    lay = layers(page)
    dom = lay["dom"]
    s = story(page)
    explore = "".join(
        f"\n<li><a href={entry['href']}><h3>{e(entry['headline'])}</h3></a>"
        for entry in dom["explore"])
    figure = f"<figure><img src={dom['image_url']} alt=\"{e(dom['headline'])}\"></figure>"
    return "\n".join([
        reconstruction_comment("from " + s["material"], page_notes(page)
                               + ["The markup is deliberately malformed."]),
        "<!DOCTYPE html>",
        "<html lang=en>",
        "<head>",
        "<meta charset=utf-8>",
        f"<title>{e(s['title'])} - TRT World</title>",
        f"<meta name=description content=\"{e(s['description'])}\">",
        "</head>",
        "<body>",
        "<div class=wrapper>",
        "<header class=site-header><a class=logo href=\"/\">TRT World</a>",
        "<nav><ul><li><a href=\"/middle-east\">MIDDLE EAST</a><li><a href=\"/turkiye\">TÜRKİYE</a>"
        "<li><a href=\"/asia\">ASIA</a><li><a href=\"/opinion\">OPINION</a></ul></nav>",
        "</header></div></div>",
        "<div class=\"container article-page\">",
        f"<div class=article-category>{e(dom['label'])}</div>",
        f"<div class=article-readtime><b>{e(dom['read_time'])}</div></b>",
        f"<h1 class=\"article-title\"><span>{e(dom['headline'])}</h1>",
        f"<h3 class=article-description>{e(dom['description'])}</h3></span>",
        figure,
        "</div>",
        date_html(page, lay),
        "<div class=contentBox>",
        "".join(f"<p>{e(text)}\n" for text in dom["body"]) + "</div></div></div>",
        f"<div class=\"article-source\">{e(dom['source_line'])}</div>",
        "<section class=explore><h2>Explore</h2><ul>" + explore,
        "</ul>",
        "<footer class=site-footer><p>" + e(SEED["footer"][0]),
        f"<a href=\"/contact-us\">{e(SEED['footer'][1])}</a>",
        "</body>",
        "</html>",
        "",
    ])


# =====================================================================================
# 10. DISCOVERY: homepage, section pages, RSS feed, robots.txt, sitemaps
# =====================================================================================

# Real headlines (from the seed's Explore block) used as the text of links whose pages this
# copy does not have (the broken-input links of the homepage / section pages).
BROKEN_LINK_TEXT = {
    HTTP_404_PATH: SEED["explore"][5],
    HTTP_500_PATH: SEED["explore"][7],
    NOT_HTML_PATH: SEED["explore"][3],
    HUGE_PATH: SEED["explore"][1],
    "/middle-east/israeli-army-admits-colossal-failure-in-october-7-probe-18269601":
        CARD_BY_ID[18269601]["title"],
    "/mea/iraqi-forces-open-new-front-in-final-push-against-daesh-12345": SEED["title"],
}


def card_html(spec: str, pad: str = "      ") -> str:
    key = link_key(spec)
    href = link_href(spec)
    if key is None:
        return (f"{pad}<article class=\"card\"><a href=\"{e(href)}\">"
                f"<h3>{e(BROKEN_LINK_TEXT[href])}</h3></a></article>")
    s = story(BY_KEY[key])
    return "\n".join([
        f"{pad}<article class=\"card\">",
        f"{pad}  <a href=\"{e(href)}\"><img src=\"{e(resized(s['image_url']))}\" alt=\"\">"
        f"<h3>{e(s['title'])}</h3></a>",
        f"{pad}  <p>{e(s['description'])}</p>",
        f"{pad}</article>",
    ])


def listing_page(title: str, heading: str, sections: list[tuple[str, list[str]]],
                 extra: list[str], what: str) -> str:
    lines = [
        reconstruction_comment(what, [
            "Section paths are chosen for this copy: the real gen-3 section paths are unknown.",
            "Card texts are the real titles and descriptions of the CMS samples."]),
        "<!DOCTYPE html>",
        "<html lang=\"en\">",
        "<head>",
        "  <meta charset=\"utf-8\">",
        f"  <title>{e(title)}</title>",
        f"  <meta name=\"description\" content=\"{e(SITE_DESCRIPTION)}\">",
        "</head>",
        "<body>",
        indent_block(site_header(), "  "),
        "  <main>",
        f"    <h1>{e(heading)}</h1>",
    ]
    for name, specs in sections:
        lines.append("    <section class=\"rail\">")
        lines.append(f"      <h2>{e(name)}</h2>")
        lines += [card_html(spec) for spec in specs]
        lines.append("    </section>")
    lines += [indent_block(x, "    ") for x in extra]
    lines += ["  </main>", indent_block(site_footer(), "  "), "</body>", "</html>", ""]
    return "\n".join(lines)


def render_home() -> str:
    extra = [
        "<section class=\"rail\">\n  <h2>VIDEO</h2>\n"
        + "\n".join(f"  <a href=\"{v}\">VIDEO</a>" for v in VIDEO_LINKS)
        + "\n</section>",
        "<section class=\"rail\">\n  <h2>MORE</h2>\n"
        + "\n".join(f"  <a href=\"{e(x)}\">{e(label)}</a>" for x, label in NAV_OTHER.items())
        + "\n  <a href=\"https://trt.global/world/article/13099992\">TRT Global</a>"
        + "\n  <a href=\"https://researchcentre.trtworld.com/publications\">TRT World Research Centre</a>"
        + "\n</section>",
    ]
    return listing_page(SITE_TITLE, "TRT World", [("LATEST", HOME)], extra,
                        "as the homepage of www.trtworld.com (links in every URL variant)")


def render_section(path: str) -> str:
    spec = SECTIONS[path]
    extra = []
    if spec["next"]:
        extra.append(f"<nav class=\"pagination\"><a href=\"{spec['next']}\" rel=\"next\">2</a></nav>")
    heading = spec["label"]
    return listing_page(f"{title_tr(heading)} - TRT World", heading, [(heading, spec["links"])],
                        extra, f"as the section listing page {path}")


def rfc822(iso: str) -> str:
    day = datetime.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")
    return day.strftime("%a, %d %b %Y %H:%M:%S GMT")


def w3c(iso: str) -> str:
    return iso[:19] + "+00:00"


def render_feed() -> str:
    items = []
    for key, form in FEED:
        page = BY_KEY[key]
        s = story(page)
        link = page["path"]
        if form == "absolute-utm":
            link = PROD + link + "?utm_source=rss&utm_medium=feed"
        section = first_topic(s["categories"])
        items.append("\n".join([
            "    <item>",
            f"      <title>{e(s['title'])}</title>",
            f"      <link>{e(link)}</link>",
            f"      <guid isPermaLink=\"false\">{page['path'].rsplit('/', 1)[-1]}</guid>",
            f"      <description>{e(s['description'])}</description>",
            f"      <pubDate>{rfc822(s['published'])}</pubDate>",
            f"      <category>{e(section)}</category>",
            f"      <media:content url=\"{e(s['image_url'])}\" medium=\"image\"/>",
            "    </item>",
        ]))
    return "\n".join([
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        reconstruction_comment("as the RSS feed /feed/rss.xml (real titles, descriptions "
                               "and dates of the CMS samples; relative links as on the real feed)"),
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
        "xmlns:media=\"http://search.yahoo.com/mrss/\">",
        "  <channel>",
        "    <title>TRT World</title>",
        f"    <link>{PROD}</link>",
        f"    <description>{e(SITE_DESCRIPTION)}</description>",
        "    <language>en</language>",
        f"    <atom:link href=\"{PROD}/feed/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>",
        *items,
        "  </channel>",
        "</rss>",
        "",
    ])


def render_robots() -> str:
    return "\n".join([
        "# RECONSTRUCTION built by tests/site_build.py (the real robots.txt is unknown).",
        "User-agent: *",
        "Disallow: /search",
        "Disallow: /api/",
        "Disallow: /_next/",
        "",
        f"Sitemap: {PROD}/sitemaps/articles.xml",
        "",
    ])


def render_sitemap_index() -> str:
    rows = []
    for path, keys in SITEMAPS.items():
        newest = max(story(BY_KEY[k])["published"] for k in keys)
        rows.append(f"  <sitemap>\n    <loc>{PROD}{path}</loc>\n    <lastmod>{w3c(newest)}</lastmod>\n  </sitemap>")
    return "\n".join([
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        reconstruction_comment("as a sitemap index (real sitemaps unknown)"),
        "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
        *rows,
        "</sitemapindex>",
        "",
    ])


def render_urlset(path: str) -> str:
    rows = []
    for key in SITEMAPS[path]:
        published = story(BY_KEY[key])["published"]
        lastmod = published[:10] if "2024" in path else w3c(published)
        rows.append(f"  <url>\n    <loc>{PROD}{path_of(key)}</loc>\n    <lastmod>{lastmod}</lastmod>\n  </url>")
    return "\n".join([
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        reconstruction_comment(f"as the sitemap {path} (real sitemaps unknown)"),
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
        *rows,
        "</urlset>",
        "",
    ])


def not_html_body() -> str:
    """The article URL that answers JSON: a real CMS card record (cms-api-sample-2025-02-28)."""
    card = dict(CARD_BY_ID[18269747])
    card.pop("from"), card.pop("record")
    card["categories"] = [{"contentId": c, "title": t} for c, t in card["categories"]]
    return json.dumps({"content": card}, ensure_ascii=False, indent=2) + "\n"


# =====================================================================================
# 11. OUTPUT: pages, routes.json, expected/, manifest.json
# =====================================================================================

HTML = "text/html; charset=utf-8"


def file_for(path: str, ext: str = ".html") -> str:
    if path == "/":
        return "pages/index.html"
    clean_path = path.replace("?page=", "--page-")
    return "pages" + clean_path + ext


def expected_slug(page: dict) -> str:
    path = canonical_path(page)
    if path.startswith("/article/"):
        return f"{slugify(story(page)['title'])}-{article_id_of(path)}"
    return path.rsplit("/", 1)[-1]


def render_article(page: dict) -> str:
    return {1: render_gen1, 2: render_gen2, 3: render_gen3}[page["gen"]](page)


def layer_names(page: dict) -> list[str]:
    names = []
    if page.get("jsonld"):
        names.append("jsonld:broken" if page["jsonld"].get("broken") else
                      "jsonld:" + page["jsonld"].get("type", "NewsArticle")
                      + (":@graph" if page["jsonld"].get("graph") else ""))
    if page.get("og"):
        names.append("og")
    if page.get("flight"):
        names.append("flight:" + page["flight"])
    if page.get("nuxt"):
        names.append("nuxt:" + page["nuxt"])
    names.append("dom:gen%d%s" % (page["gen"], ":malformed" if page.get("malformed") else ""))
    return names


def hrefs(markup: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"<a\b[^>]*?\bhref=\"?([^\"\s>]+)", markup)]


def build() -> None:
    if OUT.exists():
        for sub in ("pages", "expected"):
            shutil.rmtree(OUT / sub, ignore_errors=True)
        for name in ("routes.json", "manifest.json"):
            (OUT / name).unlink(missing_ok=True)
    files: dict[str, str] = {}
    routes: dict[str, dict] = {}

    def serve(path: str, text: str, ctype: str, ext: str = ".html") -> None:
        name = file_for(path, ext)
        files[name] = text
        routes[path] = {"file": name, "status": 200, "content_type": ctype}

    serve("/", render_home(), HTML)
    for path in SECTIONS:
        serve(path, render_section(path), HTML)
    serve("/robots.txt", render_robots(), "text/plain; charset=utf-8", "")
    serve("/feed/rss.xml", render_feed(), "application/rss+xml; charset=utf-8", "")
    serve("/sitemaps/articles.xml", render_sitemap_index(), "application/xml; charset=utf-8", "")
    for path in SITEMAPS:
        serve(path, render_urlset(path), "application/xml; charset=utf-8", "")
    routes["/sitemap.xml"] = {"status": 404}
    for page in ALL:
        serve(page["path"], render_article(page), HTML)
    for old, new in REDIRECTS.items():
        routes[old] = {"status": 301, "location": new}
    serve(NOT_HTML_PATH, not_html_body(), "application/json; charset=utf-8", ".json")
    routes[HUGE_PATH] = {"generate": "huge", "bytes": HUGE_BYTES, "content_type": "text/html"}
    routes[HTTP_404_PATH] = {"status": 404}
    routes[HTTP_500_PATH] = {"status": 500}
    for headline in SEED["explore"]:
        routes[seed_explore_path(headline)] = {"status": 404}

    # ---- expected items and the manifest
    expected: dict[str, dict] = {}
    articles, generations, layer_map, alternates = {}, {}, {}, {}
    rejected: dict[str, dict] = {
        NOT_HTML_PATH: {"reason": "not_html"},
        HUGE_PATH: {"reason": "too_large"},
        HTTP_404_PATH: {"reason": "http_404"},
        HTTP_500_PATH: {"reason": "http_500"},
    }
    for headline in SEED["explore"]:
        rejected[seed_explore_path(headline)] = {"reason": "http_404"}
    duplicates = []
    for page in ALL:
        if page.get("rejected"):
            rejected[page["path"]] = page["rejected"]
            continue
        item = expected_item(page)
        if "copy_of" in page:
            original = BY_KEY[page["copy_of"]]
            want = expected_item(original)
            if not page.get("canonical"):
                want = {**want, "url": item["url"], "article_id": item["article_id"]}
            assert item == want, f"copy {page['key']} would not extract like {original['key']}"
            duplicates.append(sorted([original["path"], page["path"]]))
            if not page.get("canonical"):
                alternates.setdefault(expected_slug(original), []).append(page["path"])
            continue
        slug = expected_slug(page)
        assert slug not in expected, slug
        expected[slug] = item
        articles[slug] = canonical_path(page)
        generations[slug] = page["gen"]
        layer_map[slug] = layer_names(page)
    for old, new in REDIRECTS.items():
        duplicates.append([old, new])

    # ---- discovery graph (who links to which canonical article path)
    discovery: dict[str, list[str]] = {}

    def found(path: str, via: str) -> None:
        path = re.sub(r"[?#].*$", "", re.sub(r"^https?://[^/]+", "", path))
        path = REDIRECTS.get(path, path)
        for page in ALL:
            if page["path"] == path:
                path = canonical_path(page) if page.get("canonical") else path
        if path in articles.values() or path in routes:
            discovery.setdefault(path, [])
            if via not in discovery[path]:
                discovery[path].append(via)

    for spec in HOME:
        found(link_href(spec), "home")
    for section, spec in SECTIONS.items():
        for link in spec["links"]:
            found(link_href(link), "section:" + section)
    for key, _ in FEED:
        found(path_of(key), "feed")
    for sitemap, keys in SITEMAPS.items():
        for key in keys:
            found(path_of(key), "sitemap:" + sitemap)
    for page in ALL:
        for entry in layers(page)["dom"]["explore"]:
            found(entry["href"], "explore:" + page["path"])
        for kind, key in page.get("promos", []):
            if kind.startswith("recommended"):
                found(path_of(key), "recommended:" + page["path"])
    found(path_of("unrwa"), "recommended:" + path_of("detainees"))
    for path in articles.values():
        assert path in discovery, f"article {path} is not linked from anywhere"
    explore_only = sorted(p for p, vias in discovery.items()
                          if p in articles.values() and all(v.startswith("explore:") for v in vias))
    chain = [path_of(k) for k in ("yoon-impeachment", "vietnam", "liberte", "peru-president",
                                   "buddha-relic", "ramaphosa-icc", "nepal-bri")]
    assert explore_only == sorted(chain[1:]), explore_only

    # ---- links: every on-site href is a route or must never be requested
    never, offsite = set(), set()
    for name, text in files.items():
        if not name.endswith(".html"):
            continue
        for href in hrefs(text):
            host = re.match(r"^(?:https?:)?//([^/:]+)", href)
            if host and host.group(1) not in ("www.trtworld.com", "trtworld.com"):
                offsite.add(href)
                continue
            path = re.sub(r"#.*$", "", re.sub(r"^https?://[^/]+", "", href))
            bare = re.sub(r"\?.*$", "", path)
            if path in routes or bare in routes:
                continue
            never.add(path)
        for src in re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", text):
            never.add(src)
        for src in re.findall(r"<link[^>]*\brel=\"preload\"[^>]*\bhref=\"([^\"]+)\"", text):
            never.add(src)
    allowed_prefixes = ("/video/", "/author/", "/search", "/live-stream", "/about",
                        "/contact-us", "/_next/", "/_nuxt/")
    for path in never:
        assert path.startswith(allowed_prefixes), f"unrouted link {path}"

    for slug, item in expected.items():
        files[f"expected/{slug}.json"] = json.dumps(item, ensure_ascii=False, indent=2) + "\n"
    manifest = {
        "note": ("RECONSTRUCTION of www.trtworld.com built by tests/site_build.py from real text "
                 "(seed page text, CMS samples); not a capture of the live site. Paths are "
                 "request paths of tests/site_server.py; '{site}' in expected items stands for "
                 "the local origin (NEWSBOT_SITE_URL)."),
        "keys": {
            "articles": "slug -> canonical path of every article the crawl must export; the "
                        "complete item is expected/<slug>.json",
            "alternates": "slug -> other paths of the same story (a copy WITHOUT canonical "
                          "link): the item may be exported under one of these instead, with "
                          "url and article_id of that path; every other field is identical",
            "rejected": "path -> why no item may come from it (http_404, http_500, not_html, "
                        "too_large, invalid + missing fields)",
            "duplicates": "groups of paths of which exactly one item must be exported "
                          "(copies, and redirect source -> target)",
            "redirects": "path -> Location of its 301",
            "never_requested": "paths linked from the pages that must never be requested",
            "offsite_links": "off-site URLs linked from the pages (never requested)",
            "explore_only": "articles linked only from Explore blocks (no listing, feed, sitemap)",
            "explore_chain": "the page order of that Explore chain, starting from a listed page",
            "discovery": "canonical path -> where it is linked from",
        },
        "articles": dict(sorted(articles.items())),
        "alternates": alternates,
        "rejected": dict(sorted(rejected.items())),
        "duplicates": sorted(duplicates),
        "redirects": REDIRECTS,
        "never_requested": sorted(never),
        "offsite_links": sorted(offsite),
        "explore_only": explore_only,
        "explore_chain": chain,
        "start_urls": ["/", "/feed/rss.xml", "/robots.txt"],
        "listing_pages": ["/", *SECTIONS],
        "generations": dict(sorted(generations.items())),
        "layers": dict(sorted(layer_map.items())),
        "discovery": dict(sorted(discovery.items())),
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    files["routes.json"] = json.dumps(dict(sorted(routes.items())), ensure_ascii=False,
                                      indent=2) + "\n"
    for name, text in sorted(files.items()):
        target = OUT / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
    print(f"wrote {len(files)} files under {OUT} ({len(expected)} expected articles, "
          f"{len(routes)} routes)")


if __name__ == "__main__":
    build()
