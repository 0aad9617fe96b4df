"""The session cookie: its attributes, its lifetime, and its end (CONTRACT §4, SECURITY-TESTS
12, 13, 14)."""

from __future__ import annotations

import re
from typing import Any

import falcon.testing
import pytest

from talentos_core.testing import DEFAULT_PASSWORD
from talentos_http.app import create_app

SIGNUP = {
    "companyName": "Acme Bank",
    "adminName": "Ada",
    "adminEmail": "ada@acme.example",
    "password": DEFAULT_PASSWORD,
}


def _set_cookie(result: Any) -> str:
    header = result.headers["set-cookie"]
    assert header.startswith("talentos_sid=")
    return str(header)


def _attributes(header: str) -> dict[str, str]:
    """Set-Cookie attributes by lower-cased name (the first part, name=value, left out)."""
    parts = [part.strip() for part in header.split(";")[1:]]
    return {k.lower(): v for k, _, v in (part.partition("=") for part in parts)}


class TestCookieAttributes:
    """HttpOnly, SameSite=Lax, Path=/, 14 days, no Domain; Secure only behind https."""

    @pytest.mark.parametrize("public_url", [None, "http://talent.example:8080"])
    def test_on_plain_http_the_cookie_is_not_secure(
        self, make_talentos: Any, public_url: str | None
    ) -> None:
        """Signup's Set-Cookie has every required attribute and no Secure, no Domain."""
        client = falcon.testing.TestClient(create_app(make_talentos(public_url=public_url)))
        attributes = _attributes(_set_cookie(client.simulate_post("/api/auth/signup", json=SIGNUP)))
        assert attributes == {"httponly": "", "samesite": "Lax", "path": "/", "max-age": "1209600"}

    def test_behind_https_the_cookie_is_secure(self, make_talentos: Any) -> None:
        """With an https public URL the cookie also carries Secure."""
        talentos = make_talentos(public_url="https://talent.example")
        client = falcon.testing.TestClient(create_app(talentos))
        attributes = _attributes(_set_cookie(client.simulate_post("/api/auth/signup", json=SIGNUP)))
        assert attributes == {
            "httponly": "",
            "samesite": "Lax",
            "path": "/",
            "max-age": "1209600",
            "secure": "",
        }

    @pytest.mark.parametrize("route", ["login", "accept-invite"])
    def test_every_sign_in_sets_the_same_attributes(self, api: Any, acme: Any, route: str) -> None:
        """Login and accepting an invite set the cookie exactly as signup does."""
        if route == "login":
            result = api.login(acme.email)
        else:
            invited = api.client.simulate_post(
                "/api/auth/invite",
                headers=acme.headers,
                json={"email": "new@acme.example", "name": "New", "role": "recruiter"},
            )
            token = invited.json["invite"]["inviteUrl"].rsplit("token=", 1)[1]
            result = api.client.simulate_post(
                "/api/auth/accept-invite", json={"token": token, "password": DEFAULT_PASSWORD}
            )
        assert _attributes(_set_cookie(result)) == {
            "httponly": "",
            "samesite": "Lax",
            "path": "/",
            "max-age": "1209600",
        }

    def test_the_session_id_has_at_least_128_bits(self, acme: Any) -> None:
        """The cookie value is 64 hex characters: 256 random bits."""
        assert re.fullmatch(r"[0-9a-f]{64}", acme.cookie)


class TestSessionLifecycle:
    """New id per login, server-side logout, no fixation, a 14-day absolute limit."""

    def test_each_login_issues_a_new_session_id(self, api: Any, acme: Any) -> None:
        """Two logins give two different cookies, both different from signup's."""
        first, second = api.login_cookie(acme.email), api.login_cookie(acme.email)
        assert len({acme.cookie, first, second}) == 3

    def test_logout_ends_the_session_on_the_server(self, api: Any, acme: Any) -> None:
        """After logout the old cookie value, replayed, is 401."""
        result = api.client.simulate_post("/api/auth/logout", headers=acme.headers)
        assert result.status_code == 200
        assert result.cookies["talentos_sid"].value == ""
        replay = api.client.simulate_get("/api/auth/me", headers=acme.headers)
        api.assert_error(replay, 401, "unauthenticated")

    def test_logout_ends_only_that_session(self, api: Any, acme: Any) -> None:
        """Another session of the same user stays signed in."""
        other = api.cookie_header(api.login_cookie(acme.email))
        api.client.simulate_post("/api/auth/logout", headers=acme.headers)
        assert api.client.simulate_get("/api/auth/me", headers=other).status_code == 200

    def test_logging_in_with_an_old_cookie_ends_the_old_session(self, api: Any, acme: Any) -> None:
        """A login presenting a session cookie replaces it: the old value is 401 afterwards."""
        result = api.login(acme.email, headers=acme.headers)
        fresh = api.session_cookie(result)
        assert fresh != acme.cookie
        api.assert_error(
            api.client.simulate_get("/api/auth/me", headers=acme.headers), 401, "unauthenticated"
        )
        assert (
            api.client.simulate_get("/api/auth/me", headers=api.cookie_header(fresh)).status_code
            == 200
        )

    def test_a_planted_session_id_is_never_adopted(self, api: Any, acme: Any) -> None:
        """An attacker-chosen cookie sent with a login is not the session issued, nor valid."""
        planted = api.cookie_header("a" * 64)
        fresh = api.session_cookie(api.login(acme.email, headers=planted))
        assert fresh != "a" * 64
        assert api.client.simulate_get("/api/auth/me", headers=planted).status_code == 401

    def test_a_session_expires_fourteen_days_after_login_however_active(
        self, api: Any, acme: Any, clock: Any
    ) -> None:
        """Daily use for 13 days keeps it alive; at 14 days it is 401 all the same."""
        for _ in range(13):
            clock.advance(days=1)
            assert api.client.simulate_get("/api/auth/me", headers=acme.headers).status_code == 200
        clock.advance(days=1)
        api.assert_error(
            api.client.simulate_get("/api/auth/me", headers=acme.headers), 401, "unauthenticated"
        )

    def test_a_session_is_valid_until_just_before_fourteen_days(
        self, api: Any, acme: Any, clock: Any
    ) -> None:
        """One second before the limit the cookie still works."""
        clock.advance(days=14, seconds=-1)
        assert api.client.simulate_get("/api/auth/me", headers=acme.headers).status_code == 200

    def test_me_answers_the_signed_in_user(self, api: Any, acme: Any) -> None:
        """GET /api/auth/me is the cookie's user, without secrets."""
        user = api.client.simulate_get("/api/auth/me", headers=acme.headers).json["user"]
        assert (user["email"], user["role"], user["tenantId"]) == (
            acme.email,
            "admin",
            acme.tenant_id,
        )
        assert "passwordHash" not in user

    def test_a_login_answers_the_tenant_and_user_without_secrets(self, api: Any, acme: Any) -> None:
        """The login body names the tenant and user and never a password hash."""
        result = api.login(acme.email)
        assert result.json["tenant"]["id"] == acme.tenant_id
        assert "passwordHash" not in result.text
        assert "$argon2" not in result.text
