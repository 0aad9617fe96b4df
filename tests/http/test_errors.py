"""Every error status the contract names that the API can reach today, in one envelope.

CONTRACT §3's table, walked status by status; SECURITY-TESTS 28 (limits), 32 (no traceback,
405) and 19 (login throttling).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs
import pytest

from talentos_core.errors import ValidationError
from talentos_core.roles import Role
from talentos_core.testing import DEFAULT_PASSWORD
from talentos_http.errors import status_of
from talentos_http.jsonio import MAX_BODY_BYTES
from talentos_http.schema import TIME_PROBLEM, structure

ENVELOPE_KEYS = {"ok", "error"}


class TestBadRequests:
    """400: a body that is not JSON, a malformed query, a used one-time token."""

    @pytest.mark.parametrize("raw", [b"{", b"{'a': 1}", b"nul", b"\xff\xfe", b'{"title": "x",}'])
    def test_a_body_that_is_not_json_is_invalid_json(self, api: Any, acme: Any, raw: bytes) -> None:
        """A malformed JSON body is 400 invalid_json."""
        result = api.client.simulate_post(
            "/api/vacancies", body=raw, headers={**acme.headers, "Content-Type": "application/json"}
        )
        api.assert_error(result, 400, "invalid_json")

    @pytest.mark.parametrize(
        "query",
        [
            "limit=abc",
            "offset=-1",
            "limit=0",
            "limit=1&limit=2",
            "offset=1.5",
            "limit=",
            "status=archived",
            "since=yesterday",
        ],
    )
    def test_a_malformed_query_is_bad_request(self, api: Any, acme: Any, query: str) -> None:
        """A query parameter that is not a valid value, or is repeated, is 400 bad_request."""
        path = "/api/audit" if query.startswith("since") else "/api/vacancies"
        result = api.client.simulate_get(path, query_string=query, headers=acme.headers)
        error = api.assert_error(result, 400, "bad_request")
        assert "fields" not in error

    def test_a_used_invite_token_is_invalid_token(self, api: Any, acme: Any) -> None:
        """Accepting an invite twice is 400 invalid_token the second time."""
        invited = api.client.simulate_post(
            "/api/auth/invite",
            headers=acme.headers,
            json={"email": "twice@acme.example", "name": "Twice", "role": "recruiter"},
        )
        token = invited.json["invite"]["inviteUrl"].rsplit("token=", 1)[1]
        body = {"token": token, "password": DEFAULT_PASSWORD}
        assert api.client.simulate_post("/api/auth/accept-invite", json=body).status_code == 200
        second = api.client.simulate_post("/api/auth/accept-invite", json=body)
        api.assert_error(second, 400, "invalid_token")


class TestAuthErrors:
    """401 and 403."""

    def test_no_credential_is_unauthenticated_with_a_challenge(self, api: Any) -> None:
        """A protected route without credentials is 401 with a Bearer WWW-Authenticate."""
        result = api.client.simulate_get("/api/vacancies")
        api.assert_error(result, 401, "unauthenticated")
        assert result.headers["www-authenticate"].startswith("Bearer")

    def test_a_wrong_password_is_invalid_credentials(self, api: Any, acme: Any) -> None:
        """Login with a wrong password is 401 invalid_credentials."""
        api.assert_error(api.login(acme.email, "not the password"), 401, "invalid_credentials")

    def test_unknown_email_and_wrong_password_answer_the_same(self, api: Any, acme: Any) -> None:
        """Login failure says nothing about whether the email exists (SECURITY-TESTS 19)."""
        unknown = api.login("nobody@acme.example", "not the password")
        wrong = api.login(acme.email, "not the password")
        assert (unknown.status_code, unknown.json) == (wrong.status_code, wrong.json)

    def test_a_role_not_allowed_is_forbidden(self, api: Any, acme: Any) -> None:
        """An interviewer patching the tenant is 403 forbidden."""
        headers = api.credential(acme, Role.INTERVIEWER, "cookie")
        result = api.client.simulate_patch(
            "/api/tenants/me", json={"tagline": "x"}, headers=headers
        )
        api.assert_error(result, 403, "forbidden")


class TestNotFoundAndMethods:
    """404 for unknown routes and ids, 405 for methods a route does not have."""

    @pytest.mark.parametrize("path", ["/api/nope", "/api/vacancies/x/y", "/", "/api/auth"])
    def test_an_unknown_route_is_404_in_the_envelope(self, api: Any, path: str) -> None:
        """A path no route serves is 404 not_found, in JSON."""
        result = api.client.simulate_get(path)
        api.assert_error(result, 404, "not_found")
        assert result.headers["content-type"].startswith("application/json")

    def test_an_unknown_id_is_404(self, api: Any, acme: Any) -> None:
        """A vacancy id that does not exist is 404 not_found."""
        result = api.client.simulate_get(
            "/api/vacancies/vac_nothere0000000000", headers=acme.headers
        )
        api.assert_error(result, 404, "not_found")

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("PUT", "/api/vacancies"),
            ("DELETE", "/api/vacancies"),
            ("POST", "/api/tenants/me"),
            ("PUT", "/api/tenants/me"),
            ("GET", "/api/auth/login"),
            ("PATCH", "/api/health"),
        ],
    )
    def test_an_unsupported_method_is_405_with_allow(
        self, api: Any, acme: Any, method: str, path: str
    ) -> None:
        """A method the path does not list is 405 with an Allow header, in the envelope."""
        result = api.request(method, path, headers=acme.headers)
        api.assert_error(result, 405, "method_not_allowed")
        assert method not in result.headers["allow"].replace(" ", "").split(",")


class TestConflicts:
    """409: the state forbids it."""

    def test_signing_up_an_existing_email_in_any_case_is_email_taken(
        self, api: Any, acme: Any
    ) -> None:
        """A second signup with the same email, differently cased, is 409 email_taken."""
        result = api.client.simulate_post(
            "/api/auth/signup",
            json={
                "companyName": "Acme Again",
                "adminName": "A",
                "adminEmail": acme.email.upper(),
                "password": DEFAULT_PASSWORD,
            },
        )
        api.assert_error(result, 409, "email_taken")

    def test_inviting_a_registered_email_is_email_taken(
        self, api: Any, acme: Any, globex: Any
    ) -> None:
        """Inviting someone who already has an account elsewhere is 409 email_taken."""
        result = api.client.simulate_post(
            "/api/auth/invite",
            headers=acme.headers,
            json={"email": globex.email, "name": "G", "role": "recruiter"},
        )
        api.assert_error(result, 409, "email_taken")

    def test_deleting_a_vacancy_with_candidates_is_in_use(self, api: Any, acme: Any) -> None:
        """A vacancy whose applicant count is not zero cannot be deleted: 409 in_use."""
        created = api.client.simulate_post(
            "/api/vacancies", json={"title": "Teller"}, headers=acme.headers
        )
        vacancy_id = created.json["vacancy"]["id"]
        # No candidate route exists yet: give it an applicant the way the core would.
        with api.talentos.store.transaction() as uow:
            vacancy = uow.vacancies.get(acme.tenant_id, vacancy_id)
            uow.vacancies.update(attrs.evolve(vacancy, applicants=1))
        result = api.client.simulate_delete(f"/api/vacancies/{vacancy_id}", headers=acme.headers)
        api.assert_error(result, 409, "in_use")
        assert (
            api.client.simulate_get(
                f"/api/vacancies/{vacancy_id}", headers=acme.headers
            ).status_code
            == 200
        )


class TestBodyLimits:
    """413 past 1 MiB, 415 for anything but JSON (CONTRACT §3, SECURITY-TESTS 28)."""

    @staticmethod
    def _padded(size: int) -> bytes:
        core = b'{"title": "Teller"}'
        return core + b" " * (size - len(core))

    def test_a_body_of_one_mebibyte_plus_one_byte_is_413(self, api: Any, acme: Any) -> None:
        """MAX_BODY_BYTES + 1 bytes of JSON is 413 payload_too_large and creates nothing."""
        result = api.client.simulate_post(
            "/api/vacancies",
            body=self._padded(MAX_BODY_BYTES + 1),
            headers={**acme.headers, "Content-Type": "application/json"},
        )
        api.assert_error(result, 413, "payload_too_large")
        listed = api.client.simulate_get("/api/vacancies", headers=acme.headers)
        assert listed.json["total"] == 0

    def test_a_body_of_exactly_one_mebibyte_passes_the_size_check(
        self, api: Any, acme: Any
    ) -> None:
        """Exactly MAX_BODY_BYTES bytes of JSON is accepted (201)."""
        assert MAX_BODY_BYTES == 1024 * 1024
        result = api.client.simulate_post(
            "/api/vacancies",
            body=self._padded(MAX_BODY_BYTES),
            headers={**acme.headers, "Content-Type": "application/json"},
        )
        assert result.status_code == 201, result.text

    def test_an_oversized_body_on_a_public_route_is_413(self, api: Any) -> None:
        """The limit holds before authentication too: a huge signup body is 413."""
        result = api.client.simulate_post(
            "/api/auth/login",
            body=b" " * (MAX_BODY_BYTES + 1),
            headers={"Content-Type": "application/json"},
        )
        api.assert_error(result, 413, "payload_too_large")

    @pytest.mark.parametrize(
        "content_type",
        [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "application/xml",
            "application/json-patch+json",
        ],
    )
    def test_a_body_that_is_not_json_is_415(self, api: Any, acme: Any, content_type: str) -> None:
        """A body sent with any type but application/json is 415 unsupported_media_type."""
        result = api.client.simulate_post(
            "/api/vacancies",
            body=b'{"title": "Teller"}',
            headers={**acme.headers, "Content-Type": content_type},
        )
        api.assert_error(result, 415, "unsupported_media_type")

    def test_a_charset_parameter_is_still_json(self, api: Any, acme: Any) -> None:
        """`application/json; charset=utf-8` is JSON."""
        result = api.client.simulate_post(
            "/api/vacancies",
            body=b'{"title": "Teller"}',
            headers={**acme.headers, "Content-Type": "application/json; charset=utf-8"},
        )
        assert result.status_code == 201


class TestValidationErrors:
    """422 names each field."""

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "T", "level": "guru"}, "level"),
            ({"title": "T", "extra": 1}, "extra"),
            ({}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"title": "T", "skills": ["x" * 61]}, "skills"),
        ],
    )
    def test_a_rule_broken_is_422_naming_the_field(
        self, api: Any, acme: Any, body: dict[str, Any], field: str
    ) -> None:
        """A missing, empty, too long, unknown or out-of-range value is named in `fields`."""
        result = api.client.simulate_post("/api/vacancies", headers=acme.headers, json=body)
        error = api.assert_error(result, 422, "validation_error")
        assert list(error["fields"]) == [field]
        assert isinstance(error["fields"][field], str)

    @pytest.mark.parametrize("body", [[], "x", 1, None])
    def test_a_body_that_is_not_an_object_is_422(self, api: Any, acme: Any, body: Any) -> None:
        """JSON that is not an object is well-formed but wrong: 422."""
        result = api.client.simulate_post("/api/vacancies", headers=acme.headers, json=body)
        api.assert_error(result, 422, "validation_error")

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("title", 1),
            ("skills", "python"),
            ("status", True),
            ("skills", [1]),
        ],
    )
    def test_types_are_not_coerced(self, api: Any, acme: Any, field: str, value: Any) -> None:
        """A value of the wrong JSON type is 422 for that field, never coerced."""
        body = {"title": "Teller", field: value}
        result = api.client.simulate_post("/api/vacancies", headers=acme.headers, json=body)
        error = api.assert_error(result, 422, "validation_error")
        assert any(name.startswith(field) for name in error["fields"])


@attrs.frozen
class _Timed:
    """A body with a time in it (no route takes one yet; interviews will)."""

    at: datetime


class TestTimesInBodies:
    """A time in a JSON body is judged by the same parser as a query's, as a 422."""

    @pytest.mark.parametrize(
        "value",
        [
            "9999-12-31T23:59:59-01:00",
            "0001-01-01T00:00:00+01:00",
            "10000-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z\x00junk",
            "2026-01-01T00:00:00",
        ],
    )
    def test_a_time_that_does_not_fit_in_utc_is_422_naming_the_field(self, value: str) -> None:
        """A body time past years 1-9999 once in UTC, with a NUL, or without an offset is a
        422 validation error that names the field and says what a time must be."""
        with pytest.raises(ValidationError) as caught:
            structure({"at": value}, _Timed)
        assert caught.value.fields == {"at": TIME_PROBLEM}
        assert status_of(caught.value) == 422

    def test_a_time_at_the_end_of_the_range_is_taken(self) -> None:
        """The last microsecond of year 9999, written with a positive offset, is a time."""
        taken = structure({"at": "9999-12-31T23:59:59.999999+01:00"}, _Timed)
        assert taken.at.isoformat() == "9999-12-31T22:59:59.999999+00:00"


