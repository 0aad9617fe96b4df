"""Property: whatever two tenants hold, every list and export answers only the caller's rows
and counts (SECURITY-TESTS 25). Each example runs on a fresh installation of the backend."""

from __future__ import annotations

import csv
import io
from typing import Any

import falcon.testing
from hypothesis import given, settings
from hypothesis import strategies as st

from talentos_core.testing import DEFAULT_PASSWORD
from talentos_http.app import create_app

WORDS = st.sampled_from(["Teller", "Analyst", "Nurse", "Driver", "teller", "Lagos", "Remote"])
VACANCY = st.fixed_dictionaries(
    {
        "title": st.lists(WORDS, min_size=1, max_size=3).map(" ".join),
        "status": st.sampled_from(["open", "draft", "closed", "on_hold"]),
        "location": st.one_of(st.none(), WORDS),
    }
)
TENANT = st.fixed_dictionaries(
    {
        "vacancies": st.lists(VACANCY, max_size=6),
        "invites": st.integers(0, 2),
        "keys": st.integers(0, 1),
        "events": st.integers(0, 2),
    }
)


class _Tenant:
    """One tenant built over HTTP, remembering what it created."""

    def __init__(self, client: falcon.testing.TestClient, name: str, data: dict[str, Any]):
        self.client = client
        signup = client.simulate_post(
            "/api/auth/signup",
            json={
                "companyName": name,
                "adminName": "Admin",
                "adminEmail": f"admin@{name}.example",
                "password": DEFAULT_PASSWORD,
            },
        )
        assert signup.status_code == 201
        self.id = signup.json["tenant"]["id"]
        self.headers = {"Cookie": f"talentos_sid={signup.cookies['talentos_sid'].value}"}
        self.vacancies = {
            self.post("/api/vacancies", v)["vacancy"]["id"]: v for v in data["vacancies"]
        }
        self.users = 1 + data["invites"]
        for n in range(data["invites"]):
            self.post(
                "/api/auth/invite",
                {"email": f"p{n}@{name}.example", "name": "P", "role": "recruiter"},
            )
        self.keys = {
            self.post("/api/tenants/me/api-keys", {"name": f"k{n}"})["key"]["id"]
            for n in range(data["keys"])
        }
        for n in range(data["events"]):
            self.post("/api/audit", {"type": "note", "entityId": f"{name}-{n}"})

    def post(self, path: str, body: dict[str, Any]) -> Any:
        result = self.client.simulate_post(path, json=body, headers=self.headers)
        assert result.status_code == 201, result.text
        return result.json

    def get(self, path: str, **params: Any) -> Any:
        result = self.client.simulate_get(
            path, params={"limit": 200, **params}, headers=self.headers
        )
        assert result.status_code == 200, result.text
        return result.json if path != "/api/audit/export" else result.text


def _check(me: _Tenant, other: _Tenant) -> None:
    vacancies = me.get("/api/vacancies")
    assert {v["id"] for v in vacancies["vacancies"]} == set(me.vacancies)
    assert vacancies["total"] == len(me.vacancies)
    for word in ("teller", "Lagos"):
        found = me.get("/api/vacancies", q=word)
        assert {v["id"] for v in found["vacancies"]} <= set(me.vacancies)
        assert found["total"] == len(found["vacancies"])
    for status in ("open", "draft"):
        found = me.get("/api/vacancies", status=status)
        assert found["total"] == sum(v["status"] == status for v in me.vacancies.values())

    team = me.get("/api/team")
    assert {u["tenantId"] for u in team["users"]} == {me.id}
    assert team["total"] == len(team["users"]) == me.users

    keys = me.get("/api/tenants/me/api-keys")
    assert {k["id"] for k in keys["keys"]} == me.keys
    assert keys["total"] == len(me.keys)

    events = me.get("/api/audit")
    assert {e["tenantId"] for e in events["events"]} == {me.id}
    assert events["total"] == len(events["events"])
    theirs = set(other.vacancies) | other.keys | {other.id}
    assert not theirs & {e["entityId"] for e in events["events"]}
    assert {e["seq"] for e in events["events"]} == set(range(1, events["total"] + 1))

    rows = list(csv.DictReader(io.StringIO(me.get("/api/audit/export"))))
    assert {r["tenant_id"] for r in rows} == {me.id}
    assert len(rows) == events["total"]

    board = me.get("/api/careers/vacancies", tenant=me.id)
    opened = {i for i, v in me.vacancies.items() if v["status"] == "open"}
    assert {v["id"] for v in board["vacancies"]} == opened
    assert {v["company"]["id"] for v in board["vacancies"]} <= {me.id}


class TestListsShowOnlyTheCallersRows:
    """Vacancies, team, keys, audit list and export, and the careers board's tenant filter."""

    @settings(max_examples=4)
    @given(acme=TENANT, globex=TENANT)
    def test_each_tenant_sees_exactly_its_own_rows_and_counts(
        self, make_talentos: Any, acme: dict[str, Any], globex: dict[str, Any]
    ) -> None:
        """For random data in two tenants, each list answers the caller's rows and totals."""
        client = falcon.testing.TestClient(create_app(make_talentos()))
        first, second = _Tenant(client, "acme", acme), _Tenant(client, "globex", globex)
        _check(first, second)
        _check(second, first)
        everything = client.simulate_get("/api/careers/vacancies", params={"limit": 200}).json
        assert everything["total"] == sum(
            v["status"] == "open" for t in (first, second) for v in t.vacancies.values()
        )
