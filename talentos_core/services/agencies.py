"""Recruiting agencies the tenant works with; candidates may name the one they came from."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.agencies import Agency
from talentos_core.roles import Operation
from talentos_core.services.records import TenantRecords


class AgencyService(TenantRecords[Agency]):
    """An agency a candidate came through cannot be deleted (:class:`InUse`)."""

    entity, prefix, repository = "agency", "agy", "agencies"
    operation = Operation.AGENCIES_MANAGE

    def _build(self, **values: Any) -> Agency:
        return Agency(**values)
