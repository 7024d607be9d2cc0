"""Decoders for the data that JavaScript frameworks embed in TRT World pages.

* Next.js App Router (gen 3): ``self.__next_f.push([1, "<payload piece>"])`` scripts. The
  pieces, concatenated, are React Server Components rows ``<hex id>:<JSON>`` separated by
  newlines, and text rows ``<hex id>:T<hex byte length>,<text>`` referenced as ``"$<id>"``.
* Nuxt 2 (gen 2): ``window.__NUXT__=(function(a,b,...){return {...}}(1,"x",...))``: a
  JavaScript object literal whose repeated values are hoisted into the parameters, or a
  plain ``window.__NUXT__={...}``. It is not JSON: one regex pass rewrites it into JSON
  (quoted keys, ``undefined`` as null, hoisted names replaced by their values) and the C
  JSON decoder reads that.

Everything here is linear in its input (no backtracking regex, no recursion of our own
beyond what the JSON decoder allows); the page layers bound the input size.
Both return plain Python data; nothing here knows about Scrapy or about articles.
"""

from __future__ import annotations

import json
import re
from typing import Any

FLIGHT_PUSH_CALL = "self.__next_f.push(["
FLIGHT_ROW_ID = re.compile(rb"([0-9a-f]{1,8}):")
# A text row starts a line or follows another text row; JSON rows never hold a raw newline,
# so these find every one (the search starts with a literal: fast).
FLIGHT_TEXT_ROW_HERE = re.compile(rb"([0-9a-f]{1,8}):T([0-9a-f]{1,8}),")
FLIGHT_TEXT_ROW_START = re.compile(rb"\n([0-9a-f]{1,8}):T([0-9a-f]{1,8}),")
FLIGHT_REFERENCE = re.compile(r"^\$([0-9a-f]{1,8})$")

NUXT_ASSIGNMENT = re.compile(r"^\s*window\.__NUXT__\s*=\s*")
NUXT_FUNCTION = re.compile(r"\(\s*function\s*\(([\w$,\s]*)\)\s*\{\s*return\s*")

# The tokens of a JS literal that JSON spells differently, and strings (matched so that
# their content is never mistaken for names). Numbers JSON accepts as they are (most) are
# not matched at all: no Python call for them. Strings use the unrolled-loop form (no
# alternation under a repeat: linear time, constant regex stack).
JS_TOKEN = re.compile(
    r"""(?P<string>"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')
      | (?P<number>(?<![\w$.])(?:-?\.\d+(?:[eE][+-]?\d+)?|-?\d+\.(?![\w.])|-?0\d+(?![\w.])))
      | (?P<numkey>(?<![\w$.])\d+(?=\s*:))
      | (?P<void>\bvoid\s+0\b)
      | (?P<name>(?<![\w$.])[A-Za-z_$][\w$]*)(?P<key>\s*:)?
      | (?P<bad>[^\s{}\[\]:,()0-9.eE+-])
    """,
    re.VERBOSE | re.DOTALL,
)
JS_CONSTANTS = {"true": "true", "false": "false", "null": "null", "undefined": "null",
                "NaN": "null", "Infinity": "null"}
JSON_ESCAPES = frozenset('"\\/bfnrtu')
JS_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|\r\n|[\s\S])")
JS_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "0": "\0",
                     "\n": "", "\r\n": "", "\u2028": "", "\u2029": ""}
TRAILING_COMMA = re.compile(r",(\s*[}\]])")
PLACEHOLDER = "\ue000"  # a private-use character: marks a hoisted name until its value is known
JSON = json.JSONDecoder(strict=False)  # JS strings may hold raw control characters


class JsSyntaxError(ValueError):
    """The script is not a literal this decoder understands."""


# --- Next.js flight data -------------------------------------------------------------

