"""Fuzzing the request decoding: arbitrary JSON bodies, content types and query strings, and
the edge values of every query type on every route, never make a 500 (SECURITY-TESTS 35,
CONTRACT §3)."""

from __future__ import annotations

import json
import types
import typing
import urllib.parse
from datetime import datetime
from typing import Any, Union

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentos_core.naming import camel
from talentos_http.resources import ROUTES
from talentos_http.routing import QUERY_INTEGER_DIGITS, Route

ERRORS = {400, 413, 415, 422}
TARGETS = [("POST", "/api/vacancies", 201), ("PATCH", "/api/tenants/me", 200)]
TARGET_IDS = [f"{method} {path}" for method, path, _ in TARGETS]
FIELDS = [
    "title",
    "description",
    "location",
    "level",
    "employmentType",
    "skills",
    "status",
    "subsidiaryId",
    "internalNotes",
    "name",
    "tagline",
    "brandColor",
    "logoUrl",
    "monthlyBudgetUsd",
    "applicants",
    "tenantId",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(
        [
            "open",
            "senior",
            "full_time",
            "#123456",
            "https://x.example/a",
            "",
            "\u0000",
            "\u202e",
            "😀",
        ]
    )
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
OBJECTS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), VALUES, max_size=5)
RAW = st.binary(max_size=200) | st.sampled_from(
    [
        b'{"title": "\\ud800"}',
        b'{"title": "\\udfff\\ud800"}',
        b"[" * 2000,
        b'{"a":' * 600,
        b'{"title": 1e400}',
        b'{"monthlyBudgetUsd": 1e308}',
        b'{"title": "a", "title": "b"}',
        b'\xef\xbb\xbf{"title": "bom"}',
        b'{"title": "T"} trailing',
        b'{"title": NaN}',
        b'{"monthlyBudgetUsd": -0.0}',
        b'"just a string"',
        b"123456789012345678901234567890",
    ]
)


def _assert_contract(result: Any, success: int) -> None:
    assert result.status_code in ERRORS | {success}, (result.status_code, result.text)
    body = result.json
    if result.status_code == success:
        assert body["ok"] is True
        return
    assert set(body) == {"ok", "error"}
    assert body["ok"] is False
    assert set(body["error"]) - {"fields"} == {"code", "message"}
    assert isinstance(body["error"]["message"], str)
    if body["error"]["code"] == "validation_error":
        fields = body["error"]["fields"]
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items())
    else:
        assert "fields" not in body["error"]


class TestArbitraryBodies:
    """Whatever the body, the answer is a success or a 400/413/415/422 in the envelope."""

    @pytest.mark.parametrize(("method", "path", "success"), TARGETS, ids=TARGET_IDS)
    @settings(max_examples=40)
    @given(raw=RAW)
    def test_arbitrary_bytes(
        self, api: Any, acme: Any, method: str, path: str, success: int, raw: bytes
    ) -> None:
        """Random bytes labelled application/json never cause a 500."""
        result = api.request(
            method, path, body=raw, headers={**acme.headers, "Content-Type": "application/json"}
        )
        _assert_contract(result, success)

    @pytest.mark.parametrize(("method", "path", "success"), TARGETS, ids=TARGET_IDS)
    @settings(max_examples=60)
    @given(body=OBJECTS | VALUES)
    def test_arbitrary_json_values(
        self, api: Any, acme: Any, method: str, path: str, success: int, body: Any
    ) -> None:
        """Random JSON documents, mostly objects with the routes' own field names, never cause
        a 500."""
        raw = json.dumps(body).encode()
        result = api.request(
            method, path, body=raw, headers={**acme.headers, "Content-Type": "application/json"}
        )
        _assert_contract(result, success)

    @pytest.mark.parametrize(("method", "path", "success"), TARGETS, ids=TARGET_IDS)
    @settings(max_examples=15)
    @given(content_type=st.text(max_size=40).filter(lambda t: t.isascii() and t.isprintable()))
    def test_arbitrary_content_types(
        self, api: Any, acme: Any, method: str, path: str, success: int, content_type: str
    ) -> None:
        """A random Content-Type with a JSON body never causes a 500."""
        result = api.request(
            method,
            path,
            body=b'{"title": "T"}',
            headers={**acme.headers, "Content-Type": content_type},
        )
        _assert_contract(result, success)


