"""Small moves the pipeline tests share: vacancies, applications and candidates over HTTP.

Applications go through ``POST /api/careers/apply`` from a fresh client address each time
unless a test names one, so that only the rate-limit tests meet the per-IP limit.
"""

from __future__ import annotations

import itertools
from typing import Any

import falcon.testing

from talentos_core.domain.paging import PageRequest

APPLY = "/api/careers/apply"
_addresses = itertools.count(1)


def fresh_ip() -> str:
    """A client address no other call in this process uses."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def email(api: Any, prefix: str = "person") -> str:
    return f"{api.unique(prefix)}@people.example"


def new_vacancy(api: Any, account: Any, **fields: Any) -> str:
    """A vacancy of ``account``'s tenant created over HTTP (open unless ``status`` says)."""
    body = {"title": api.unique("Teller "), **fields}
    result = api.client.simulate_post("/api/vacancies", json=body, headers=account.headers)
    assert result.status_code == 201, result.text
    return str(result.json["vacancy"]["id"])


def vacancy(api: Any, account: Any, vacancy_id: str) -> dict[str, Any]:
    result = api.client.simulate_get(f"/api/vacancies/{vacancy_id}", headers=account.headers)
    assert result.status_code == 200, result.text
    return dict(result.json["vacancy"])


def counters(api: Any, account: Any, vacancy_id: str) -> tuple[int, int]:
    """The vacancy's ``(applicants, hired)``."""
    found = vacancy(api, account, vacancy_id)
    return found["applicants"], found["hired"]


def apply(
    api: Any,
    vacancy_id: str,
    *,
    ip: str | None = None,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> falcon.testing.Result:
    """A public application; ``fields`` override a valid body (``email`` is unique)."""
    body = {"vacancyId": vacancy_id, "name": "Kwame Mensah", "email": email(api), **fields}
    return api.client.simulate_post(APPLY, json=body, headers=headers, remote_addr=ip or fresh_ip())


def new_candidate(api: Any, vacancy_id: str, **fields: Any) -> str:
    """A candidate who applied to ``vacancy_id`` through the careers API."""
    result = apply(api, vacancy_id, **fields)
    assert result.status_code == 201, result.text
    return str(result.json["candidate"]["id"])


def candidate(api: Any, account: Any, candidate_id: str) -> dict[str, Any]:
    result = api.client.simulate_get(f"/api/candidates/{candidate_id}", headers=account.headers)
    assert result.status_code == 200, result.text
    return dict(result.json["candidate"])


def candidates(api: Any, account: Any, **params: str) -> dict[str, Any]:
    """The body of ``GET /api/candidates`` with ``params``."""
    result = api.client.simulate_get("/api/candidates", params=params, headers=account.headers)
    assert result.status_code == 200, result.text
    return dict(result.json)


def audit_events(api: Any, account: Any) -> list[dict[str, Any]]:
    """The tenant's audit events, newest first (at most 200)."""
    result = api.client.simulate_get("/api/audit", params={"limit": "200"}, headers=account.headers)
    assert result.status_code == 200, result.text
    return list(result.json["events"])


def outbox(api: Any, account: Any) -> list[Any]:
    """The tenant's queued webhook events, read from the store behind the API's back."""
    found = api.talentos.store.reader().outbox.list(account.tenant_id, PageRequest(limit=200))
    return list(found.items)
