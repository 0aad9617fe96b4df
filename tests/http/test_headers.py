"""Headers every response carries, whatever its status (CONTRACT §3, SECURITY-TESTS 32)."""

from __future__ import annotations

import re
from typing import Any

import pytest

# (method, path, authenticated, body) → one response of each kind.
KINDS = {
    "success": ("GET", "/api/vacancies", True, None),
    "created": ("POST", "/api/vacancies", True, {"title": "Teller"}),
    "public": ("GET", "/api/careers/vacancies", False, None),
    "html": ("GET", "/docs", False, None),
    "unauthenticated": ("GET", "/api/vacancies", False, None),
    "validation": ("POST", "/api/vacancies", True, {"title": ""}),
    "unknown route": ("GET", "/api/nothing-here", False, None),
    "unknown id": ("GET", "/api/vacancies/vac_nothere0000000000", True, None),
    "method": ("PUT", "/api/vacancies", True, None),
}
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def _send(api: Any, acme: Any, kind: str, **headers: str) -> Any:
    method, path, authenticated, body = KINDS[kind]
    sent = {**(acme.headers if authenticated else {}), **headers}
    return api.request(method, path, json=body, headers=sent)


class TestSecurityHeaders:
    """nosniff, no-store and a request id on success, 4xx, 404 and 405 alike."""

    @pytest.mark.parametrize("kind", list(KINDS))
    def test_every_response_has_the_safety_headers(self, api: Any, acme: Any, kind: str) -> None:
        """X-Content-Type-Options nosniff, Cache-Control no-store and an X-Request-Id."""
        result = _send(api, acme, kind)
        assert result.headers["x-content-type-options"] == "nosniff"
        assert result.headers["cache-control"] == "no-store"
        assert REQUEST_ID.fullmatch(result.headers["x-request-id"])

    def test_the_kinds_above_really_are_different_statuses(self, api: Any, acme: Any) -> None:
        """The walk above covers 200, 201, 401, 404, 405 and 422."""
        statuses = {_send(api, acme, kind).status_code for kind in KINDS}
        assert statuses == {200, 201, 401, 404, 405, 422}

    def test_json_responses_say_so(self, api: Any, acme: Any) -> None:
        """A JSON answer, success or error, is application/json."""
        for kind in ("success", "unauthenticated", "unknown route", "method"):
            assert _send(api, acme, kind).headers["content-type"] == "application/json"


class TestRequestIds:
    """An incoming X-Request-Id is echoed if well-formed, replaced otherwise."""

    @pytest.mark.parametrize("kind", ["success", "unknown route", "method", "unauthenticated"])
    def test_a_valid_request_id_is_echoed(self, api: Any, acme: Any, kind: str) -> None:
        """At most 128 characters of [A-Za-z0-9._-] come back unchanged."""
        valid = ["abc", "req-1.2_3", "A" * 128]
        echoed = [
            _send(api, acme, kind, **{"X-Request-Id": incoming}).headers["x-request-id"]
            for incoming in valid
        ]
        assert echoed == valid

    def test_an_invalid_request_id_is_replaced(self, api: Any, acme: Any) -> None:
        """Anything else (too long, spaces, other characters, empty) is replaced by a fresh
        well-formed id."""
        for incoming in ["A" * 129, "has space", "semi;colon", "é", "a/b", ""]:
            answered = _send(api, acme, "success", **{"X-Request-Id": incoming}).headers[
                "x-request-id"
            ]
            assert answered != incoming
            assert REQUEST_ID.fullmatch(answered)

    def test_each_request_gets_its_own_id(self, api: Any, acme: Any) -> None:
        """Without an incoming id, two requests get two different ids."""
        ids = {_send(api, acme, "success").headers["x-request-id"] for _ in range(2)}
        assert len(ids) == 2

    def test_the_request_id_lands_on_the_audit_event(self, api: Any, acme: Any) -> None:
        """The id a write answered with is the audit event's requestId."""
        result = _send(api, acme, "created", **{"X-Request-Id": "trace-42"})
        vacancy_id = result.json["vacancy"]["id"]
        events = api.client.simulate_get("/api/audit", headers=acme.headers).json["events"]
        created = next(
            e for e in events if e["entityId"] == vacancy_id and e["type"] == "vacancy.created"
        )
        assert created["requestId"] == "trace-42"
