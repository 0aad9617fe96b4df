"""Organisation builders: the smallest valid subsidiary, agency and integration, and one of
each with every field set."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.agencies import Agency, AgencyStatus
from talentos_core.domain.integrations import Integration
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.testing.contract._support import ACME, T0, at


def make_subsidiary(subsidiary_id: str, tenant_id: str = ACME, **fields: Any) -> Subsidiary:
    base = Subsidiary(id=subsidiary_id, tenant_id=tenant_id, name=subsidiary_id, created_at=T0)
    return attrs.evolve(base, **fields)


def full_subsidiary(subsidiary_id: str = "sub_full") -> Subsidiary:
    return Subsidiary(
        id=subsidiary_id,
        tenant_id=ACME,
        name="Filiale Zürich 🚀",
        created_at=at(1),
        country="Schweiz — ü",
        code="ZH-1 ✓",
        updated_at=at(2.000001),
    )


def make_agency(agency_id: str, tenant_id: str = ACME, **fields: Any) -> Agency:
    base = Agency(id=agency_id, tenant_id=tenant_id, name=agency_id, created_at=T0, updated_at=T0)
    return attrs.evolve(base, **fields)


def full_agency(agency_id: str = "agy_full") -> Agency:
    return Agency(
        id=agency_id,
        tenant_id=ACME,
        name='Ägentur "Müller" & Söhne ✓',
        created_at=at(3),
        updated_at=at(4.000001),
        contact_email="Jobs@Müller.example",
        fee_percent=12.5,
        status=AgencyStatus.INACTIVE,
    )


def make_integration(integration_id: str, tenant_id: str = ACME, **fields: Any) -> Integration:
    base = Integration(
        id=integration_id,
        tenant_id=tenant_id,
        provider="slack",
        name=integration_id,
        created_at=T0,
        updated_at=T0,
    )
    return attrs.evolve(base, **fields)


def full_integration(integration_id: str = "int_full") -> Integration:
    return Integration(
        id=integration_id,
        tenant_id=ACME,
        provider="work-day-2",
        name="Workday — Zürich 🚀",
        created_at=at(5),
        updated_at=at(6.000001),
        enabled=False,
        config={
            "apiKey": "sk-ünï-secret",
            "url": "https://workday.example/ü",
            "retries": 3,
            "ratio": 0.25,
            "verbose": True,
            "nothing": None,
            "nested": {"list": [1, 2.5, None, "日本語", {"deep": []}], "empty": {}},
        },
    )