QUERY_ROUTES = [route for route in ROUTES if route.method == "GET" and route.query]
LISTS = [route.path for route in QUERY_ROUTES]


def _kind(hint: Any) -> str:
    """``int``, ``time`` or ``text``: what the query parser makes of a field with this hint."""
    members = typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else ()
    kind = next((m for m in members if m is not type(None)), hint)
    return {int: "int", datetime: "time"}.get(kind, "text")


def query_parameters(route: Route) -> list[tuple[str, str]]:
    """``(name, kind)`` of every query parameter ``route`` takes, from its query types."""
    found = []
    for kind in route.query:
        hints = typing.get_type_hints(kind)
        found.extend((camel(a.name), _kind(hints[a.name])) for a in attrs.fields(kind))
    return found


#: ``(route path, parameter, kind)`` for every query parameter of every GET route.
PARAMETERS = [(route.path, *pair) for route in QUERY_ROUTES for pair in query_parameters(route)]

#: Times at the ends of what a ``datetime`` holds, with offsets that push them over, and
#: times that are not ISO 8601 with an offset at all.
TIME_EDGES: list[str | bytes] = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00-23:59",
    "0001-01-01T00:00:00+00:01",
    "0001-01-01T00:00:00+23:59:59.999999",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59.999999+23:59",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999-00:00:00.000001",
    "0000-01-01T00:00:00Z",
    "10000-01-01T00:00:00Z",
    "-0001-01-01T00:00:00Z",
    "2026-02-30T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "2026-01-01T00:00:00+24:00",
    "2026-01-01T00:00:00",
    "2026-01-01",
    "2026-W01-1T00:00Z",
    "2026-01-01T00:00:00Z\x00",
    "2026-01-01T00:00:00." + "9" * 500 + "Z",
]
#: Integers at and over the parser's digit bound and the 64-bit bounds, and near misses.
INTEGER_EDGES: list[str | bytes] = [
    "0",
    "-0",
    "1",
    "-1",
    "200",
    "201",
    "9" * QUERY_INTEGER_DIGITS,
    "-" + "9" * QUERY_INTEGER_DIGITS,
    "1" + "0" * QUERY_INTEGER_DIGITS,
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 400,
    "+1",
    " 1",
    "1 ",
    "1e3",
    "0x10",
    "1_000",
    "\uff11",  # FULLWIDTH DIGIT ONE
    "\u0661\u0662",  # ARABIC-INDIC DIGITS ONE, TWO
]
#: Text: empty, blank, at and over length rules, very long, control characters, odd Unicode
#: (bidi override, BOM, combining marks, case folds that change length, the last code
#: point), SQL and LIKE metacharacters, and bytes that are not UTF-8 (an encoded surrogate).
TEXT_EDGES: list[str | bytes] = [
    "",
    " ",
    "x" * 200,
    "x" * 201,
    "x" * 20_000,
    "\x00",
    "a\x00b",
    "\r\n",
    "\t",
    "\x7f",
    "\u202e",
    "\ufeff",
    "e\u0301",
    "ß" * 150,
    "İ" * 150,
    "😀",
    "\uffff",
    "\U0010ffff",
    "%",
    "_",
    "\\",
    "'; DROP TABLE vacancies; --",
    b"\xed\xa0\x80",
    b"\xff\xfe",
    b"\xc0\x80",
]
EDGES = {"time": TIME_EDGES, "int": INTEGER_EDGES, "text": TEXT_EDGES}


def _query_string(name: str, value: str | bytes) -> str:
    return f"{name}={urllib.parse.quote(value, safe='')}"


def _assert_200_or_400_naming(result: Any, name: str) -> None:
    assert result.status_code in (200, 400), (result.status_code, result.text)
    if result.status_code == 400:
        assert result.json["error"]["code"] == "bad_request"
        assert f" {name} " in result.json["error"]["message"], result.json
    else:
        assert result.json["ok"] is True
        assert result.json["limit"] <= 200


