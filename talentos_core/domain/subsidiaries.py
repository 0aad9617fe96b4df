"""Subsidiaries: parts of a company that vacancies may belong to."""

from __future__ import annotations

from datetime import datetime

import attrs

from talentos_core.domain.rules import UNSET, Length, Unset, field

NAME_RULE = Length(1, 200)
COUNTRY_RULE = Length(0, 100)
CODE_RULE = Length(0, 40)


@attrs.frozen
class Subsidiary:
    id: str
    tenant_id: str
    name: str
    created_at: datetime
    country: str | None = None
    code: str | None = None
    updated_at: datetime | None = None


@attrs.frozen
class NewSubsidiary:
    """A subsidiary to add."""

    name: str = field(NAME_RULE)
    country: str | None = field(COUNTRY_RULE, default=None)
    code: str | None = field(CODE_RULE, default=None, doc="The company's own short code.")


@attrs.frozen
class SubsidiaryPatch:
    """Fields left :data:`UNSET` stay; ``None`` clears an optional field."""

    name: str | Unset = field(NAME_RULE, default=UNSET)
    country: str | Unset | None = field(COUNTRY_RULE, default=UNSET)
    code: str | Unset | None = field(CODE_RULE, default=UNSET, doc="The company's own short code.")
