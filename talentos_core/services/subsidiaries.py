"""Subsidiaries: the parts of a company that vacancies may belong to."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.roles import Operation
from talentos_core.services.records import TenantRecords


class SubsidiaryService(TenantRecords[Subsidiary]):
    """A subsidiary a vacancy belongs to cannot be deleted (:class:`InUse`)."""

    entity, prefix, repository = "subsidiary", "sub", "subsidiaries"
    operation = Operation.SUBSIDIARIES_MANAGE

    def _build(self, **values: Any) -> Subsidiary:
        return Subsidiary(**values)
