"""Decoders for the data that JavaScript frameworks embed in TRT World pages.

* Next.js App Router (gen 3): ``self.__next_f.push([1, "<payload piece>"])`` scripts. The
  pieces, concatenated, are React Server Components rows ``<hex id>:<JSON>`` separated by
  newlines, and text rows ``<hex id>:T<hex byte length>,<text>`` referenced as ``"$<id>"``.
* Nuxt 2 (gen 2): ``window.__NUXT__=(function(a,b,...){return {...}}(1,"x",...))``: a
  JavaScript object literal whose repeated values are hoisted into the parameters, or a
  plain ``window.__NUXT__={...}``. It is not JSON, so a small literal parser reads it.

Both return plain Python data; nothing here knows about Scrapy or about articles.
"""

from __future__ import annotations

import json
import re
from typing import Any

FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\((\[.*\])\)\s*;?\s*$", re.DOTALL)
FLIGHT_ROW_ID = re.compile(rb"([0-9a-f]{1,8}):")
FLIGHT_TEXT_ROW = re.compile(rb"T([0-9a-f]{1,8}),")
FLIGHT_REFERENCE = re.compile(r"^\$([0-9a-f]{1,8})$")

NUXT_ASSIGNMENT = re.compile(r"^\s*window\.__NUXT__\s*=\s*", re.DOTALL)

JS_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<number>-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
      | (?P<name>[A-Za-z_$][\w$]*)
      | (?P<punct>[{}\[\]:,()])
      | (?P<other>[.;=!+*/<>&|?%~^-])
    )""",
    re.VERBOSE | re.DOTALL,
)
JS_LITERALS = {"true": True, "false": False, "null": None, "undefined": None,
               "NaN": None, "Infinity": None}


class JsSyntaxError(ValueError):
    """The script is not a literal this decoder understands."""


# --- Next.js flight data -------------------------------------------------------------

def flight_payload(scripts: list[str]) -> str:
    """Concatenate the string pieces of all ``self.__next_f.push([1, ...])`` scripts."""
    pieces = []
    for script in scripts:
        match = FLIGHT_PUSH.search(script.strip())
        if not match:
            continue
        try:
            pushed = json.loads(match.group(1))
        except ValueError:
            continue
        if len(pushed) >= 2 and pushed[0] == 1 and isinstance(pushed[1], str):
            pieces.append(pushed[1])
    return "".join(pieces)


def flight_rows(payload: str) -> dict[str, Any]:
    """Decode the RSC rows of a flight payload: ``{row id: JSON value or text}``.

    Rows that are not JSON (module imports ``I[...]``, hints ``HL[...]``) are skipped.
    """
    data = payload.encode("utf-8")
    rows: dict[str, Any] = {}
    position = 0
    while position < len(data):
        match = FLIGHT_ROW_ID.match(data, position)
        if not match:
            newline = data.find(b"\n", position)
            position = len(data) if newline < 0 else newline + 1
            continue
        row_id = match.group(1).decode()
        position = match.end()
        text = FLIGHT_TEXT_ROW.match(data, position)
        if text:
            start = text.end()
            end = start + int(text.group(1), 16)
            rows[row_id] = data[start:end].decode("utf-8", "replace")
            position = end
            continue
        newline = data.find(b"\n", position)
        end = len(data) if newline < 0 else newline
        raw = data[position:end]
        position = end + 1
        if raw[:1] in (b"{", b"[", b'"'):
            try:
                rows[row_id] = json.loads(raw)
            except ValueError:
                continue
    return rows


def resolve_flight_text(value: Any, rows: dict[str, Any]) -> Any:
    """Replace ``"$<id>"`` references to text rows, and ``"$undefined"``, in a decoded value."""
    if isinstance(value, str):
        if value == "$undefined":
            return None
        match = FLIGHT_REFERENCE.match(value)
        if match and isinstance(rows.get(match.group(1)), str):
            return rows[match.group(1)]
        return value
    if isinstance(value, list):
        return [resolve_flight_text(item, rows) for item in value]
    if isinstance(value, dict):
        return {key: resolve_flight_text(item, rows) for key, item in value.items()}
    return value


def find_content_record(value: Any, slug: str) -> dict | None:
    """The object under a ``content`` key whose ``slug`` is the article id (depth-first)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            content = node.get("content")
            if isinstance(content, dict) and str(content.get("slug", "")) == slug:
                return content
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return None


