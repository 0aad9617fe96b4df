"""Schemathesis over the served OpenAPI document, with two tenants (SECURITY-TESTS 33).

A real server (see ``conftest.py``) serves ``GET /api/openapi.json``; Schemathesis loads it
from there and runs EVERY built-in check (``checks.enabled = true``; nothing is excluded):
``not_a_server_error``, ``status_code_conformance``, ``content_type_conformance``,
``response_schema_conformance``, ``response_headers_conformance``,
``positive_data_acceptance``, ``negative_data_rejection``, ``missing_required_header``,
``unsupported_method``, ``allow_header_conformance``, ``ignored_auth``, ``use_after_free``,
``ensure_resource_availability`` and ``object_level_authorization``.

Credentials come from a Web Fuzzing Commons auth document naming each tenant's admin Bearer
key, with both tenants declared ``peers``: objects one peer reads must not be readable by the
other. Schemathesis then replays each successful read of a tenant-a object with tenant-b's key
(``object_level_authorization``); CONTRACT §3 says that answer is 404. Checks that need a
history of earlier calls (``use_after_free``, ``ensure_resource_availability`` and the
object-level probes of objects created in the same scenario) only fire in the stateful test,
which follows the links Schemathesis infers from the document (POST /api/vacancies →
GET/PATCH/DELETE /api/vacancies/{vacancy_id}, …); the per-operation test runs the rest.

No operation is excluded. Schemathesis itself never fuzzes the operation that served it the
document (``GET /api/openapi.json``), so it runs every operation but that one; the last test
checks that document against the router instead. The WFC provider sends tenant-a's key on public
operations too: they ignore credentials, and the auth checks skip operations that declare
``security: []``. Revoking or logging out the keys in use would blind the run (everything
after would be a documented 401), but logout only ends cookie sessions, key ids here are
generated rather than replayed from the key list, and the stateful test ends by proving both
keys still work.

Run:  .venv/bin/python -m pytest tests/schema -q
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import BaseSchema, Case

from talentos_http.resources import ROUTES

if TYPE_CHECKING:
    from conftest import Live  # tests/schema/conftest.py: the running server and its tenants

#: Seconds for any one request.
TIMEOUT = 10

#: Generated cases per operation in the fuzzing phase (the coverage phase adds its own
#: boundary cases on top, typically 10 to 60 per operation).
EXAMPLES = 20
#: Stateful scenarios, and at most this many calls in each.
#: A tenant's own record by id: what tenant-b must never read (the careers board is public).
TENANT_RECORD = re.compile(
    r"/api/(vacancies|candidates|offers|interviews|subsidiaries|agencies|integrations)/[^/]+"
)
SCENARIOS = 40
STEPS = 8

#: ``positive_data_acceptance`` expects a schema-valid request to succeed, or fail with a
#: status that depends on state (401/403/404/409/429). An invitation token can only be
#: learned from the invitee's email, so every token Schemathesis makes up is schema-valid and
#: still wrong — and CONTRACT §3 answers a bad, expired or used one-time token with 400
#: ``invalid_token``. So for this one operation 400 is an accepted answer; the check still
#: runs, and still fails on anything else (a 422 from a rule the schema does not show, say).
_TOKEN_OPERATIONS = ("/api/auth/accept-invite",)
_ACCEPTED_FOR_VALID_DATA = ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]


def _config(auth_document: Path) -> dict[str, Any]:
    return {
        "auth": {"wfc": {"path": str(auth_document), "peers": ["tenant-a", "tenant-b"]}},
        "checks": {"enabled": True},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": STEPS},
        },
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none"},
        "operations": [
            {
                "include-path": path,
                "checks": {
                    "positive_data_acceptance": {"expected-statuses": _ACCEPTED_FOR_VALID_DATA}
                },
            }
            for path in _TOKEN_OPERATIONS
        ],
    }


@pytest.fixture
def api_schema(live: Live, tmp_path: Path) -> BaseSchema:
    """The document as the server serves it, with both tenants' keys as WFC peers."""
    document = tmp_path / "wfc-auth.json"
    document.write_text(
        json.dumps(
            {
                "auth": [
                    {
                        "name": tenant.label,
                        "fixedHeaders": [{"name": "Authorization", "value": tenant.authorization}],
                    }
                    for tenant in live.tenants
                ]
            }
        )
    )
    config = schemathesis.Config.from_dict(_config(document))
    return schemathesis.openapi.from_url(
        f"{live.url}/api/openapi.json", config=config, timeout=TIMEOUT
    )


schema = schemathesis.pytest.from_fixture("api_schema")

