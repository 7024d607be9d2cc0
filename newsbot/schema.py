"""The JSON Schema of the article record, generated from ``newsbot.items``.

``python -m newsbot.schema`` prints it; the copy shipped at ``newsbot/article.schema.json``
is checked against this generator by the tests, so the two never drift apart.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing

from newsbot.items import REQUIRED_FIELDS, SCHEMA_VERSION, Article

SCHEMA_ID = f"https://newsbot.invalid/schema/article/v{SCHEMA_VERSION}.json"
FIELD_NOTES = {
    "url": "Canonical URL of the article.",
    "article_id": "The id in /article/<id>, or the legacy numeric id of older URLs.",
    "date_published": "ISO 8601: date-time with UTC offset, or YYYY-MM-DD when only the day is known.",
    "date_modified": "ISO 8601, as date_published.",
    "date_published_raw": "The publication date exactly as the winning source gave it.",
    "authors": "People only, in page order.",
    "sources": "Agencies and organisations, full names.",
    "body": "Plain text; paragraphs and sub-headings separated by one blank line.",
    "related": "The Explore block, in page order.",
    "provenance": "Which extraction layer produced each field.",
}
ISO_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2})?$"
FIELD_PATTERNS = {"date_published": ISO_DATE_PATTERN, "date_modified": ISO_DATE_PATTERN}


def article_schema() -> dict:
    schema = _dataclass_schema(Article)
    properties = schema["properties"]
    for name, note in FIELD_NOTES.items():
        properties[name] = {"description": note, **properties[name]}
    for name, pattern in FIELD_PATTERNS.items():
        properties[name]["pattern"] = pattern
    for name in REQUIRED_FIELDS:  # exported articles always carry these
        if isinstance(properties[name]["type"], list):
            properties[name]["type"] = properties[name]["type"][0]
    schema["required"] = list(REQUIRED_FIELDS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "newsbot article",
        **schema,
    }


def _dataclass_schema(cls) -> dict:
    hints = typing.get_type_hints(cls)
    properties = {}
    for field in dataclasses.fields(cls):
        properties[field.name] = _type_schema(hints[field.name])
    required = [f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return schema


def _type_schema(hint) -> dict:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(arg) for arg in args if arg is not type(None)]
        nullable = type(None) in args
        if len(options) == 1 and "type" in options[0] and isinstance(options[0]["type"], str):
            return {**options[0], "type": [options[0]["type"], "null"]} if nullable else options[0]
        return {"anyOf": options + ([{"type": "null"}] if nullable else [])}
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_schema(args[1])}
    if dataclasses.is_dataclass(hint):
        return _dataclass_schema(hint)
    return {str: {"type": "string"}, int: {"type": "integer"}, float: {"type": "number"},
            bool: {"type": "boolean"}}[hint]


def main() -> None:
    json.dump(article_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
