"""In-memory organisation repositories: subsidiaries, agencies, integrations."""

from __future__ import annotations

from talentos_core.backends.memory.base import MemoryTenantTable
from talentos_core.domain.agencies import Agency
from talentos_core.domain.integrations import Integration
from talentos_core.domain.subsidiaries import Subsidiary


class MemorySubsidiaries(MemoryTenantTable[Subsidiary]):
    table = "subsidiaries"
    referenced_by = (("vacancies", "subsidiary_id"),)


class MemoryAgencies(MemoryTenantTable[Agency]):
    table = "agencies"
    referenced_by = (("candidates", "agency_id"),)


class MemoryIntegrations(MemoryTenantTable[Integration]):
    table = "integrations"
