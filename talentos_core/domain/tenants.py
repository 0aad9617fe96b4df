"""Tenants: one company each, with its branding and AI budget."""

from __future__ import annotations

from datetime import datetime

import attrs

from talentos_core.domain.rules import HEX_COLOR, HTTPS_URL, UNSET, Length, Range, Unset, field

DEFAULT_PLAN = "pilot"
DEFAULT_BRAND_COLOR = "#7c3aed"


@attrs.frozen
class Tenant:
    id: str
    name: str
    created_at: datetime
    plan: str = DEFAULT_PLAN
    logo_url: str | None = None
    brand_color: str = DEFAULT_BRAND_COLOR
    tagline: str | None = None
    monthly_budget_usd: float = 0.0
    updated_at: datetime | None = None


@attrs.frozen
class TenantPatch:
    """Branding and budget changes; fields left :data:`UNSET` stay as they are."""

    name: str | Unset = field(Length(1, 200), default=UNSET)
    tagline: str | Unset | None = field(Length(0, 280), default=UNSET)
    brand_color: str | Unset = field(HEX_COLOR, default=UNSET)
    logo_url: str | Unset | None = field(HTTPS_URL, Length(0, 2048), default=UNSET)
    monthly_budget_usd: float | Unset = field(
        Range(0, 1_000_000), default=UNSET, doc="0 means no AI budget limit."
    )


@attrs.frozen
class PublicCompany:
    """What the careers board shows of a tenant."""

    id: str
    name: str
    logo_url: str | None
    brand_color: str

    @classmethod
    def of(cls, tenant: Tenant) -> PublicCompany:
        return cls(tenant.id, tenant.name, tenant.logo_url, tenant.brand_color)
