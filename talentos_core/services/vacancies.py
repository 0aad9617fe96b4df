"""Vacancies of the caller's tenant."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.actors import Actor
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import changes, check
from talentos_core.domain.vacancies import (
    NewVacancy,
    Vacancy,
    VacancyFilter,
    VacancyPatch,
    VacancyStatus,
)
from talentos_core.errors import InUse
from talentos_core.roles import Operation
from talentos_core.services.base import Service, Transaction


class VacancyService(Service):
    def list(
        self,
        actor: Actor,
        where: VacancyFilter = VacancyFilter(),
        page: PageRequest = PageRequest(),
    ) -> Page[Vacancy]:
        return self._read.vacancies.list(self._tenant(actor, Operation.VACANCIES_LIST), where, page)

    def get(self, actor: Actor, vacancy_id: str) -> Vacancy:
        return self._read.vacancies.get(self._tenant(actor, Operation.VACANCIES_READ), vacancy_id)

    def create(self, actor: Actor, form: NewVacancy) -> Vacancy:
        """Create a vacancy; one created ``open`` fires ``vacancy.published``.

        Raises :class:`ValidationError`, and :class:`NotFound` for a subsidiary that is not
        the tenant's.
        """
        tenant_id = self._tenant(actor, Operation.VACANCIES_CREATE)
        check(form)
        now = self._now()
        vacancy = Vacancy(
            id=self._deps.ids.new("vac"),
            tenant_id=tenant_id,
            created_at=now,
            updated_at=now,
            created_by=actor.id,
            **attrs.asdict(form, recurse=False),
        )
        with self._transaction(actor) as tx:
            if vacancy.subsidiary_id is not None:
                tx.uow.subsidiaries.get(tenant_id, vacancy.subsidiary_id)
            tx.uow.vacancies.add(vacancy)
            tx.record(
                "vacancy.created",
                entity_type="vacancy",
                entity_id=vacancy.id,
                summary=f"Created vacancy {vacancy.title}",
            )
            if vacancy.status == VacancyStatus.OPEN:
                _publish(tx, vacancy)
        return vacancy

    def update(self, actor: Actor, vacancy_id: str, patch: VacancyPatch) -> Vacancy:
        """Change the fields ``patch`` sets; becoming ``open`` fires ``vacancy.published``.

        A patch that changes nothing writes nothing.
        """
        tenant_id = self._tenant(actor, Operation.VACANCIES_UPDATE)
        check(patch)
        with self._transaction(actor) as tx:
            vacancy = tx.uow.vacancies.get(tenant_id, vacancy_id)
            changed = changes(patch, vacancy)
            if not changed:
                return vacancy
            if changed.get("subsidiary_id") is not None:
                tx.uow.subsidiaries.get(tenant_id, changed["subsidiary_id"])
            updated = attrs.evolve(vacancy, **changed, updated_at=self._now())
            tx.uow.vacancies.update(updated)
            tx.record_changes("vacancy", vacancy_id, changed)
            if updated.status == VacancyStatus.OPEN and vacancy.status != VacancyStatus.OPEN:
                _publish(tx, updated)
        return updated

    def delete(self, actor: Actor, vacancy_id: str) -> None:
        """Delete a vacancy that has no candidates; :class:`InUse` otherwise."""
        tenant_id = self._tenant(actor, Operation.VACANCIES_DELETE)
        with self._transaction(actor) as tx:
            vacancy = tx.uow.vacancies.get(tenant_id, vacancy_id)
            if vacancy.applicants:
                raise InUse("The vacancy still has candidates.")
            tx.uow.vacancies.delete(tenant_id, vacancy_id)
            tx.record(
                "vacancy.deleted",
                entity_type="vacancy",
                entity_id=vacancy_id,
                summary=f"Deleted vacancy {vacancy.title}",
            )


def _publish(tx: Transaction, vacancy: Vacancy) -> None:
    tx.emit("vacancy.published", {"vacancy": published_view(vacancy)})


def published_view(vacancy: Vacancy) -> dict[str, Any]:
    """What a ``vacancy.published`` webhook carries: the public facts, no counters or notes."""
    return {
        "id": vacancy.id,
        "title": vacancy.title,
        "location": vacancy.location,
        "level": vacancy.level.value if vacancy.level else None,
        "employmentType": vacancy.employment_type.value if vacancy.employment_type else None,
        "skills": list(vacancy.skills),
        "status": vacancy.status.value,
    }