class TestQueryEdgeValues:
    """Edge values of every query type, sent to every parameter of every GET route that takes a
    query: the answer is 200, or 400 ``bad_request`` naming the parameter, never a 5xx."""

    @pytest.mark.parametrize(
        ("path", "name", "kind"), PARAMETERS, ids=[f"{p} {n}" for p, n, _ in PARAMETERS]
    )
    def test_edges_of_every_type_never_cause_a_5xx(
        self, api: Any, acme: Any, path: str, name: str, kind: str
    ) -> None:
        """The parameter's own type's edges, then every other type's, answer 200 or a 400 that
        names the parameter."""
        values = EDGES[kind] + [v for k, vs in EDGES.items() if k != kind for v in vs]
        for value in values:
            result = api.client.simulate_get(
                path, query_string=_query_string(name, value), headers=acme.headers
            )
            _assert_200_or_400_naming(result, name)

    @pytest.mark.parametrize(
        ("value", "status"),
        [
            ("0001-01-01T00:00:00Z", 200),
            ("0001-01-01T00:00:00-23:59", 200),
            ("9999-12-31T23:59:59.999999Z", 200),
            ("9999-12-31T23:59:59+01:00", 200),
            ("9999-12-31T23:59:59-01:00", 400),
            ("0001-01-01T00:00:00+00:01", 400),
            ("0000-01-01T00:00:00Z", 400),
            ("10000-01-01T00:00:00Z", 400),
            ("2026-01-01T00:00:00Z\x00", 400),
        ],
    )
    def test_a_time_is_taken_exactly_when_it_fits_in_utc(
        self, api: Any, acme: Any, value: str, status: int
    ) -> None:
        """`since` accepts any time within years 1-9999 once moved to UTC; past either end, it
        is 400 naming `since`."""
        result = api.client.simulate_get(
            "/api/audit", query_string=_query_string("since", value), headers=acme.headers
        )
        assert result.status_code == status, result.text
        if status == 400:
            assert result.json["error"]["message"].startswith("Query parameter since ")

    @pytest.mark.parametrize(("path", "name"), [(p, n) for p, n, k in PARAMETERS if k == "text"])
    def test_a_nul_in_text_is_400_naming_the_parameter(
        self, api: Any, acme: Any, path: str, name: str
    ) -> None:
        """A NUL character in any text parameter is refused by name (no store need hold it)."""
        result = api.client.simulate_get(
            path, query_string=_query_string(name, "a\x00b"), headers=acme.headers
        )
        error = api.assert_error(result, 400, "bad_request")
        assert error["message"].startswith(f"Query parameter {name} ")


PARAMETER_NAMES = st.sampled_from(sorted({name for _, name, _ in PARAMETERS})) | st.text(max_size=6)
QUERY_VALUES = (
    st.text(max_size=12)
    | st.integers(-(2**70), 2**70).map(str)
    | st.sampled_from(
        ["open", "2026-01-01T00:00:00Z", "2026-13-45T99:00:00+25:00", "%", "_", "\\", "1e3", "0x10"]
    )
    | st.sampled_from([v for vs in EDGES.values() for v in vs if isinstance(v, str)])
)
QUERIES = st.lists(st.tuples(PARAMETER_NAMES, QUERY_VALUES), max_size=4)


class TestArbitraryQueries:
    """Whatever the query string, a list answers 200 or 400 in the envelope."""

    @pytest.mark.parametrize("path", LISTS)
    @settings(max_examples=25)
    @given(pairs=QUERIES)
    def test_arbitrary_query_strings(
        self, api: Any, acme: Any, path: str, pairs: list[tuple[str, str]]
    ) -> None:
        """Random parameters and values (repeated, unknown, huge, malformed) never cause a 500."""
        result = api.client.simulate_get(path, params=dict(pairs) or None, headers=acme.headers)
        assert result.status_code in (200, 400), result.text
        if result.status_code == 400:
            assert result.json["error"]["code"] == "bad_request"
        else:
            assert result.json["limit"] <= 200
