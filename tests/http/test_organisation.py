"""Subsidiaries, agencies and integrations: their CRUD answers, the rules of their fields,
deletes refused while in use, and write-only integration secrets (CONTRACT §3, §6)."""

from __future__ import annotations

from typing import Any

import pytest
from http_pipeline import audit_events, email, new_candidate, new_vacancy

from talentos_core.domain.integrations import MASK

#: Each kind: its path, its one and many keys, a valid new body, and a change to it.
KINDS = {
    "subsidiaries": (
        "/api/subsidiaries",
        "subsidiary",
        {"name": "Acme Ghana", "country": "Ghana", "code": "GH"},
        {"name": "Acme Ghana Ltd", "code": None},
    ),
    "agencies": (
        "/api/agencies",
        "agency",
        {"name": "Hunters", "contactEmail": "desk@hunters.example", "feePercent": 12.5},
        {"status": "inactive", "feePercent": None},
    ),
    "integrations": (
        "/api/integrations",
        "integration",
        {"provider": "slack", "name": "Hiring channel", "config": {"channel": "#hiring"}},
        {"enabled": False, "provider": "microsoft-teams"},
    ),
}


def _create(api: Any, account: Any, kind: str, body: dict[str, Any]) -> Any:
    path = KINDS[kind][0]
    return api.client.simulate_post(path, json=body, headers=account.headers)


def _made(api: Any, account: Any, kind: str, **body: Any) -> dict[str, Any]:
    _, one, new, _ = KINDS[kind]
    result = _create(api, account, kind, {**new, **body})
    assert result.status_code == 201, result.text
    return dict(result.json[one])


class TestRecordsCrud:
    """Each kind answers create 201, get, list with paging, patch and delete."""

    @pytest.mark.parametrize("kind", list(KINDS))
    def test_create_get_list_patch_delete(self, api: Any, acme: Any, kind: str) -> None:
        """A record is created with what was sent, read back, listed, changed, then gone."""
        path, one, new, change = KINDS[kind]
        created = _made(api, acme, kind)
        assert {name: created[name] for name in new} == new
        assert created["tenantId"] == acme.tenant_id
        one_path = f"{path}/{created['id']}"
        assert api.client.simulate_get(one_path, headers=acme.headers).json[one] == created
        listed = api.client.simulate_get(path, headers=acme.headers).json
        assert (listed[kind], listed["total"], listed["limit"], listed["offset"]) == (
            [created],
            1,
            50,
            0,
        )
        patched = api.client.simulate_patch(one_path, json=change, headers=acme.headers)
        assert patched.status_code == 200, patched.text
        assert {name: patched.json[one][name] for name in change} == change
        assert (
            api.client.simulate_get(one_path, headers=acme.headers).json[one] == patched.json[one]
        )
        deleted = api.client.simulate_delete(one_path, headers=acme.headers)
        assert (deleted.status_code, deleted.json) == (200, {"ok": True})
        api.assert_error(api.client.simulate_get(one_path, headers=acme.headers), 404, "not_found")
        assert api.client.simulate_get(path, headers=acme.headers).json["total"] == 0

    @pytest.mark.parametrize("kind", list(KINDS))
    def test_lists_page_with_the_full_total(self, api: Any, acme: Any, kind: str) -> None:
        """Five records in pages of two hold 2, 2 and 1, each with total 5."""
        path = KINDS[kind][0]
        made = {_made(api, acme, kind, name=api.unique("N "))["id"] for _ in range(5)}
        pages = [
            api.client.simulate_get(
                path, params={"limit": "2", "offset": str(n)}, headers=acme.headers
            ).json
            for n in (0, 2, 4)
        ]
        assert [(len(p[kind]), p["total"]) for p in pages] == [(2, 5), (2, 5), (1, 5)]
        assert {item["id"] for p in pages for item in p[kind]} == made

    @pytest.mark.parametrize("kind", list(KINDS))
    def test_a_patch_that_changes_nothing_records_nothing(
        self, api: Any, acme: Any, kind: str
    ) -> None:
        """Sending a record's own values back answers it unchanged with no audit event."""
        path, one, new, _ = KINDS[kind]
        created = _made(api, acme, kind)
        before = audit_events(api, acme)
        same = api.client.simulate_patch(f"{path}/{created['id']}", json=new, headers=acme.headers)
        assert (same.status_code, same.json[one]) == (200, created)
        assert audit_events(api, acme) == before

    @pytest.mark.parametrize(
        ("kind", "field", "value"),
        [
            ("subsidiaries", "name", ""),
            ("subsidiaries", "name", "   "),
            ("subsidiaries", "code", "x" * 41),
            ("subsidiaries", "country", "x" * 101),
            ("agencies", "name", "x" * 201),
            ("agencies", "contactEmail", "desk"),
            ("agencies", "feePercent", 100.5),
            ("agencies", "feePercent", -1),
            ("agencies", "feePercent", "10"),
            ("agencies", "status", "paused"),
            ("integrations", "provider", "Slack"),
            ("integrations", "provider", "slack bot"),
            ("integrations", "provider", "slack_bot"),
            ("integrations", "provider", "x" * 41),
            ("integrations", "provider", ""),
            ("integrations", "enabled", "yes"),
            ("integrations", "config", {"nested": {"a": 1}}),
            ("integrations", "config", {"list": [1]}),
            ("integrations", "config", ["a"]),
            ("integrations", "config", {"k": "x" * 2001}),
            ("integrations", "config", {f"k{n}": n for n in range(51)}),
        ],
        ids=repr,
    )
    def test_a_bad_field_is_422_by_name_on_create_and_patch(
        self, api: Any, acme: Any, kind: str, field: str, value: Any
    ) -> None:
        """A value breaking the field's rule is 422 naming it, whether creating or patching,
        and nothing is stored."""
        path, _, new, _ = KINDS[kind]
        error = api.assert_error(
            _create(api, acme, kind, {**new, field: value}), 422, "validation_error"
        )
        assert field in error["fields"]
        created = _made(api, acme, kind)
        patched = api.client.simulate_patch(
            f"{path}/{created['id']}", json={field: value}, headers=acme.headers
        )
        assert field in api.assert_error(patched, 422, "validation_error")["fields"]
        listed = api.client.simulate_get(path, headers=acme.headers).json[kind]
        assert listed == [created]

    @pytest.mark.parametrize("provider", ["slack", "greenhouse", "microsoft-teams", "x1", "a" * 40])
    def test_a_provider_of_lowercase_letters_digits_and_hyphens_is_taken(
        self, api: Any, acme: Any, provider: str
    ) -> None:
        """Providers match `^[a-z0-9-]{1,40}$`."""
        assert _made(api, acme, "integrations", provider=provider)["provider"] == provider

    def test_an_agency_starts_active(self, api: Any, acme: Any) -> None:
        """Without `status` an agency is active."""
        assert _made(api, acme, "agencies", name="Scouts")["status"] == "active"


