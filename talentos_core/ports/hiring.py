"""Hiring ports: what tenants publish (vacancies, and the careers board over them)."""

from __future__ import annotations

from typing import Protocol

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter


class VacancyRepository(Protocol):
    def add(self, vacancy: Vacancy) -> None: ...

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy: ...

    def update(self, vacancy: Vacancy) -> None: ...

    def delete(self, tenant_id: str, vacancy_id: str) -> None:
        """:class:`InUse` while candidates, offers or interviews refer to it."""
        ...

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]: ...

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        """Open vacancies of every tenant (the careers board)."""
        ...

    def find_open(self, vacancy_id: str) -> Vacancy | None: ...

    def add_to_counters(
        self, tenant_id: str, vacancy_id: str, *, applicants: int = 0, hired: int = 0
    ) -> None:
        """Add to the server-kept ``applicants`` and ``hired`` counters (negative subtracts),
        leaving ``updated_at`` alone: counting candidates is not editing the vacancy."""
        ...
