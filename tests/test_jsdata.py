"""Decoders of framework data: Next.js flight chunks and Nuxt 2 state."""

import json

import pytest

from newsbot.pages.jsdata import (
    JsSyntaxError,
    find_content_record,
    flight_payload,
    flight_rows,
    nuxt_state,
    parse_js_literal,
    resolve_flight_text,
)


def push(piece):
    return "self.__next_f.push(%s)" % json.dumps([1, piece])


def test_flight_rows_survive_chunks_split_mid_row_and_text_rows():
    payload = ('1:I[4021,["static/chunks/1.js"],"default"]\n'
               '5:["$","$L6",null,{"content":{"slug":"13099992","title":"Türkiye","description":"$7"}}]\n'
               '7:T7,héllo\n8:["$","p",null,{}]\n')
    scripts = ["self.__next_f.push([0])", push(payload[:20]), push(payload[20:75]), push(payload[75:])]
    joined = flight_payload(scripts)
    assert joined == payload
    rows = flight_rows(joined)
    assert rows["7"] == "héllo\n"  # T rows are measured in UTF-8 bytes
    record = find_content_record(resolve_flight_text(rows["5"], rows), "13099992")
    assert record == {"slug": "13099992", "title": "Türkiye", "description": "héllo\n"}


def test_flight_content_must_match_the_slug():
    rows = flight_rows('5:{"content":{"slug":"other","title":"x"}}\n')
    assert find_content_record(rows, "13099992") is None


def test_flight_ignores_garbage():
    assert flight_payload(["self.__next_f.push([1,broken", "var x = 1;"]) == ""
    assert flight_rows("not rows at all\n5:{broken json\n") == {}


def test_nuxt_iife_with_hoisted_values():
    script = ('window.__NUXT__=(function(a,b,c,d){return {layout:"default",data:[{content:'
              '{id:17811425,title:"A \\u002F b",x:a,y:[b,c],z:void 0,"q":d,e:\'it\\\'s\'}}],'
              'routePath:"\\u002Fmiddle-east"}}(null,"Home Page",false,-1.5));')
    state = nuxt_state(script)
    assert state["data"][0]["content"] == {"id": 17811425, "title": "A / b", "x": None,
                                           "y": ["Home Page", False], "z": None, "q": -1.5, "e": "it's"}
    assert state["routePath"] == "/middle-east"


def test_nuxt_plain_object():
    assert nuxt_state('window.__NUXT__={"data":[{"content":{"id":1}}]};') == {"data": [{"content": {"id": 1}}]}


@pytest.mark.parametrize("script", [
    "window.__NUXT__=",
    "window.__NUXT__=(function(a){return {x:a}",
    "window.__NUXT__=new Foo()",
    "var x = 1",
    'window.__NUXT__={a:"unterminated}',
])
def test_nuxt_errors_are_js_syntax_errors(script):
    with pytest.raises(JsSyntaxError):
        nuxt_state(script)


def test_js_literal_numbers_and_names():
    assert parse_js_literal("[1, 2.5, -3, 1e3, true, null, undefined, x]", {"x": "y"}) == [1, 2.5, -3, 1000.0, True, None, None, "y"]