def flight_payload(scripts: list[str]) -> str:
    """Concatenate the string pieces of all ``self.__next_f.push([1, ...])`` scripts."""
    pieces = []
    for script in scripts:
        pushed = _pushed(script)
        if pushed is not None and len(pushed) >= 2 and pushed[0] == 1 and isinstance(pushed[1], str):
            pieces.append(pushed[1])
    return "".join(pieces)


def _pushed(script: str) -> list | None:
    """The array of one ``self.__next_f.push([...])`` call: string search, not a regex."""
    script = script.strip().rstrip(";").rstrip()
    start = script.find(FLIGHT_PUSH_CALL)
    if start < 0 or not script.endswith("])"):
        return None
    try:
        pushed = json.loads(script[start + len(FLIGHT_PUSH_CALL) - 1:-1])
    except (ValueError, RecursionError):
        return None
    return pushed if isinstance(pushed, list) else None


def flight_rows(payload: str, needle: str | None = None) -> dict[str, Any]:
    """Decode the RSC rows of a flight payload: ``{row id: JSON value or text}``.

    Rows that are not JSON (module imports ``I[...]``, hints ``HL[...]``) are skipped. With a
    ``needle``, only JSON rows containing it are decoded (text rows always are): the scan then
    costs one C-level search per text row and per hit, not Python work per row.
    """
    data = payload.encode("utf-8")
    rows: dict[str, Any] = {}
    marker = needle.encode("utf-8") if needle else None
    position = 0
    while position < len(data):
        text = FLIGHT_TEXT_ROW_HERE.match(data, position) or FLIGHT_TEXT_ROW_START.search(data, position)
        stop = text.start() if text else len(data)
        _json_rows(data, position, stop, rows, marker)
        if not text:
            break
        start = text.end()
        end = start + int(text.group(2), 16)
        rows[text.group(1).decode()] = data[start:end].decode("utf-8", "replace")
        position = end
    return rows


def _json_rows(data: bytes, start: int, stop: int, rows: dict, marker: bytes | None) -> None:
    """Decode the newline-separated JSON rows in ``data[start:stop]`` (those holding ``marker``)."""
    position = start
    while position < stop:
        if marker is not None:
            hit = data.find(marker, position, stop)
            if hit < 0:
                return
            line = data.rfind(b"\n", position, hit)
            position = position if line < 0 else line + 1
        newline = data.find(b"\n", position, stop)
        end = stop if newline < 0 else newline
        match = FLIGHT_ROW_ID.match(data, position, end)
        if match:
            raw = data[match.end():end]
            if raw[:1] in (b"{", b"[", b'"'):
                try:
                    rows[match.group(1).decode()] = json.loads(raw)
                except (ValueError, RecursionError):
                    pass
        position = end + 1


def resolve_flight_text(value: Any, rows: dict[str, Any]) -> Any:
    """Replace ``"$<id>"`` references to text rows, and ``"$undefined"``, in a decoded value
    (a copy; iterative, so any depth the JSON decoder accepted is fine)."""
    def resolved(item: Any) -> Any:
        if isinstance(item, str):
            if item == "$undefined":
                return None
            match = FLIGHT_REFERENCE.match(item)
            return rows[match.group(1)] if match and isinstance(rows.get(match.group(1)), str) else item
        return item

    return _map_leaves(value, resolved)


