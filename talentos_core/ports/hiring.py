"""Hiring ports: what tenants publish (vacancies) and how they are organised (subsidiaries)."""

from __future__ import annotations

from typing import Protocol

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter


class VacancyRepository(Protocol):
    def add(self, vacancy: Vacancy) -> None: ...

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy: ...

    def update(self, vacancy: Vacancy) -> None: ...

    def delete(self, tenant_id: str, vacancy_id: str) -> None: ...

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]: ...

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        """Open vacancies of every tenant (the careers board)."""
        ...

    def find_open(self, vacancy_id: str) -> Vacancy | None: ...


class SubsidiaryRepository(Protocol):
    def add(self, subsidiary: Subsidiary) -> None: ...

    def get(self, tenant_id: str, subsidiary_id: str) -> Subsidiary: ...
