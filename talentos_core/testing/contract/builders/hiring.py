"""Hiring builders: the smallest valid vacancy, and one with every field set."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.vacancies import EmploymentType, Level, Vacancy, VacancyStatus
from talentos_core.testing.contract._support import ACME, T0, at


def make_vacancy(vacancy_id: str, tenant_id: str = ACME, **fields: Any) -> Vacancy:
    base = Vacancy(
        id=vacancy_id, tenant_id=tenant_id, title=vacancy_id, created_at=T0, updated_at=T0
    )
    return attrs.evolve(base, **fields)


def full_vacancy(vacancy_id: str = "vac_full", subsidiary_id: str = "sub_full") -> Vacancy:
    return Vacancy(
        id=vacancy_id,
        tenant_id=ACME,
        title="Ingénieure Backend 🚀",
        created_at=at(5),
        updated_at=at(6.000001),
        description="Python — 日本語",
        location="Zürich",
        level=Level.PRINCIPAL,
        employment_type=EmploymentType.CONTRACT,
        skills=["Python", "SQL", "Ünï"],
        status=VacancyStatus.ON_HOLD,
        subsidiary_id=subsidiary_id,
        internal_notes="Budget: €120k",
        applicants=7,
        hired=2,
        created_by="usr_9",
    )
