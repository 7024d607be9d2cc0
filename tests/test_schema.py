"""The shipped JSON Schema is the one generated from the item class."""

import json
from pathlib import Path

import jsonschema

from newsbot.items import SCHEMA_VERSION, Article
from newsbot.schema import article_schema

SHIPPED = Path(__file__).resolve().parent.parent / "newsbot" / "article.schema.json"


def test_shipped_schema_is_generated_from_the_item():
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == article_schema(), \
        "regenerate it: python -m newsbot.schema > newsbot/article.schema.json"


def test_schema_is_valid_and_follows_the_item():
    schema = article_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(schema["properties"]) == list(Article.__dataclass_fields__)
    assert str(SCHEMA_VERSION) in schema["$id"]


def test_schema_rejects_a_broken_record():
    validator = jsonschema.Draft202012Validator(article_schema())
    record = {"url": "u", "article_id": "1", "headline": "h", "body": "b", "date_published": "25/11/2017"}
    assert not validator.is_valid(record)
    record["date_published"] = "2017-11-25"
    assert validator.is_valid(record)
