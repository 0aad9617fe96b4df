"""Interviews and their scorecards (CONTRACT §5, §6).

An interviewer-role caller may only file their own scorecard (under their own name,
whatever the request says) or mark the interview completed.
"""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.clock import isoformat
from talentos_core.domain.actors import Actor, ActorType
from talentos_core.domain.interviews import (
    Interview,
    InterviewFilter,
    InterviewPatch,
    InterviewStatus,
    NewInterview,
    Scorecard,
    interviewer_may,
)
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import UNSET, changes, check
from talentos_core.errors import Forbidden, ValidationError
from talentos_core.roles import Operation, Role
from talentos_core.services.base import Service, Transaction


class InterviewService(Service):
    def list(
        self,
        actor: Actor,
        where: InterviewFilter = InterviewFilter(),
        page: PageRequest = PageRequest(),
    ) -> Page[Interview]:
        """The tenant's interviews by time, earliest first, ``since`` ≤ ``scheduledAt`` <
        ``until``. Raises :class:`ValidationError` for a filter breaking a rule (a time
        without a zone)."""
        tenant_id = self._tenant(actor, Operation.INTERVIEWS_LIST)
        check(where)
        return self._read.interviews.list(tenant_id, where, page)

    def get(self, actor: Actor, interview_id: str) -> Interview:
        tenant_id = self._tenant(actor, Operation.INTERVIEWS_READ)
        return self._read.interviews.get(tenant_id, interview_id)

    def schedule(self, actor: Actor, form: NewInterview) -> Interview:
        """Schedule an interview of a candidate of the vacancy; fires ``interview.scheduled``.

        Raises :class:`ValidationError` (a candidate of another vacancy too) and
        :class:`NotFound` for a candidate or vacancy that is not the tenant's.
        """
        tenant_id = self._tenant(actor, Operation.INTERVIEWS_CREATE)
        check(form)
        now = self._now()
        with self._transaction(actor) as tx:
            candidate = tx.uow.candidates.get(tenant_id, form.candidate_id)
            tx.uow.vacancies.get(tenant_id, form.vacancy_id)
            if candidate.vacancy_id != form.vacancy_id:
                raise ValidationError({"candidate_id": "is not a candidate of this vacancy"})
            interview = Interview(
                id=self._deps.ids.new("iv"),
                tenant_id=tenant_id,
                created_at=now,
                updated_at=now,
                created_by=actor.id,
                **attrs.asdict(form, recurse=False),
            )
            tx.uow.interviews.add(interview)
            tx.record(
                "interview.scheduled",
                entity_type="interview",
                entity_id=interview.id,
                summary=f"Scheduled a {interview.kind} interview",
                data=_ids(interview),
            )
            tx.emit(
                "interview.scheduled",
                {
                    **_ids(interview),
                    "scheduledAt": isoformat(interview.scheduled_at),
                    "kind": interview.kind.value,
                },
            )
        return interview

    def update(self, actor: Actor, interview_id: str, patch: InterviewPatch) -> Interview:
        """Change fields, move the status, or file a scorecard (replacing the one filed
        under the same interviewer name, any case).

        Becoming ``completed`` fires ``interview.completed``. An interviewer-role caller
        may only add a scorecard, filed under their own name, and mark the interview
        completed (:class:`Forbidden` for anything else). Status moves follow
        :meth:`Interview.set_status` (:class:`InvalidTransition`).
        """
        tenant_id = self._tenant(actor, Operation.INTERVIEWS_UPDATE)
        if actor.role == Role.INTERVIEWER and not interviewer_may(patch):
            raise Forbidden("An interviewer may only add their scorecard or complete it.")
        check(patch)
        now = self._now()
        with self._transaction(actor) as tx:
            interview = tx.uow.interviews.get(tenant_id, interview_id)
            changed = changes(attrs.evolve(patch, add_scorecard=UNSET), interview)
            status = changed.pop("status", None)
            updated = attrs.evolve(interview, **changed) if changed else interview
            card = patch.add_scorecard
            if card is not UNSET:
                name = self._filer(tx, actor) if actor.role == Role.INTERVIEWER else None
                scorecard = Scorecard(
                    interviewer=name or card.interviewer,
                    score=card.score,
                    recommendation=card.recommendation,
                    notes=card.notes,
                    submitted_at=now,
                )
                updated = updated.with_scorecard(scorecard, now)
            if status is not None:
                updated = updated.set_status(status, now)
            if updated == interview:
                return interview
            updated = attrs.evolve(updated, updated_at=now)
            tx.uow.interviews.update(updated)
            if changed:
                tx.record_changes("interview", interview_id, changed)
            if card is not UNSET:
                tx.record(
                    "interview.scorecard_filed",
                    entity_type="interview",
                    entity_id=interview_id,
                    summary="Filed a scorecard",
                    data={**_ids(updated), "recommendation": card.recommendation.value},
                )
            if status is not None and updated.status != interview.status:
                tx.record(
                    f"interview.{updated.status}",
                    entity_type="interview",
                    entity_id=interview_id,
                    summary=f"Interview {interview.status} → {updated.status}",
                    data={**_ids(updated), "from": interview.status.value},
                )
                if updated.status == InterviewStatus.COMPLETED:
                    tx.emit("interview.completed", {**_ids(updated), "status": "completed"})
        return updated

    def delete(self, actor: Actor, interview_id: str) -> None:
        tenant_id = self._tenant(actor, Operation.INTERVIEWS_DELETE)
        with self._transaction(actor) as tx:
            interview = tx.uow.interviews.get(tenant_id, interview_id)
            tx.uow.interviews.delete(tenant_id, interview_id)
            tx.record(
                "interview.deleted",
                entity_type="interview",
                entity_id=interview_id,
                summary="Deleted an interview",
                data=_ids(interview),
            )

    @staticmethod
    def _filer(tx: Transaction, actor: Actor) -> str:
        """The name an interviewer's scorecard is filed under: their user name, or an API
        key's name."""
        assert actor.tenant_id is not None and actor.id is not None
        if actor.type == ActorType.API_KEY:
            return tx.uow.api_keys.get(actor.tenant_id, actor.id).name
        return tx.uow.users.get(actor.tenant_id, actor.id).name


def _ids(interview: Interview) -> dict[str, Any]:
    return {
        "interviewId": interview.id,
        "candidateId": interview.candidate_id,
        "vacancyId": interview.vacancy_id,
    }
