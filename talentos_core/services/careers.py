"""The public careers board: open vacancies of every tenant, sanitized."""

from __future__ import annotations

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.tenants import PublicCompany, Tenant
from talentos_core.domain.vacancies import CareersFilter, PublicVacancy, Vacancy
from talentos_core.errors import NotFound
from talentos_core.services.base import Service


class CareersService(Service):
    """Needs no actor: everything here is public."""

    def list(
        self, where: CareersFilter = CareersFilter(), page: PageRequest = PageRequest()
    ) -> Page[PublicVacancy]:
        found = self._read.vacancies.list_open(where, page)
        tenants = self._read.tenants.get_many(v.tenant_id for v in found.items)
        items = [_public(v, tenants[v.tenant_id]) for v in found.items]
        return Page(items, found.total, found.limit, found.offset)

    def origin_allowed(self, origin: str, tenant_id: str | None = None) -> bool:
        """Whether a browser page at ``origin`` may post applications: to ``tenant_id``'s
        vacancies when given, else to some tenant's (a CORS preflight does not say which).
        """
        wanted = origin.lower()
        if tenant_id is None:
            return self._read.tenants.lists_origin(wanted)
        tenant = self._read.tenants.find(tenant_id)
        return tenant is not None and tenant.allows_origin(wanted)

    def get(self, vacancy_id: str) -> PublicVacancy:
        """An open vacancy; :class:`NotFound` for any other (draft, closed, missing)."""
        vacancy = self._read.vacancies.find_open(vacancy_id)
        if vacancy is None:
            raise NotFound()
        return _public(vacancy, self._read.tenants.get(vacancy.tenant_id))


def _public(vacancy: Vacancy, tenant: Tenant) -> PublicVacancy:
    return PublicVacancy(
        id=vacancy.id,
        title=vacancy.title,
        description=vacancy.description,
        location=vacancy.location,
        level=vacancy.level,
        employment_type=vacancy.employment_type,
        skills=list(vacancy.skills),
        created_at=vacancy.created_at,
        company=PublicCompany.of(tenant),
    )
