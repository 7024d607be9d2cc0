"""One section vocabulary: every spelling of a section, from any layer or site generation,
mapped to one name (pure, no Scrapy).

``canonical_section("TÜRKİYE") == canonical_section("Turkiye") == "Türkiye"``.

Labels are looked up by a key that ignores case (Turkish-aware), accents, ``&``/``and``,
hyphens, underscores and repeated spaces, so ``turkey``, ``Turkiye``, ``TÜRKİYE`` and
``türkiye`` share one key row. A label that is not in ``SECTIONS`` keeps its spelling, an
all-capitals one title-cased (``DISCRIMINATION`` -> ``Discrimination``), since the site
shows its labels in capitals by CSS. The raw label stays in the item's ``section_raw``.

The rows are the labels seen in the CMS samples (gen 2: ``Turkiye``, ``Middle East``,
``US & Canada``, ``Arts & Culture`` ...) and in the gen-3 navigation (``TÜRKİYE``,
``WAR ON GAZA``, ``BIZTECH`` ...); spellings of one section only, never two sections merged
on a guess (``Business`` and ``BizTech`` stay apart until a live page shows they are one).
"""

from __future__ import annotations

import re
import unicodedata

from newsbot.normalise.bylines import fix_name_case

__all__ = ["SECTIONS", "canonical_section", "section_key"]

# canonical name -> other spellings (any case; accents and "&"/"and" need no row of their own)
_ROWS: dict[str, tuple[str, ...]] = {
    "Türkiye": ("turkey", "turkiye", "türkiye", "turkiye news"),
    "Middle East": ("middle east", "mideast"),
    "World": ("world", "world news"),
    "Africa": ("africa",),
    "Asia": ("asia", "asia pacific", "asia-pacific"),
    "Europe": ("europe",),
    "US & Canada": ("us & canada", "us and canada", "us-canada"),
    "Americas": ("americas",),
    "Business": ("business",),
    "BizTech": ("biztech", "biz tech"),
    "Opinion": ("opinion", "opinions"),
    "Magazine": ("magazine",),
    "Features": ("features", "feature"),
    "Infographics": ("infographics", "infographic"),
    "Politics": ("politics",),
    "War on Gaza": ("war on gaza",),
    "Arts & Culture": ("arts & culture", "arts and culture", "arts-culture"),
    "Sport": ("sport", "sports"),
    "Discrimination": ("discrimination",),
    "Climate": ("climate",),
    "Science & Technology": ("science & technology", "science and technology", "sci-tech"),
}

_SEPARATORS = re.compile(r"[\s_\-–—/]+")


def section_key(label: str) -> str:
    """The lookup key: casefolded (``İ`` -> ``i``), accents off, ``&`` = ``and``, one space."""
    text = unicodedata.normalize("NFKD", label.replace("İ", "I").replace("ı", "i").casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("&", " and ")
    return _SEPARATORS.sub(" ", text).strip()


SECTIONS: dict[str, str] = {section_key(alias): name for name, aliases in _ROWS.items()
                            for alias in (name, *aliases)}


def canonical_section(label: str | None) -> str | None:
    """The one name of a section label; None for no label."""
    if not isinstance(label, str) or not label.strip():
        return None
    label = " ".join(label.split())
    known = SECTIONS.get(section_key(label))
    if known:
        return known
    return fix_name_case(label) if label.isupper() else label
