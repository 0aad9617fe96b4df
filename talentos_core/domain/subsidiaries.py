"""Subsidiaries: parts of a company that vacancies may belong to."""

from __future__ import annotations

from datetime import datetime

import attrs


@attrs.frozen
class Subsidiary:
    id: str
    tenant_id: str
    name: str
    created_at: datetime
    country: str | None = None
    code: str | None = None
    updated_at: datetime | None = None
