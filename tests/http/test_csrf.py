"""Cross-site request forgery: cookie-authenticated writes only from the API's own origin
(CONTRACT §3, SECURITY-TESTS 16)."""

from __future__ import annotations

from typing import Any

import falcon.testing
import pytest

from talentos_core.testing import DEFAULT_PASSWORD
from talentos_http.app import create_app

# One cookie-authenticated write per unsafe method.
WRITES = {
    "POST": ("/api/vacancies", {"title": "Teller"}),
    "PATCH": ("/api/tenants/me", {"tagline": "Forged"}),
    "DELETE": ("/api/vacancies/{vacancy_id}", None),
}
CROSS_SITE = [
    {"Origin": "https://evil.example"},
    {"Origin": "http://falconframework.org.evil.example"},
    {"Origin": "https://falconframework.org"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://falconframework.org"},
]


def _write(api: Any, acme: Any, method: str, headers: dict[str, str]) -> Any:
    path, body = WRITES[method]
    if "{vacancy_id}" in path:
        created = api.client.simulate_post(
            "/api/vacancies", json={"title": "Doomed"}, headers=acme.headers
        )
        path = path.format(vacancy_id=created.json["vacancy"]["id"])
    return api.request(method, path, json=body, headers=headers)


def _state(api: Any, acme: Any) -> Any:
    return (
        api.client.simulate_get("/api/vacancies", headers=acme.headers).json["vacancies"],
        api.client.simulate_get("/api/tenants/me", headers=acme.headers).json["tenant"],
    )


class TestCookieWrites:
    """A browser on another site cannot write with the user's cookie."""

    @pytest.mark.parametrize("method", list(WRITES))
    def test_a_cross_site_cookie_write_is_403_and_changes_nothing(
        self, api: Any, acme: Any, method: str
    ) -> None:
        """A foreign Origin or Sec-Fetch-Site: cross-site is 403 forbidden; nothing changes."""
        path, body = WRITES[method]
        if "{vacancy_id}" in path:
            created = api.client.simulate_post(
                "/api/vacancies", json={"title": "Kept"}, headers=acme.headers
            )
            path = path.format(vacancy_id=created.json["vacancy"]["id"])
        before = _state(api, acme)
        for extra in CROSS_SITE:
            result = api.request(method, path, json=body, headers={**acme.headers, **extra})
            api.assert_error(result, 403, "forbidden")
        assert _state(api, acme) == before

    @pytest.mark.parametrize("method", list(WRITES))
    def test_a_same_origin_cookie_write_passes(self, api: Any, acme: Any, method: str) -> None:
        """The API's own origin (TestClient's host), a same-origin or typed-address fetch, or no
        Origin at all, is let through."""
        same_site = [
            {},
            {"Origin": api.SAME_ORIGIN},
            {"Sec-Fetch-Site": "same-origin"},
            {"Sec-Fetch-Site": "none"},
        ]
        statuses = [
            _write(api, acme, method, {**acme.headers, **extra}).status_code for extra in same_site
        ]
        assert set(statuses) <= {200, 201}, statuses

    def test_the_public_url_is_an_allowed_origin(self, make_talentos: Any) -> None:
        """Behind a proxy, the configured public URL counts as the API's own origin."""
        client = falcon.testing.TestClient(
            create_app(make_talentos(public_url="https://talent.example"))
        )
        signup = client.simulate_post(
            "/api/auth/signup",
            json={
                "companyName": "Acme",
                "adminName": "A",
                "adminEmail": "a@acme.example",
                "password": DEFAULT_PASSWORD,
            },
        )
        cookie = {"Cookie": f"talentos_sid={signup.cookies['talentos_sid'].value}"}
        ok = client.simulate_post(
            "/api/vacancies",
            json={"title": "T"},
            headers={**cookie, "Origin": "https://talent.example"},
        )
        refused = client.simulate_post(
            "/api/vacancies",
            json={"title": "T"},
            headers={**cookie, "Origin": "https://evil.example"},
        )
        assert (ok.status_code, refused.status_code) == (201, 403)

    def test_reads_are_not_blocked_by_a_foreign_origin(self, api: Any, acme: Any) -> None:
        """A GET with a foreign Origin is answered (CORS, not CSRF, governs reading)."""
        result = api.client.simulate_get(
            "/api/vacancies", headers={**acme.headers, "Origin": "https://evil.example"}
        )
        assert result.status_code == 200
        assert "access-control-allow-origin" not in result.headers

    @pytest.mark.parametrize(
        "content_type",
        [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=b",
        ],
    )
    @pytest.mark.parametrize("method", ["POST", "PATCH"])
    def test_a_form_a_browser_could_send_is_415(
        self, api: Any, acme: Any, method: str, content_type: str
    ) -> None:
        """Bodies an HTML form can send without a preflight are 415 on JSON routes."""
        path = "/api/vacancies" if method == "POST" else "/api/tenants/me"
        before = _state(api, acme)
        result = api.request(
            method,
            path,
            body=b'{"title": "x", "tagline": "x"}',
            headers={**acme.headers, "Content-Type": content_type},
        )
        api.assert_error(result, 415, "unsupported_media_type")
        assert _state(api, acme) == before

    @pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
    def test_a_bodyless_route_refuses_a_form_body_too(
        self, api: Any, acme: Any, content_type: str
    ) -> None:
        """A form posted to logout (a route without a body) is 415, and the session lives."""
        result = api.client.simulate_post(
            "/api/auth/logout", body=b"a=b", headers={**acme.headers, "Content-Type": content_type}
        )
        api.assert_error(result, 415, "unsupported_media_type")
        assert api.client.simulate_get("/api/auth/me", headers=acme.headers).status_code == 200


class TestBearerWrites:
    """A Bearer key is never sent by a browser on its own: Origin does not matter."""

    @pytest.mark.parametrize("method", list(WRITES))
    def test_a_bearer_write_with_a_foreign_origin_passes(
        self, api: Any, acme: Any, method: str
    ) -> None:
        """A key-authenticated write succeeds whatever its Origin or Sec-Fetch-Site."""
        key = api.bearer_header(api.mint_key(acme))
        statuses = [_write(api, acme, method, {**key, **extra}).status_code for extra in CROSS_SITE]
        assert set(statuses) <= {200, 201}, statuses
