"""SQLite hiring repositories: vacancies (and the careers board)."""

from __future__ import annotations

from typing import Any

from talentos_core.backends.sqlite.base import NEWEST, SQLiteRepository
from talentos_core.backends.sqlite.rows import to_row
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.vacancies import CareersFilter, Vacancy, VacancyFilter
from talentos_core.errors import NotFound


class SQLiteVacancies(SQLiteRepository[Vacancy]):
    table, kind = "vacancies", Vacancy

    @staticmethod
    def _row(vacancy: Vacancy) -> dict[str, Any]:
        location_key = vacancy.location.casefold() if vacancy.location is not None else None
        return {
            **to_row(vacancy),
            "search_text": vacancy.search_text(),
            "location_key": location_key,
        }

    def add(self, vacancy: Vacancy) -> None:
        self._insert(self._row(vacancy))

    def get(self, tenant_id: str, vacancy_id: str) -> Vacancy:
        return self._scoped(tenant_id, vacancy_id)

    def update(self, vacancy: Vacancy) -> None:
        self._update_scoped(self._row(vacancy))

    def delete(self, tenant_id: str, vacancy_id: str) -> None:
        self._delete_scoped(tenant_id, vacancy_id)

    def list(self, tenant_id: str, where: VacancyFilter, page: PageRequest) -> Page[Vacancy]:
        clauses, params = ["tenant_id = ?"], [tenant_id]
        if where.status is not None:
            clauses.append("status = ?")
            params.append(where.status.value)
        if where.subsidiary_id is not None:
            clauses.append("subsidiary_id = ?")
            params.append(where.subsidiary_id)
        if where.q is not None:
            clauses.append("instr(search_text, ?) > 0")
            params.append(where.q.casefold())
        return self._page(" AND ".join(clauses), params, page, NEWEST)

    def list_open(self, where: CareersFilter, page: PageRequest) -> Page[Vacancy]:
        clauses, params = ["status = 'open'"], []
        if where.tenant is not None:
            clauses.append("tenant_id = ?")
            params.append(where.tenant)
        if where.location is not None:
            clauses.append("location_key = ?")
            params.append(where.location.casefold())
        if where.q is not None:
            clauses.append("instr(search_text, ?) > 0")
            params.append(where.q.casefold())
        return self._page(" AND ".join(clauses), params, page, NEWEST)

    def find_open(self, vacancy_id: str) -> Vacancy | None:
        return self._one("SELECT * FROM vacancies WHERE id = ? AND status = 'open'", (vacancy_id,))

    def add_to_counters(
        self, tenant_id: str, vacancy_id: str, *, applicants: int = 0, hired: int = 0
    ) -> None:
        cursor = self._c.execute(
            "UPDATE vacancies SET applicants = applicants + ?, hired = hired + ? "
            "WHERE id = ? AND tenant_id = ?",
            (applicants, hired, vacancy_id, tenant_id),
        )
        if cursor.rowcount == 0:
            raise NotFound()