class TestRateLimits:
    """429 with Retry-After on login throttling (CONTRACT §4, SECURITY-TESTS 19)."""

    def test_the_sixth_attempt_after_five_failures_is_429_even_with_the_right_password(
        self, api: Any, acme: Any
    ) -> None:
        """Five failures lock the email: the right password then gets 429 with Retry-After."""
        for _ in range(5):
            api.assert_error(api.login(acme.email, "wrong password!"), 401, "invalid_credentials")
        result = api.login(acme.email)
        api.assert_error(result, 429, "rate_limited")
        assert 0 < int(result.headers["retry-after"]) <= 15 * 60 + 1

    def test_case_and_space_variants_of_the_email_share_one_count(
        self, api: Any, acme: Any
    ) -> None:
        """Failures spread over differently written forms of one email lock that account."""
        variants = [
            acme.email.upper(),
            f" {acme.email}",
            acme.email.title(),
            acme.email,
            f"{acme.email} ",
        ]
        for email in variants:
            api.assert_error(api.login(email, "wrong password!"), 401, "invalid_credentials")
        api.assert_error(api.login(acme.email), 429, "rate_limited")

    def test_the_lock_lifts_when_the_window_passes(self, api: Any, acme: Any, clock: Any) -> None:
        """After Retry-After seconds the right password signs in again."""
        for _ in range(5):
            api.login(acme.email, "wrong password!")
        retry_after = int(api.login(acme.email).headers["retry-after"])
        clock.advance(seconds=retry_after)
        assert api.login(acme.email).status_code == 200

    def test_a_success_before_the_fifth_failure_clears_the_count(self, api: Any, acme: Any) -> None:
        """Four failures, a success, then four failures more: still no lock."""
        for _ in range(4):
            api.login(acme.email, "wrong password!")
        assert api.login(acme.email).status_code == 200
        for _ in range(4):
            api.login(acme.email, "wrong password!")
        assert api.login(acme.email).status_code == 200


