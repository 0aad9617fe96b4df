"""Organisation ports: how a tenant is structured (subsidiaries) and whom it works with
(recruiting agencies, connected systems)."""

from __future__ import annotations

from typing import Protocol

from talentos_core.domain.agencies import Agency
from talentos_core.domain.integrations import Integration
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.subsidiaries import Subsidiary


class SubsidiaryRepository(Protocol):
    def add(self, subsidiary: Subsidiary) -> None: ...

    def get(self, tenant_id: str, subsidiary_id: str) -> Subsidiary: ...

    def update(self, subsidiary: Subsidiary) -> None: ...

    def delete(self, tenant_id: str, subsidiary_id: str) -> None:
        """:class:`InUse` while a vacancy belongs to it."""
        ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[Subsidiary]: ...


class AgencyRepository(Protocol):
    def add(self, agency: Agency) -> None: ...

    def get(self, tenant_id: str, agency_id: str) -> Agency: ...

    def update(self, agency: Agency) -> None: ...

    def delete(self, tenant_id: str, agency_id: str) -> None:
        """:class:`InUse` while a candidate came through it."""
        ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[Agency]: ...


class IntegrationRepository(Protocol):
    def add(self, integration: Integration) -> None: ...

    def get(self, tenant_id: str, integration_id: str) -> Integration: ...

    def update(self, integration: Integration) -> None: ...

    def delete(self, tenant_id: str, integration_id: str) -> None: ...

    def list(self, tenant_id: str, page: PageRequest) -> Page[Integration]: ...