_HYPOTHESIS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=False,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@_HYPOTHESIS
@schema.parametrize()
def test_every_operation_keeps_its_documented_contract(case: Case) -> None:
    """Examples, coverage and fuzzing phases; credentials come from the WFC document."""
    case.call_and_validate()


def test_stateful_scenarios_across_two_tenants(api_schema: BaseSchema, live: Live) -> None:
    """Linked calls: use-after-free, resource availability and tenant-b probing tenant-a."""
    base = api_schema.as_state_machine()

    class Scenarios(base):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            """Every scenario starts from the same data (see reset_vacancies)."""
            live.reset_vacancies()

    Scenarios.run(
        settings=hypothesis.settings(
            _HYPOTHESIS,
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            # The same scenarios every run: with some eighty operations, a random draw of
            # them does not always include a tenant-a read that tenant-b can replay.
            derandomize=True,
            phases=[Phase.generate],
        )
    )
    # Prove the object-level probes really ran: tenant-b replayed reads of objects that
    # tenant-a had just read successfully, and never got one.
    a, b = live.tenants
    exchanges = live.recorder.exchanges
    read_by_a = {
        x.path
        for x in exchanges
        if x.authorization == a.authorization
        and x.method == "GET"
        and TENANT_RECORD.fullmatch(x.path)
        and 200 <= x.status < 300
    }
    probes = [
        x
        for x in exchanges
        if x.authorization == b.authorization and x.method == "GET" and x.path in read_by_a
    ]
    assert probes, "Schemathesis never replayed a tenant-a read as tenant-b"
    assert {x.status for x in probes} == {404}, probes
    # Neither key was revoked along the way (the run would have gone blind on 401s).
    for tenant in live.tenants:
        me = requests.get(
            f"{live.url}/api/auth/me",
            headers={"Authorization": tenant.authorization},
            timeout=TIMEOUT,
        )
        assert me.status_code == 200, me.text


def test_other_tenants_objects_are_404(live: Live) -> None:
    """Each tenant's objects, with the other's key: 404, never 403 or 2xx."""
    for owner, other in (live.tenants, live.tenants[::-1]):
        # Fresh vacancies: the fuzzing tests share this server and may delete the seeded ones.
        with requests.Session() as client:
            client.headers["Authorization"] = owner.authorization
            fresh = [
                client.post(
                    f"{live.url}/api/vacancies", json={"title": f"Probe {n}"}, timeout=TIMEOUT
                ).json()["vacancy"]["id"]
                for n in range(2)
            ]
        with requests.Session() as client:
            client.headers["Authorization"] = other.authorization
            for vacancy_id in fresh:
                url = f"{live.url}/api/vacancies/{vacancy_id}"
                assert client.get(url, timeout=TIMEOUT).status_code == 404
                patched = client.patch(url, json={"title": "Mine now"}, timeout=TIMEOUT)
                assert patched.status_code == 404
                assert client.delete(url, timeout=TIMEOUT).status_code == 404
            revoked = client.delete(
                f"{live.url}/api/tenants/me/api-keys/{owner.key_id}", timeout=TIMEOUT
            )
            assert revoked.status_code == 404
        with requests.Session() as client:  # and the owner still has all of it
            client.headers["Authorization"] = owner.authorization
            for vacancy_id in fresh:
                url = f"{live.url}/api/vacancies/{vacancy_id}"
                assert client.get(url, timeout=TIMEOUT).status_code == 200


def test_openapi_paths_match_the_router_exactly(live: Live) -> None:
    """Every route is documented, nothing else is, and the server routes exactly those."""
    served = requests.get(f"{live.url}/api/openapi.json", timeout=TIMEOUT).json()
    documented = {
        (method.upper(), path) for path, item in served["paths"].items() for method in item
    }
    routed = {(route.method, route.path) for route in ROUTES}
    assert len(routed) == len(ROUTES), "a (method, path) pair is routed twice"
    assert documented == routed
    # The server's own router agrees: Falcon answers OPTIONS with the methods it has
    # responders for, and an undocumented path is 404.
    with requests.Session() as client:
        for path, item in served["paths"].items():
            concrete = path.replace("{", "x_").replace("}", "")
            answer = client.options(f"{live.url}{concrete}", timeout=TIMEOUT)
            allowed = {m.strip() for m in answer.headers.get("Allow", "").split(",")}
            assert allowed - {"OPTIONS"} == {m.upper() for m in item}, path
        assert client.options(f"{live.url}/api/not-a-route", timeout=TIMEOUT).status_code == 404
