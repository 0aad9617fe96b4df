"""Recruitment agencies that bring candidates to a tenant."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from talentos_core.domain.rules import EMAIL, UNSET, Length, Range, Unset, choice, field


class AgencyStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


NAME_RULE = Length(1, 200)
EMAIL_RULES = (EMAIL, Length(3, 254))
FEE_RULE = Range(0, 100)


@attrs.frozen
class Agency:
    """An agency of the tenant; candidates may name it as their ``agency_id``."""

    id: str
    tenant_id: str
    name: str
    created_at: datetime
    updated_at: datetime
    contact_email: str | None = None
    fee_percent: float | None = None
    status: AgencyStatus = AgencyStatus.ACTIVE


@attrs.frozen
class NewAgency:
    """An agency to add."""

    name: str = field(NAME_RULE)
    contact_email: str | None = field(*EMAIL_RULES, default=None)
    fee_percent: float | None = field(FEE_RULE, default=None, doc="0 to 100.")
    status: AgencyStatus = choice(AgencyStatus, default=AgencyStatus.ACTIVE)


@attrs.frozen
class AgencyPatch:
    """Fields left :data:`UNSET` stay; ``None`` clears an optional field."""

    name: str | Unset = field(NAME_RULE, default=UNSET)
    contact_email: str | Unset | None = field(*EMAIL_RULES, default=UNSET)
    fee_percent: float | Unset | None = field(FEE_RULE, default=UNSET, doc="0 to 100.")
    status: AgencyStatus | Unset = choice(AgencyStatus, default=UNSET)