# --- Nuxt 2 state --------------------------------------------------------------------

def nuxt_state(script: str) -> Any:
    """Decode ``window.__NUXT__=...``; raises JsSyntaxError when it cannot."""
    match = NUXT_ASSIGNMENT.match(script)
    if not match:
        raise JsSyntaxError("not a window.__NUXT__ assignment")
    source = script[match.end():].strip()
    if source.startswith("{"):
        return parse_js_literal(source)
    tokens = _tokenise(source)
    if [text for _, text in tokens[:3]] != ["(", "function", "("]:
        raise JsSyntaxError("window.__NUXT__ is neither an object nor a function call")
    params_end = tokens.index(("punct", ")"))
    params = [text for kind, text in tokens[3:params_end] if kind == "name"]
    try:
        returned = tokens.index(("name", "return"), params_end)
    except ValueError as error:
        raise JsSyntaxError("no return in window.__NUXT__ function") from error
    parser = _LiteralParser(tokens, {}, start=returned + 1, placeholders=True)
    state = parser.value()
    parser.take("}")
    parser.take("(")
    args = []
    while parser.peek()[1] != ")":
        args.append(parser.value())
        if parser.peek()[1] == ",":
            parser.take()
    return _substitute(state, dict(zip(params, args)))


def parse_js_literal(source: str, variables: dict[str, Any] | None = None) -> Any:
    """Parse a JavaScript literal (objects, arrays, strings, numbers, names from ``variables``)."""
    return _LiteralParser(_tokenise(source), variables or {}).value()


def _tokenise(source: str) -> list[tuple[str, str]]:
    tokens = []
    position = 0
    length = len(source)
    while position < length:
        match = JS_TOKEN.match(source, position)
        if not match:
            if source[position:].strip() == "":
                break
            raise JsSyntaxError(f"unexpected character at {position}: {source[position:position + 20]!r}")
        position = match.end()
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
    return tokens


def _js_string(token: str) -> str:
    body = token[1:-1]
    if token[0] == "'":
        body = body.replace("\\'", "'").replace('"', '\\"')
    body = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: "\\u00" + m.group(1), body)
    body = re.sub(r"\\([^\"\\/bfnrtu])", r"\1", body)  # JS allows escaping any character
    try:
        return json.loads(f'"{body}"')
    except ValueError as error:
        raise JsSyntaxError(f"bad string literal {token[:30]!r}") from error


class _Variable(str):
    """A parameter name met before its value is known (Nuxt's hoisted values)."""


def _substitute(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, _Variable):
        return variables.get(str(value))
    if isinstance(value, list):
        return [_substitute(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: _substitute(item, variables) for key, item in value.items()}
    return value


class _LiteralParser:
    def __init__(self, tokens: list[tuple[str, str]], variables: dict[str, Any],
                 start: int = 0, placeholders: bool = False):
        self.tokens = tokens
        self.variables = variables
        self.index = start
        self.placeholders = placeholders

    def peek(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise JsSyntaxError("unexpected end of script")
        return self.tokens[self.index]

    def take(self, text: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if text is not None and token[1] != text:
            raise JsSyntaxError(f"expected {text!r}, got {token[1]!r}")
        self.index += 1
        return token

    def value(self) -> Any:
        kind, text = self.take()
        if text == "{" and kind == "punct":
            return self.object()
        if text == "[" and kind == "punct":
            return self.array()
        if kind == "string":
            return _js_string(text)
        if kind == "number":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        if kind == "name":
            if text == "void":
                self.take()
                return None
            if text in JS_LITERALS:
                return JS_LITERALS[text]
            if text in self.variables:
                return self.variables[text]
            if self.placeholders:
                return _Variable(text)
            raise JsSyntaxError(f"unknown name {text!r}")
        raise JsSyntaxError(f"unexpected token {text!r}")

    def object(self) -> dict:
        result: dict[str, Any] = {}
        while self.peek()[1] != "}":
            kind, key = self.take()
            if kind == "string":
                key = _js_string(key)
            elif kind not in ("name", "number"):
                raise JsSyntaxError(f"bad object key {key!r}")
            self.take(":")
            result[key] = self.value()
            if self.peek()[1] == ",":
                self.take()
        self.take("}")
        return result

    def array(self) -> list:
        result: list[Any] = []
        while self.peek()[1] != "]":
            result.append(self.value())
            if self.peek()[1] == ",":
                self.take()
        self.take("]")
        return result
