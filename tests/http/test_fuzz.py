"""Fuzzing the request decoding: arbitrary JSON bodies, content types and query strings never
make a 500 (SECURITY-TESTS 35, CONTRACT §3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentos_http.resources import ROUTES

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


LISTS = [route.path for route in ROUTES if route.method == "GET" and route.query]
PARAMETER_NAMES = st.sampled_from(
    ["limit", "offset", "q", "status", "since", "type", "subsidiaryId", "tenant", "location"]
) | st.text(max_size=6)
QUERY_VALUES = (
    st.text(max_size=12)
    | st.integers(-(2**70), 2**70).map(str)
    | st.sampled_from(
        ["open", "2026-01-01T00:00:00Z", "2026-13-45T99:00:00+25:00", "%", "_", "\\", "1e3", "0x10"]
    )
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
