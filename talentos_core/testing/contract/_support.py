"""Helpers the contract classes share: fixed times and tenants, builders (the smallest
valid object, and one with every field set), seeding and paging checks.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.audit import AuditEvent, ChainHead
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.paging import PageRequest
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import User, UserStatus
from talentos_core.domain.vacancies import (
    EmploymentType,
    Level,
    Vacancy,
    VacancyStatus,
)
from talentos_core.ports import Store
from talentos_core.roles import Role

#: A time with microseconds: stores must keep them.
T0 = datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
ACME, GLOBEX = "acme", "globex"
EVERYONE = PageRequest(limit=200)
_fresh = itertools.count(1)
_hypothesis = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


# -- builders: the smallest valid object, and one with every field set -------------------


def make_tenant(tenant_id: str = ACME, **fields: Any) -> Tenant:
    return attrs.evolve(Tenant(id=tenant_id, name=tenant_id.title(), created_at=T0), **fields)


def full_tenant(tenant_id: str = "unicode-co") -> Tenant:
    return Tenant(
        id=tenant_id,
        name="Ünïcode Co 🚀",
        created_at=at(1),
        plan="enterprise",
        logo_url="https://cdn.example/ü.png",
        brand_color="#12ab34",
        tagline="We hire — fast ✓",
        monthly_budget_usd=123.45,
        updated_at=at(2.5),
    )


def make_user(user_id: str, tenant_id: str = ACME, **fields: Any) -> User:
    base = User(
        id=user_id,
        tenant_id=tenant_id,
        email=f"{user_id}@{tenant_id}.example",
        name=user_id,
        role=Role.RECRUITER,
        created_at=T0,
    )
    return attrs.evolve(base, **fields)


def full_user(user_id: str = "usr_full", tenant_id: str = ACME) -> User:
    return User(
        id=user_id,
        tenant_id=tenant_id,
        email="Zoë.Ünïcode@Example.COM",
        name="Zoë 山田",
        role=Role.HIRING_MANAGER,
        created_at=at(3),
        password_hash="$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
        email_verified=True,
        status=UserStatus.INVITED,
        updated_at=at(4),
    )


def make_vacancy(vacancy_id: str, tenant_id: str = ACME, **fields: Any) -> Vacancy:
    base = Vacancy(
        id=vacancy_id, tenant_id=tenant_id, title=vacancy_id, created_at=T0, updated_at=T0
    )
    return attrs.evolve(base, **fields)


def full_vacancy(vacancy_id: str = "vac_full", subsidiary_id: str = "sub_full") -> Vacancy:
    return Vacancy(
        id=vacancy_id,
        tenant_id=ACME,
        title="Ingénieure Backend 🚀",
        created_at=at(5),
        updated_at=at(6.000001),
        description="Python — 日本語",
        location="Zürich",
        level=Level.PRINCIPAL,
        employment_type=EmploymentType.CONTRACT,
        skills=["Python", "SQL", "Ünï"],
        status=VacancyStatus.ON_HOLD,
        subsidiary_id=subsidiary_id,
        internal_notes="Budget: €120k",
        applicants=7,
        hired=2,
        created_by="usr_9",
    )


def make_api_key(key_id: str, tenant_id: str = ACME, **fields: Any) -> ApiKey:
    base = ApiKey(
        id=key_id,
        tenant_id=tenant_id,
        name=key_id,
        token_prefix="tk_0badc0de",
        role=Role.ADMIN,
        created_at=T0,
        created_by=None,
        key_hash="scrypt$" + key_id,
    )
    return attrs.evolve(base, **fields)


def full_api_key(key_id: str = "key_full") -> ApiKey:
    return ApiKey(
        id=key_id,
        tenant_id=ACME,
        name="CI — déploiement",
        token_prefix="tk_1234abcd",
        role=Role.CHRO,
        created_at=at(7),
        created_by="ops@acme.example",
        key_hash="scrypt$16384$8$1$00ff$abcdef",
        last_used_at=at(8),
        revoked=True,
        revoked_at=at(9),
    )


def make_event(tenant_id: str, seq: int, **fields: Any) -> AuditEvent:
    base = AuditEvent(
        id=f"aud_{tenant_id}_{seq:05d}",
        ts=at(seq),
        tenant_id=tenant_id,
        type="vacancy.created",
        actor_type="user",
        seq=seq,
        prev_hash=f"{seq - 1:064x}",
        hash=f"{seq:064x}",
    )
    return attrs.evolve(base, **fields)


def full_event(tenant_id: str = ACME, seq: int = 1) -> AuditEvent:
    return AuditEvent(
        id="aud_full",
        ts=at(10),
        tenant_id=tenant_id,
        type="client.ünï.event",
        actor_type="api_key",
        seq=seq,
        prev_hash="0" * 64,
        hash="f" * 64,
        actor_id="key_1",
        actor_email="ops@acme.example",
        actor_role="chro",
        entity_type="vacancy",
        entity_id="vac_1",
        summary="Résumé — 読んだ",
        ip="2001:db8::1",
        user_agent="curl/8 ✓",
        request_id="req-1.2_3",
        data={"nested": {"list": [1, 2.5, None, True, "ü"]}, "empty": {}},
    )


def head_of(event: AuditEvent) -> ChainHead:
    return ChainHead(event.tenant_id, event.seq, event.hash, "mac-" + event.hash)


def make_outbox(event_id: str, tenant_id: str = ACME, **fields: Any) -> OutboxEvent:
    base = OutboxEvent(id=event_id, tenant_id=tenant_id, type="vacancy.published", ts=T0)
    return attrs.evolve(base, **fields)


def seed(store: Store, *tenant_ids: str) -> None:
    """Add tenants (default acme and globex): most rows need their tenant to exist."""
    with store.transaction() as uow:
        for tenant_id in tenant_ids or (ACME, GLOBEX):
            uow.tenants.add(make_tenant(tenant_id))


def append(store: Store, *events: AuditEvent) -> None:
    with store.transaction() as uow:
        for event in events:
            uow.audit.append(event, head_of(event))


def ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


def fresh(prefix: str) -> str:
    """An id no earlier test or example in this process has used."""
    return f"{prefix}_{next(_fresh):08d}"


def _expect_pages(list_page: Callable[[PageRequest], Any], expected: list[str]) -> None:
    total = len(expected)
    for limit, offset in ((2, 0), (2, 2), (2, total - 1), (1, total), (3, total + 10)):
        page = list_page(PageRequest(limit=limit, offset=offset))
        assert (ids(page.items), page.total, page.limit, page.offset) == (
            expected[offset : offset + limit],
            total,
            limit,
            offset,
        )