class TestDeletesInUse:
    """A record others point at cannot be deleted: 409 in_use."""

    def test_a_subsidiary_a_vacancy_belongs_to_is_in_use(self, api: Any, acme: Any) -> None:
        """DELETE of a subsidiary with a vacancy is 409 in_use and keeps it; once the vacancy
        leaves it, the delete goes through."""
        subsidiary = _made(api, acme, "subsidiaries")
        path = f"/api/subsidiaries/{subsidiary['id']}"
        vacancy_id = new_vacancy(api, acme, subsidiaryId=subsidiary["id"])
        api.assert_error(api.client.simulate_delete(path, headers=acme.headers), 409, "in_use")
        assert api.client.simulate_get(path, headers=acme.headers).status_code == 200
        moved = api.client.simulate_patch(
            f"/api/vacancies/{vacancy_id}", json={"subsidiaryId": None}, headers=acme.headers
        )
        assert moved.status_code == 200, moved.text
        assert api.client.simulate_delete(path, headers=acme.headers).status_code == 200

    def test_a_subsidiary_of_a_closed_vacancy_is_still_in_use(self, api: Any, acme: Any) -> None:
        """Any vacancy counts, whatever its status."""
        subsidiary = _made(api, acme, "subsidiaries")
        new_vacancy(api, acme, subsidiaryId=subsidiary["id"], status="closed")
        result = api.client.simulate_delete(
            f"/api/subsidiaries/{subsidiary['id']}", headers=acme.headers
        )
        api.assert_error(result, 409, "in_use")

    def test_an_agency_a_candidate_names_is_in_use(self, api: Any, acme: Any) -> None:
        """DELETE of an agency a candidate came through is 409 in_use; once the candidate is
        deleted, the agency may go."""
        agency = _made(api, acme, "agencies")
        path = f"/api/agencies/{agency['id']}"
        candidate_id = new_candidate(api, new_vacancy(api, acme))
        named = api.client.simulate_patch(
            f"/api/candidates/{candidate_id}", json={"agencyId": agency["id"]}, headers=acme.headers
        )
        assert named.status_code == 200, named.text
        api.assert_error(api.client.simulate_delete(path, headers=acme.headers), 409, "in_use")
        assert api.client.simulate_get(path, headers=acme.headers).status_code == 200
        api.client.simulate_delete(f"/api/candidates/{candidate_id}", headers=acme.headers)
        assert api.client.simulate_delete(path, headers=acme.headers).status_code == 200

    def test_an_agency_named_by_an_imported_row_is_in_use(self, api: Any, acme: Any) -> None:
        """A candidate imported through the agency holds it too."""
        agency = _made(api, acme, "agencies")
        row = {
            "vacancyId": new_vacancy(api, acme),
            "name": "Efua",
            "email": email(api),
            "agencyId": agency["id"],
        }
        imported = api.client.simulate_post(
            "/api/candidates/import", json={"rows": [row]}, headers=acme.headers
        )
        assert imported.json["created"] == 1, imported.text
        result = api.client.simulate_delete(f"/api/agencies/{agency['id']}", headers=acme.headers)
        api.assert_error(result, 409, "in_use")


SECRETS = {
    "apiKey": "xoxb-api-key-1",
    "API_TOKEN": "tok-2",
    "password": "hunter22",
    "clientSecret": "shh-3",
}
PLAIN = {"channel": "#hiring", "timeoutSeconds": 30, "verbose": True, "region": None}


