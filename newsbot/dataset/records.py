"""The record as a dataset holds it: the Article fields, in their order, with checked types.

Run files are written by the crawl's exporter, so a line is normally a complete Article
record. Each one is still checked here, because a killed run, a hand-edited file or an
older schema can leave lines that a typed output cannot hold (a Parquet ``int32`` column
cannot take ``"4"``, a ``list<string>`` cannot take ``"Reuters"``). Such a line is a *bad
line*: counted and named in the data card, never silently dropped, never a crash.

What is checked is the *type* of each field and the identity: ``article_id`` and ``url``
must be non-empty strings (they are what the merge keys on). A field that is missing takes
the Article default (``None``, ``[]``, ``{}``; ``schema_version`` and ``revision`` 1, since a
record without them predates them), so records of older schema versions are kept. Keys
that are not Article fields are dropped and counted (the card lists them). ``image`` and
``related`` entries are reduced to their declared keys.
"""

from __future__ import annotations

import dataclasses

from newsbot.items import Article, Image, RelatedLink

ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
IMAGE_FIELDS = tuple(f.name for f in dataclasses.fields(Image))
RELATED_FIELDS = tuple(f.name for f in dataclasses.fields(RelatedLink))
IDENTITY_FIELDS = ("article_id", "url")
TEXT_FIELDS = ("headline", "description", "section", "section_raw", "date_published", "date_modified",
               "date_published_raw", "byline_raw", "body", "language", "scraped_at")
LIST_FIELDS = ("authors", "sources", "tags")
OPTIONAL_INT_FIELDS = ("read_time_minutes",)
VERSION_FIELDS = ("schema_version", "revision")
# A record without schema_version / revision was written before they existed.
LEGACY_VERSION = 1
# Integers go to int32 columns in Parquet: anything outside is a bad line, not an overflow.
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


class BadRecord(ValueError):
    """A line that parsed as JSON but is not an Article record; the message says why."""


def normalise_record(value: object) -> tuple[dict, list[str]]:
    """The record with exactly the Article fields, in order, plus the names of dropped keys.

    Raises ``BadRecord`` naming the first field of the wrong type.
    """
    if not isinstance(value, dict):
        raise BadRecord(f"not a JSON object ({type(value).__name__})")
    record = {}
    for name in ARTICLE_FIELDS:
        record[name] = _CHECKS[name](name, value.get(name))
    unknown = [key for key in value if key not in _CHECKS]
    return record, unknown


def _identity(name: str, value: object) -> str:
    if value is None or value == "":
        raise BadRecord(f"missing {name}")
    if not isinstance(value, str):
        raise BadRecord(f"{name}: expected a string, got {type(value).__name__}")
    return value


def _text(name: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BadRecord(f"{name}: expected a string or null, got {type(value).__name__}")


def _int32(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRecord(f"{name}: expected an integer, got {type(value).__name__}")
    if not INT32_MIN <= value <= INT32_MAX:
        raise BadRecord(f"{name}: {value} does not fit in 32 bits")
    return value


def _optional_int(name: str, value: object) -> int | None:
    return None if value is None else _int32(name, value)


def _version(name: str, value: object) -> int:
    return LEGACY_VERSION if value is None else _int32(name, value)


def _texts(name: str, value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise BadRecord(f"{name}: expected a list of strings")


def _image(name: str, value: object) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRecord(f"{name}: expected an object or null, got {type(value).__name__}")
    return {key: _text(f"{name}.{key}", value.get(key)) for key in IMAGE_FIELDS}


def _related(name: str, value: object) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRecord(f"{name}: expected a list, got {type(value).__name__}")
    links = []
    for link in value:
        if not isinstance(link, dict) or not isinstance(link.get("url"), str):
            raise BadRecord(f"{name}: expected objects with a url")
        links.append({key: _text(f"{name}.{key}", link.get(key)) for key in RELATED_FIELDS})
    return links


def _provenance(name: str, value: object) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return value
    raise BadRecord(f"{name}: expected an object of strings")


_CHECKS = {
    **{name: _identity for name in IDENTITY_FIELDS},
    **{name: _text for name in TEXT_FIELDS},
    **{name: _texts for name in LIST_FIELDS},
    **{name: _optional_int for name in OPTIONAL_INT_FIELDS},
    **{name: _version for name in VERSION_FIELDS},
    "image": _image,
    "related": _related,
    "provenance": _provenance,
}
assert set(_CHECKS) == set(ARTICLE_FIELDS), "every Article field needs a check"


def has_value(name: str, value: object) -> bool:
    """Whether a field says something: not null, empty text, an empty list or object, or an
    image with nothing set (what the card's field coverage counts)."""
    if name == "image" and value is not None:
        return any(has_value(key, v) for key, v in value.items())
    return value is not None and value != "" and value != [] and value != {}
