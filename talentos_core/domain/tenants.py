"""Tenants: one company each, with its branding and AI budget."""

from __future__ import annotations

from datetime import datetime

import attrs

from talentos_core.domain.rules import (
    HEX_COLOR,
    HTTPS_URL,
    UNSET,
    Items,
    Length,
    Pattern,
    Range,
    Unset,
    field,
)

DEFAULT_PLAN = "pilot"
DEFAULT_BRAND_COLOR = "#7c3aed"
MAX_CAREER_SITE_ORIGINS = 20
#: A web origin as browsers send it in ``Origin``: scheme, lowercase host, optional port.
ORIGIN = Pattern(
    "https?://[a-z0-9.-]+(?::[0-9]{1,5})?",
    "must be an origin like https://careers.example.com (scheme and lowercase host, "
    "optional port, no path)",
)


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
    career_site_origins: list[str] = attrs.Factory(list)

    def allows_origin(self, origin: str) -> bool:
        """Whether a browser page at ``origin`` may post applications to this tenant."""
        return origin.lower() in self.career_site_origins


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
    career_site_origins: list[str] | Unset = field(
        Items(MAX_CAREER_SITE_ORIGINS, (ORIGIN,)),
        default=UNSET,
        doc="Origins of the company's own sites (`https://careers.example.com`) whose pages "
        "may post applications from the browser (CORS).",
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