class TestLimits:
    """Page sizes: default 50, clamped at 200, 0 refused (CONTRACT §3)."""

    @pytest.mark.parametrize(
        ("query", "limit"), [("", 50), ("limit=500", 200), ("limit=200", 200), ("limit=1", 1)]
    )
    def test_the_limit_answered(self, api: Any, acme: Any, query: str, limit: int) -> None:
        """The list answers the limit it applied."""
        result = api.client.simulate_get("/api/vacancies", query_string=query, headers=acme.headers)
        assert (result.status_code, result.json["limit"], result.json["offset"]) == (200, limit, 0)

    def test_limit_and_offset_page_through(self, api: Any, acme: Any) -> None:
        """Three vacancies read two at a time: two, then one, with total 3 each time."""
        for title in ("A", "B", "C"):
            api.client.simulate_post("/api/vacancies", json={"title": title}, headers=acme.headers)
        pages = [
            api.client.simulate_get(
                "/api/vacancies", params={"limit": 2, "offset": o}, headers=acme.headers
            ).json
            for o in (0, 2)
        ]
        assert [(len(p["vacancies"]), p["total"]) for p in pages] == [(2, 3), (1, 3)]
        ids = [v["id"] for p in pages for v in p["vacancies"]]
        assert len(set(ids)) == 3


class TestUnexpectedErrors:
    """A bug answers 500 in the envelope, saying nothing about the code (SECURITY-TESTS 32)."""

    def test_a_forced_500_has_no_traceback_or_exception_text(
        self, api: Any, acme: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A RuntimeError inside a service is 500 internal_error with a generic message."""

        def explode(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret detail in /srv/talentos/db.py line 42")

        monkeypatch.setattr(api.talentos.vacancies, "list", explode)
        result = api.client.simulate_get("/api/vacancies", headers=acme.headers)
        assert result.status_code == 500
        assert set(result.json) == ENVELOPE_KEYS
        assert result.json["error"]["code"] == "internal_error"
        for leak in ("Traceback", "RuntimeError", "secret detail", ".py", "line 42"):
            assert leak not in result.text
        assert result.headers["x-content-type-options"] == "nosniff"
        assert result.headers["cache-control"] == "no-store"
        assert result.headers["x-request-id"]