def _stored_config(api: Any, account: Any, integration_id: str) -> dict[str, Any]:
    """The config as the store holds it, behind the API's back."""
    stored = api.talentos.store.reader().integrations.get(account.tenant_id, integration_id)
    return dict(stored.config)


class TestIntegrationSecrets:
    """Config values under secret-looking keys are write-only: reads show the mask."""

    def _integration(self, api: Any, acme: Any) -> tuple[dict[str, Any], Any]:
        result = _create(
            api,
            acme,
            "integrations",
            {"provider": "slack", "name": "Hiring", "config": {**SECRETS, **PLAIN}},
        )
        assert result.status_code == 201, result.text
        return result.json["integration"], result

    def test_every_answer_masks_the_secrets_and_shows_the_rest(self, api: Any, acme: Any) -> None:
        """Create, get, list and patch answers show each secret as the mask and every other
        value as sent; no answer contains a secret."""
        created, answer = self._integration(api, acme)
        path = f"/api/integrations/{created['id']}"
        answers = [
            answer,
            api.client.simulate_get(path, headers=acme.headers),
            api.client.simulate_get("/api/integrations", headers=acme.headers),
            api.client.simulate_patch(path, json={"name": "Renamed"}, headers=acme.headers),
        ]
        masked = {**dict.fromkeys(SECRETS, MASK), **PLAIN}
        configs = [
            answers[0].json["integration"]["config"],
            answers[1].json["integration"]["config"],
            answers[2].json["integrations"][0]["config"],
            answers[3].json["integration"]["config"],
        ]
        assert configs == [masked] * 4
        for result in answers:
            for secret in SECRETS.values():
                assert secret not in result.text
        assert _stored_config(api, acme, created["id"]) == {**SECRETS, **PLAIN}

    def test_the_mask_sent_back_keeps_the_stored_secret(self, api: Any, acme: Any) -> None:
        """A patch sending back what it read keeps every secret; a new value replaces only
        its own."""
        created, _ = self._integration(api, acme)
        path = f"/api/integrations/{created['id']}"
        read = api.client.simulate_get(path, headers=acme.headers).json["integration"]["config"]
        config = {**read, "password": "new-password", "channel": "#talent"}
        result = api.client.simulate_patch(path, json={"config": config}, headers=acme.headers)
        assert result.status_code == 200, result.text
        assert result.json["integration"]["config"]["password"] == MASK
        assert _stored_config(api, acme, created["id"]) == {
            **SECRETS,
            **PLAIN,
            "password": "new-password",
            "channel": "#talent",
        }

    def test_a_config_patch_replaces_the_whole_object(self, api: Any, acme: Any) -> None:
        """Keys a config patch leaves out are dropped, secrets included."""
        created, _ = self._integration(api, acme)
        path = f"/api/integrations/{created['id']}"
        result = api.client.simulate_patch(
            path, json={"config": {"apiKey": MASK}}, headers=acme.headers
        )
        assert result.json["integration"]["config"] == {"apiKey": MASK}
        assert _stored_config(api, acme, created["id"]) == {"apiKey": SECRETS["apiKey"]}

    def test_the_mask_for_a_secret_never_stored_is_422(self, api: Any, acme: Any) -> None:
        """Sending the mask under a secret key that has no stored value is 422 on `config`,
        on create and on patch, and is never stored as if it were the secret."""
        refused = _create(
            api,
            acme,
            "integrations",
            {"provider": "slack", "name": "x", "config": {"apiKey": MASK}},
        )
        assert "config" in api.assert_error(refused, 422, "validation_error")["fields"]
        created, _ = self._integration(api, acme)
        result = api.client.simulate_patch(
            f"/api/integrations/{created['id']}",
            json={"config": {"webhookSecret": MASK}},
            headers=acme.headers,
        )
        assert "config" in api.assert_error(result, 422, "validation_error")["fields"]
        assert _stored_config(api, acme, created["id"]) == {**SECRETS, **PLAIN}

    def test_the_mask_under_a_plain_key_is_an_ordinary_value(self, api: Any, acme: Any) -> None:
        """Only secret-looking keys are masked: `••••` under `channel` is stored as sent."""
        integration = _made(api, acme, "integrations", config={"channel": MASK})
        assert integration["config"] == {"channel": MASK}
        assert _stored_config(api, acme, integration["id"]) == {"channel": MASK}

    def test_secrets_stay_out_of_the_audit_trail(self, api: Any, acme: Any) -> None:
        """Creating and changing an integration records no secret value in any event."""
        created, _ = self._integration(api, acme)
        api.client.simulate_patch(
            f"/api/integrations/{created['id']}",
            json={"config": {**SECRETS, "apiKey": "rotated-key"}},
            headers=acme.headers,
        )
        trail = api.client.simulate_get("/api/audit/export", headers=acme.headers).text
        listed = api.client.simulate_get("/api/audit", headers=acme.headers).text
        for secret in (*SECRETS.values(), "rotated-key"):
            assert secret not in trail
            assert secret not in listed
