"""Invitations over HTTP: role caps, single use, the accept page (CONTRACT §4, SECURITY-TESTS
23)."""

from __future__ import annotations

from typing import Any

import pytest

from talentos_core.roles import Role
from talentos_core.testing import DEFAULT_PASSWORD


def _invite(
    api: Any, headers: dict[str, str], role: str = "recruiter", email: str = "new@acme.example"
) -> Any:
    return api.client.simulate_post(
        "/api/auth/invite",
        headers=headers,
        json={"email": email, "name": "New Person", "role": role},
    )


def _token(result: Any) -> str:
    assert result.status_code == 201, result.text
    return str(result.json["invite"]["inviteUrl"].rsplit("token=", 1)[1])


def _accept(api: Any, token: str) -> Any:
    return api.client.simulate_post(
        "/api/auth/accept-invite", json={"token": token, "password": DEFAULT_PASSWORD}
    )


class TestWhoMayInviteWhom:
    """A role is granted only by someone holding at least that role."""

    def test_a_chro_inviting_an_admin_is_403(self, api: Any, acme: Any) -> None:
        """A chro may not grant admin; nobody is created."""
        chro = api.credential(acme, Role.CHRO, "cookie")
        api.assert_error(_invite(api, chro, "admin"), 403, "forbidden")
        team = api.client.simulate_get("/api/team", headers=acme.headers).json
        assert "new@acme.example" not in [user["email"] for user in team["users"]]

    @pytest.mark.parametrize("role", ["chro", "recruiter", "interviewer", "agency_admin"])
    def test_a_chro_may_invite_up_to_chro(self, api: Any, acme: Any, role: str) -> None:
        """A chro may grant chro and every role below."""
        chro = api.credential(acme, Role.CHRO, "cookie")
        assert _invite(api, chro, role).status_code == 201

    def test_an_admin_may_invite_an_admin(self, api: Any, acme: Any) -> None:
        """An admin may grant admin."""
        assert _invite(api, acme.headers, "admin").status_code == 201


class TestAccepting:
    """Accepting signs in once; the token is then spent."""

    def test_accepting_signs_in_as_the_invited_role_in_the_inviters_tenant(
        self, api: Any, acme: Any
    ) -> None:
        """The answer sets a working session cookie for a verified user of the invited role."""
        result = _accept(api, _token(_invite(api, acme.headers, "interviewer")))
        assert result.status_code == 200
        assert (
            result.json["tenant"]["id"],
            result.json["user"]["role"],
            result.json["user"]["emailVerified"],
        ) == (acme.tenant_id, "interviewer", True)
        me = api.client.simulate_get(
            "/api/auth/me", headers=api.cookie_header(api.session_cookie(result))
        )
        assert me.json["user"]["email"] == "new@acme.example"

    def test_a_used_token_is_400_invalid_token(self, api: Any, acme: Any) -> None:
        """The second accept with the same token is refused."""
        token = _token(_invite(api, acme.headers))
        assert _accept(api, token).status_code == 200
        api.assert_error(_accept(api, token), 400, "invalid_token")

    def test_an_expired_token_is_400_invalid_token(self, api: Any, acme: Any, clock: Any) -> None:
        """Seven days after the invite the token no longer works."""
        token = _token(_invite(api, acme.headers))
        clock.advance(days=7)
        api.assert_error(_accept(api, token), 400, "invalid_token")

    def test_a_made_up_token_is_400_invalid_token(self, api: Any) -> None:
        """A token nobody issued is refused the same way."""
        api.assert_error(_accept(api, "0" * 64), 400, "invalid_token")

    def test_a_reinvite_replaces_the_earlier_token(self, api: Any, acme: Any) -> None:
        """Inviting the same person again voids the first link."""
        first = _token(_invite(api, acme.headers))
        second = _token(_invite(api, acme.headers))
        api.assert_error(_accept(api, first), 400, "invalid_token")
        assert _accept(api, second).status_code == 200

    def test_an_invited_user_cannot_log_in_before_accepting(self, api: Any, acme: Any) -> None:
        """Until the invite is accepted there is no password to sign in with."""
        _token(_invite(api, acme.headers))
        api.assert_error(api.login("new@acme.example"), 401, "invalid_credentials")


class TestTheAcceptPage:
    """GET /accept-invite serves a page and consumes nothing."""

    def test_the_page_is_html_and_the_token_still_works_after(self, api: Any, acme: Any) -> None:
        """Opening the link (as a mail scanner would) leaves the token usable."""
        token = _token(_invite(api, acme.headers))
        for _ in range(2):
            page = api.client.simulate_get("/accept-invite", params={"token": token})
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")
            assert "content-security-policy" in page.headers
            assert token not in page.text
        assert _accept(api, token).status_code == 200

    def test_the_invite_link_points_at_the_page(self, api: Any, acme: Any) -> None:
        """The inviteUrl's path is the accept page that this app serves."""
        url = _invite(api, acme.headers).json["invite"]["inviteUrl"]
        path, _, query = url.partition("?")
        assert path.endswith("/accept-invite")
        page = api.client.simulate_get("/accept-invite", query_string=query)
        assert page.status_code == 200
