"""Text cleaning shared by the pipelines: entities, stray tags, whitespace."""

from __future__ import annotations

import re
import unicodedata

from w3lib.html import remove_tags, replace_entities

INLINE_SPACE = re.compile(r"[^\S\n]+")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n+")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def clean_text(value) -> str | None:
    """One line of clean text: no tags, entities decoded, whitespace collapsed; None if empty."""
    if not isinstance(value, str):
        return None
    text = _decode(value)
    text = " ".join(text.split())
    return text or None


def clean_body(value) -> str | None:
    """Body text: each paragraph cleaned, paragraphs separated by exactly one blank line."""
    if not isinstance(value, str):
        return None
    paragraphs = (" ".join(_decode(p).split()) for p in PARAGRAPH_BREAK.split(value))
    return "\n\n".join(p for p in paragraphs if p) or None


def _decode(text: str) -> str:
    if "<" in text:
        text = remove_tags(text)
    if "&" in text:
        text = replace_entities(text)
    text = unicodedata.normalize("NFC", text.translate(INVISIBLE))
    return text.replace("\xa0", " ")
