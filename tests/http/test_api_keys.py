"""Bearer API keys over HTTP: shown once, stored hashed, revoked at once (CONTRACT §4,
SECURITY-TESTS 17)."""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

import pytest

from talentos_core.roles import Role
from talentos_core.services import api_keys as api_keys_service


def _every_text_value(path: str) -> list[str]:
    """Every value of every column of every table of a SQLite file, as text."""
    found: list[str] = []
    with contextlib.closing(sqlite3.connect(path)) as db:
        tables = [
            row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        assert tables
        for table in tables:
            columns = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                for (value,) in db.execute(f'SELECT "{column}" FROM "{table}"'):
                    if isinstance(value, bytes):
                        found.append(value.decode("latin-1"))
                    elif value is not None:
                        found.append(str(value))
    return found


class TestStorage:
    """Secrets are kept only as hashes."""

    @pytest.mark.parametrize("backend", ["sqlite"])
    def test_no_raw_token_or_cookie_is_stored_in_any_column(
        self, api: Any, acme: Any, backend: str
    ) -> None:
        """After minting and using a key, neither the raw tk_ token, nor the session cookie, nor
        its 32-hex tail appear in any column of any table."""
        raw = api.mint_key(acme)
        assert (
            api.client.simulate_get("/api/auth/me", headers=api.bearer_header(raw)).status_code
            == 200
        )
        values = _every_text_value(api.talentos.store.path)
        assert any(raw[:11] in value for value in values)  # the scan does see key rows
        secrets = (raw, raw[3:], raw[11:], acme.cookie)
        assert [s for s in secrets if any(s in value for value in values)] == []

    def test_a_listed_key_shows_its_prefix_only(self, api: Any, acme: Any) -> None:
        """GET api-keys shows tokenPrefix (tk_ + 8 hex) and no hash, never the token."""
        raw = api.mint_key(acme)
        result = api.client.simulate_get("/api/tenants/me/api-keys", headers=acme.headers)
        (key,) = result.json["keys"]
        assert key["tokenPrefix"] == raw[:11]
        assert raw[11:] not in result.text
        assert "keyHash" not in key
        assert "scrypt" not in result.text


class TestUse:
    """A key authenticates as its own role until revoked."""

    def test_a_key_acts_with_its_role(self, api: Any, acme: Any) -> None:
        """GET /api/auth/me with a recruiter key answers the key's name and role."""
        raw = api.mint_key(acme, Role.RECRUITER)
        user = api.client.simulate_get("/api/auth/me", headers=api.bearer_header(raw)).json["user"]
        assert (user["role"], user["tenantId"]) == ("recruiter", acme.tenant_id)

    def test_a_revoked_key_is_401_on_the_very_next_request(self, api: Any, acme: Any) -> None:
        """Once revoked, the key (verified and cached before) is 401 at once."""
        raw = api.mint_key(acme)
        bearer = api.bearer_header(raw)
        assert api.client.simulate_get("/api/vacancies", headers=bearer).status_code == 200
        key_id = api.client.simulate_get("/api/tenants/me/api-keys", headers=acme.headers).json[
            "keys"
        ][0]["id"]
        revoked = api.client.simulate_delete(
            f"/api/tenants/me/api-keys/{key_id}", headers=acme.headers
        )
        assert revoked.status_code == 200
        api.assert_error(
            api.client.simulate_get("/api/vacancies", headers=bearer), 401, "unauthenticated"
        )
        listed = api.client.simulate_get("/api/tenants/me/api-keys", headers=acme.headers)
        assert listed.json["keys"][0]["revoked"] is True

    def test_a_key_can_revoke_itself_and_is_then_401(self, api: Any, acme: Any) -> None:
        """A key deleting itself succeeds, and its next request is 401."""
        bearer = api.bearer_header(api.mint_key(acme))
        key_id = api.client.simulate_get("/api/tenants/me/api-keys", headers=bearer).json["keys"][
            0
        ]["id"]
        assert (
            api.client.simulate_delete(
                f"/api/tenants/me/api-keys/{key_id}", headers=bearer
            ).status_code
            == 200
        )
        assert api.client.simulate_get("/api/vacancies", headers=bearer).status_code == 401

    def test_two_keys_sharing_a_prefix_both_work(
        self, api: Any, acme: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Keys are looked up by their (non-unique) prefix and verified against each match."""
        raws = iter(["tk_deadbeef" + "1" * 56, "tk_deadbeef" + "2" * 56])
        monkeypatch.setattr(api_keys_service, "new_api_key", lambda: next(raws))
        first, second = api.mint_key(acme), api.mint_key(acme, Role.RECRUITER)
        assert first[:11] == second[:11]
        roles = [
            api.client.simulate_get("/api/auth/me", headers=api.bearer_header(raw)).json["user"][
                "role"
            ]
            for raw in (first, second)
        ]
        assert roles == ["admin", "recruiter"]

    def test_a_chro_asking_for_an_admin_key_is_403(self, api: Any, acme: Any) -> None:
        """A key may not carry a role above its minter's."""
        chro = api.credential(acme, Role.CHRO, "cookie")
        result = api.client.simulate_post(
            "/api/tenants/me/api-keys", headers=chro, json={"name": "escalate", "role": "admin"}
        )
        api.assert_error(result, 403, "forbidden")

    @pytest.mark.parametrize(("minter", "expected"), [("admin", "admin"), ("chro", "chro")])
    def test_the_default_role_is_admin_for_an_admin_else_the_minters(
        self, api: Any, acme: Any, minter: str, expected: str
    ) -> None:
        """A key minted without a role takes admin from an admin and chro from a chro."""
        headers = api.credential(acme, Role(minter), "cookie")
        result = api.client.simulate_post(
            "/api/tenants/me/api-keys", headers=headers, json={"name": "default"}
        )
        assert result.json["key"]["role"] == expected

    def test_last_used_is_recorded(self, api: Any, acme: Any, clock: Any) -> None:
        """Using a key sets lastUsedAt to the time of use."""
        raw = api.mint_key(acme)
        clock.advance(minutes=5)
        api.client.simulate_get("/api/vacancies", headers=api.bearer_header(raw))
        (key,) = api.client.simulate_get("/api/tenants/me/api-keys", headers=acme.headers).json[
            "keys"
        ]
        assert key["lastUsedAt"] == "2026-01-01T09:05:00.000000Z"
