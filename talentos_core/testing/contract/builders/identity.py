"""Identity builders: the smallest valid tenant, user and API key, and one with every field set."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.api_keys import ApiKey
from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import User, UserStatus
from talentos_core.ports import Store
from talentos_core.roles import Role
from talentos_core.testing.contract._support import ACME, GLOBEX, T0, at


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
        career_site_origins=["https://careers.ünï.example", "http://localhost:8000"],
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


def seed(store: Store, *tenant_ids: str) -> None:
    """Add tenants (default acme and globex): most rows need their tenant to exist."""
    with store.transaction() as uow:
        for tenant_id in tenant_ids or (ACME, GLOBEX):
            uow.tenants.add(make_tenant(tenant_id))