def _map_leaves(value: Any, leaf) -> Any:
    """A copy of nested lists and dicts with ``leaf`` applied to every other value."""
    if not isinstance(value, (list, dict)):
        return leaf(value)
    root = [] if isinstance(value, list) else {}
    stack = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = enumerate(source) if isinstance(source, list) else source.items()
        for key, item in items:
            if isinstance(item, (list, dict)):
                copy = [] if isinstance(item, list) else {}
                stack.append((item, copy))
            else:
                copy = leaf(item)
            if isinstance(target, list):
                target.append(copy)
            else:
                target[key] = copy
    return root


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
    source = script[match.end():].strip().rstrip(";").rstrip()
    if source.startswith("{"):
        return parse_js_literal(source)
    function = NUXT_FUNCTION.match(source)
    if not function:
        raise JsSyntaxError("window.__NUXT__ is neither an object nor a function call")
    params = [name.strip() for name in function.group(1).split(",") if name.strip()]
    # One pass with the parameters as placeholders; the arguments follow the returned object.
    text = _to_json(source[function.end():], {name: json.dumps(PLACEHOLDER + name, ensure_ascii=False) for name in params})
    try:
        state, end = JSON.raw_decode(text)
    except (ValueError, RecursionError) as error:
        raise JsSyntaxError(f"window.__NUXT__ returns no literal: {error}") from error
    call = re.match(r"\s*\}\s*\(", text[end:])
    closing = text.rstrip()
    if not call or not closing.endswith("))"):
        raise JsSyntaxError("window.__NUXT__ function is not called")
    args = _json_loads("[" + closing[end + call.end():-2] + "]")
    values = dict(zip(params, args))
    skip = len(PLACEHOLDER)

    def hoisted(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(PLACEHOLDER):
            return values.get(value[skip:])  # a parameter without an argument is undefined
        return value

    return _map_leaves(state, hoisted)


def parse_js_literal(source: str, variables: dict[str, Any] | None = None) -> Any:
    """Parse a JavaScript literal (objects, arrays, strings, numbers, names from ``variables``)."""
    names = {name: json.dumps(value) for name, value in (variables or {}).items()}
    return _json_loads(_to_json(source, names))


def _json_loads(text: str) -> Any:
    try:
        return JSON.decode(text)
    except (ValueError, RecursionError) as error:
        if TRAILING_COMMA.search(text):  # JS allows ``[1,2,]``; rare, so only tried on failure
            return _json_loads(TRAILING_COMMA.sub(r"\1", text))
        raise JsSyntaxError(f"not a JavaScript literal: {error}") from error


def _to_json(source: str, names: dict[str, str]) -> str:
    """Rewrite a JS literal as JSON text; ``names`` maps identifiers to JSON text."""
    def token(match: re.Match) -> str:
        kind = match.lastgroup
        if kind == "string":
            return _json_string(match.group("string"))
        if kind == "number":
            return _json_number(match.group("number"))
        if kind == "numkey":
            return '"' + match.group("numkey") + '"'  # digits need no escaping
        if kind == "void":
            return "null"
        if kind == "name" or kind == "key":
            name = match.group("name")
            if match.group("key"):
                return '"' + name + '":'  # an identifier holds no quote or backslash
            if name in JS_CONSTANTS:
                return JS_CONSTANTS[name]
            if name in names:
                return names[name]
            raise JsSyntaxError(f"unknown name {name!r}")
        raise JsSyntaxError(f"unexpected character {match.group('bad')!r}")

    return JS_TOKEN.sub(token, source)


def _json_number(text: str) -> str:
    if text.startswith(("-.", ".")) or text.endswith(".") or ".e" in text.lower():
        return repr(float(text))
    if len(text) > 1 and text.lstrip("-")[:1] == "0" and text.lstrip("-")[1:2].isdigit():
        return str(int(text))  # JSON forbids leading zeros
    return text


def _json_string(token: str) -> str:
    body = token[1:-1]
    if "\\" not in body:
        return token if token[0] == '"' else json.dumps(body)
    if token[0] == '"' and all(c in JSON_ESCAPES for c in re.findall(r"\\(.)", body, re.DOTALL)):
        return token
    return json.dumps(JS_ESCAPE.sub(_unescape, body))


def _unescape(match: re.Match) -> str:
    escape = match.group(1)
    if escape in JS_SIMPLE_ESCAPES:
        return JS_SIMPLE_ESCAPES[escape]
    if escape[0] == "x" and len(escape) == 3:
        return chr(int(escape[1:], 16))
    if escape.startswith("u{"):
        return chr(min(int(escape[2:-1], 16), 0x10FFFF))
    if escape[0] == "u" and len(escape) == 5:
        return chr(int(escape[1:], 16))
    return escape  # JS allows escaping any character
