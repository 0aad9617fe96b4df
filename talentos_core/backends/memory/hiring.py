"""In-memory hiring repositories: vacancies (and the careers board)."""

from __future__ import annotations

import attrs

from talentos_core.backends.memory.base import MemoryRepository, casefold, newest_first, page_of
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter, VacancyStatus


class MemoryVacancies(MemoryRepository[Vacancy]):
    table = "vacancies"
    references = (("tenant_id", "tenants"), ("subsidiary_id", "subsidiaries"))
    referenced_by = (
        ("candidates", "vacancy_id"),
        ("offers", "vacancy_id"),
        ("interviews", "vacancy_id"),
    )

    def add(self, vacancy: Vacancy) -> None:
        self._insert(vacancy.id, vacancy)

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy:
        return self._scoped(tenant_id, vacancy_id)

    def update(self, vacancy: Vacancy) -> None:
        self._replace_scoped(vacancy.tenant_id, vacancy.id, vacancy)

    def delete(self, tenant_id: str, vacancy_id: str) -> None:
        self._delete_scoped(tenant_id, vacancy_id)

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]:
        rows = [
            vacancy
            for vacancy in self._tenant_rows(tenant_id)
            if (where.status is None or vacancy.status == where.status)
            and (where.subsidiary_id is None or vacancy.subsidiary_id == where.subsidiary_id)
            and (where.q is None or where.q.casefold() in vacancy.search_text())
        ]
        return page_of(newest_first(rows), page)

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        location = where.location.casefold() if where.location is not None else None
        rows = self._t.select(
            self.table,
            lambda vacancy: (
                vacancy.status == VacancyStatus.OPEN
                and (where.tenant is None or vacancy.tenant_id == where.tenant)
                and (location is None or casefold(vacancy.location) == location)
                and (where.q is None or where.q.casefold() in vacancy.search_text())
            ),
        )
        return page_of(newest_first(rows), page)

    def find_open(self, vacancy_id: str) -> Vacancy | None:
        found = self._find(vacancy_id)
        return found if found is not None and found.status == VacancyStatus.OPEN else None

    def add_to_counters(
        self, tenant_id: str, vacancy_id: str, *, applicants: int = 0, hired: int = 0
    ) -> None:
        with self._t.lock:
            vacancy = self._scoped(tenant_id, vacancy_id)
            counted = attrs.evolve(
                vacancy, applicants=vacancy.applicants + applicants, hired=vacancy.hired + hired
            )
            self._t.put(self.table, vacancy_id, counted)
