"""Candidates: public applications, the tenant's pipeline, bulk import.

The vacancy counters (``applicants``, ``hired``) are kept here and only here, in the same
transaction as the change that moves them, so they equal a count of the candidates after
any sequence of applies, imports, stage moves, offer decisions and deletes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import attrs

from talentos_core.domain.actors import Actor
from talentos_core.domain.candidates import (
    Application,
    ApplyResult,
    Candidate,
    CandidateFilter,
    CandidatePatch,
    ImportResult,
    ImportRow,
    RowError,
    Source,
    Stage,
)
from talentos_core.domain.limits import RateLimit
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import changes, check
from talentos_core.errors import NotFound, TalentOSError, TooManyRows
from talentos_core.naming import camel
from talentos_core.roles import Operation, Role
from talentos_core.services.base import Service, Transaction

#: Rows one import may carry (CONTRACT §6); more is refused before any row is read.
MAX_IMPORT_ROWS = 500
#: Who may move a candidate out of ``hired``.
MAY_LEAVE_HIRED = frozenset({Role.ADMIN, Role.CHRO})
APPLY_WINDOW = timedelta(minutes=1)


class CandidateService(Service):
    def apply(self, actor: Actor, form: Application) -> ApplyResult:
        """A public application to an open vacancy (any tenant's: the vacancy decides).

        A second application with the same email (any case) answers the existing candidate
        with ``dedup=True`` and changes nothing. Raises :class:`RateLimited` past
        ``Settings.apply_rate`` applications a minute from one client IP (every attempt
        counts), :class:`ValidationError`, and :class:`NotFound` for a vacancy that is not
        open.
        """
        rule = RateLimit("apply", self._deps.settings.apply_rate, APPLY_WINDOW)
        self._throttle(rule, actor.origin.ip)
        check(form)
        with self._transaction(actor) as tx:
            vacancy = tx.uow.vacancies.find_open(form.vacancy_id)
            if vacancy is None:
                raise NotFound("No such open vacancy.")
            tenant_id = vacancy.tenant_id
            if form.resume_upload_id is not None:
                _no_such_upload()
            existing = tx.uow.candidates.find_by_email(tenant_id, vacancy.id, form.email)
            if existing is not None:
                return ApplyResult(existing, dedup=True)
            values = attrs.asdict(form, recurse=False)
            candidate = self._new(tenant_id, values, Source.CAREERS)
            _add(tx, candidate, tenant_id)
        return ApplyResult(candidate, dedup=False)

    def list(
        self,
        actor: Actor,
        where: CandidateFilter = CandidateFilter(),
        page: PageRequest = PageRequest(),
    ) -> Page[Candidate]:
        """The tenant's candidates, newest first, filtered in the store."""
        tenant_id = self._tenant(actor, Operation.CANDIDATES_LIST)
        check(where)
        return self._read.candidates.list(tenant_id, where, page)

    def get(self, actor: Actor, candidate_id: str) -> Candidate:
        tenant_id = self._tenant(actor, Operation.CANDIDATES_READ)
        return self._read.candidates.get(tenant_id, candidate_id)

    def update(self, actor: Actor, candidate_id: str, patch: CandidatePatch) -> Candidate:
        """Change fields and move the stage; a patch that changes nothing writes nothing.

        A stage move follows :meth:`Candidate.move_to` (:class:`InvalidTransition`; only
        admin or chro leave ``hired``: :class:`Forbidden`) and fires
        ``candidate.stage_changed``. Raises :class:`NotFound` for an agency or upload that
        is not the tenant's, :class:`Conflict` for an email another candidate of the vacancy
        has.
        """
        tenant_id = self._tenant(actor, Operation.CANDIDATES_UPDATE)
        check(patch)
        with self._transaction(actor) as tx:
            candidate = tx.uow.candidates.get(tenant_id, candidate_id)
            changed = changes(patch, candidate)
            stage = changed.pop("stage", None)
            if changed.get("agency_id") is not None:
                tx.uow.agencies.get(tenant_id, changed["agency_id"])
            if changed.get("resume_upload_id") is not None:
                _no_such_upload()
            updated = candidate
            if changed:
                updated = attrs.evolve(candidate, **changed, updated_at=self._now())
                tx.uow.candidates.update(updated)
                tx.record_changes("candidate", candidate_id, changed)
            if stage is not None:
                updated = change_stage(tx, updated, stage, may_leave_hired=_may_leave(actor))
        return updated

    def delete(self, actor: Actor, candidate_id: str) -> None:
        """Delete a candidate with their offers and interviews; the counters follow."""
        tenant_id = self._tenant(actor, Operation.CANDIDATES_DELETE)
        with self._transaction(actor) as tx:
            candidate = tx.uow.candidates.get(tenant_id, candidate_id)
            for offer in tx.uow.offers.of_candidate(tenant_id, candidate_id):
                tx.uow.offers.delete(tenant_id, offer.id)
            for interview in tx.uow.interviews.of_candidate(tenant_id, candidate_id):
                tx.uow.interviews.delete(tenant_id, interview.id)
            tx.uow.candidates.delete(tenant_id, candidate_id)
            tx.uow.vacancies.add_to_counters(
                tenant_id,
                candidate.vacancy_id,
                applicants=-1,
                hired=-1 if candidate.stage == Stage.HIRED else 0,
            )
            tx.record(
                "candidate.deleted",
                entity_type="candidate",
                entity_id=candidate_id,
                summary="Deleted a candidate",
                data={"vacancyId": candidate.vacancy_id},
            )

    def import_rows(self, actor: Actor, rows: Sequence[Any]) -> ImportResult:
        """Create or update candidates from raw rows (JSON objects, or CSV records parsed by
        :meth:`ImportRow.from_csv`), each succeeding or failing alone.

        More than :data:`MAX_IMPORT_ROWS` rows raise :class:`TooManyRows` before any row is
        read. A row is validated like an application; a vacancy or agency outside the
        tenant fails that row with code ``not_found``. A row whose email the vacancy already
        has updates that candidate. All rows commit in one transaction, a savepoint each.
        """
        tenant_id = self._tenant(actor, Operation.CANDIDATES_IMPORT)
        if len(rows) > MAX_IMPORT_ROWS:
            raise TooManyRows(f"An import takes at most {MAX_IMPORT_ROWS} rows.")
        created: list[str] = []
        updated: list[str] = []
        errors: list[RowError] = []
        with self._transaction(actor) as tx:
            batch = _ImportBatch(tx, tenant_id)
            for index, raw in enumerate(rows):
                try:
                    with tx.uow.savepoint():
                        if isinstance(raw, ImportRow):
                            check(raw)
                        row = raw if isinstance(raw, ImportRow) else ImportRow.parse(raw)
                        candidate, is_new = self._import_row(batch, row)
                except TalentOSError as error:
                    errors.append(RowError(index, error.code, _describe(error)))
                    continue
                if is_new:
                    created.append(candidate.id)
                    batch.count(candidate.vacancy_id)
                else:
                    updated.append(candidate.id)
            batch.add_counts()
            if created or updated:
                tx.record(
                    "candidates.imported",
                    entity_type="candidate",
                    summary=f"Imported {len(created)} new and {len(updated)} updated candidates",
                    data={"created": created, "updated": updated, "failed": len(errors)},
                )
        return ImportResult(len(rows), len(created), len(updated), len(errors), errors)

    def _import_row(self, batch: _ImportBatch, row: ImportRow) -> tuple[Candidate, bool]:
        tx, tenant_id = batch.tx, batch.tenant_id
        vacancy_id = batch.vacancy(row.vacancy_id)
        if row.agency_id is not None:
            batch.agency(row.agency_id)
        existing = tx.uow.candidates.find_by_email(tenant_id, vacancy_id, row.email)
        values = attrs.asdict(row, recurse=False)
        if existing is None:
            candidate = self._new(tenant_id, values, Source.IMPORT)
            tx.uow.candidates.add(candidate)
            tx.emit("candidate.applied", applied_event(candidate), tenant_id=tenant_id)
            return candidate, True
        # A row updates what it gives: a field it leaves out (or empty skills) keeps its value.
        # The email matched (ignoring case), so the candidate keeps the spelling stored.
        given = {name: value for name, value in values.items() if value not in (None, [])}
        given.pop("vacancy_id")
        given.pop("email")
        changed = {name: value for name, value in given.items() if getattr(existing, name) != value}
        if not changed:
            return existing, False
        candidate = attrs.evolve(existing, **changed, updated_at=self._now())
        tx.uow.candidates.update(candidate)
        return candidate, False

    def _new(self, tenant_id: str, values: dict[str, Any], source: Source) -> Candidate:
        now = self._now()
        values = {name: value for name, value in values.items() if name != "resume_upload_id"}
        return Candidate(
            id=self._deps.ids.new("cand"),
            tenant_id=tenant_id,
            created_at=now,
            updated_at=now,
            stage_changed_at=now,
            source=source,
            **values,
        )


def _add(tx: Transaction, candidate: Candidate, tenant_id: str) -> None:
    """Store an applicant, count them on their vacancy, record and fire
    ``candidate.applied``. (An import stores its rows itself: one audit event for all of
    them, and the counters added once per vacancy.)"""
    tx.uow.candidates.add(candidate)
    tx.uow.vacancies.add_to_counters(tenant_id, candidate.vacancy_id, applicants=1)
    tx.record(
        "candidate.applied",
        entity_type="candidate",
        entity_id=candidate.id,
        summary="A candidate applied",
        data={"vacancyId": candidate.vacancy_id, "source": candidate.source.value},
        tenant_id=tenant_id,
    )
    tx.emit("candidate.applied", applied_event(candidate), tenant_id=tenant_id)


class _ImportBatch:
    """What one import looks up once and writes once: the tenant's vacancies and agencies the
    rows name (found once each, however many rows name them), and the new candidates per
    vacancy, added to the counters after the last row. Rows only count here once their
    savepoint is released, so a failed row counts nothing."""

    def __init__(self, tx: Transaction, tenant_id: str) -> None:
        self.tx = tx
        self.tenant_id = tenant_id
        self._vacancies: set[str] = set()
        self._agencies: set[str] = set()
        self._new: dict[str, int] = {}

    def vacancy(self, vacancy_id: str) -> str:
        """``vacancy_id`` once it is known to be the tenant's; :class:`NotFound` if not."""
        if vacancy_id not in self._vacancies:
            self.tx.uow.vacancies.get(self.tenant_id, vacancy_id)
            self._vacancies.add(vacancy_id)
        return vacancy_id

    def agency(self, agency_id: str) -> None:
        """:class:`NotFound` unless ``agency_id`` is the tenant's."""
        if agency_id not in self._agencies:
            self.tx.uow.agencies.get(self.tenant_id, agency_id)
            self._agencies.add(agency_id)

    def count(self, vacancy_id: str) -> None:
        self._new[vacancy_id] = self._new.get(vacancy_id, 0) + 1

    def add_counts(self) -> None:
        for vacancy_id, applicants in self._new.items():
            self.tx.uow.vacancies.add_to_counters(self.tenant_id, vacancy_id, applicants=applicants)


def change_stage(
    tx: Transaction, candidate: Candidate, stage: Stage, *, may_leave_hired: bool
) -> Candidate:
    """Move ``candidate`` to ``stage`` (a no-op for the same stage), keeping the vacancy's
    ``hired`` counter, and record and fire ``candidate.stage_changed``."""
    moved = candidate.move_to(stage, tx.now(), may_leave_hired=may_leave_hired)
    if moved is candidate:
        return candidate
    tx.uow.candidates.update(moved)
    hired = (moved.stage == Stage.HIRED) - (candidate.stage == Stage.HIRED)
    if hired:
        tx.uow.vacancies.add_to_counters(moved.tenant_id, moved.vacancy_id, hired=hired)
    data = {"from": candidate.stage.value, "to": moved.stage.value}
    tx.record(
        "candidate.stage_changed",
        entity_type="candidate",
        entity_id=moved.id,
        summary=f"Moved a candidate from {candidate.stage} to {moved.stage}",
        data=data,
    )
    tx.emit(
        "candidate.stage_changed",
        {"candidateId": moved.id, "vacancyId": moved.vacancy_id, **data},
    )
    return moved


def applied_event(candidate: Candidate) -> dict[str, Any]:
    """What ``candidate.applied`` carries: ids and states, never the person's details."""
    return {
        "candidateId": candidate.id,
        "vacancyId": candidate.vacancy_id,
        "stage": candidate.stage.value,
        "source": candidate.source.value,
    }


def _may_leave(actor: Actor) -> bool:
    return actor.role in MAY_LEAVE_HIRED


def _no_such_upload() -> None:
    # Uploads arrive with the files issue; until then no upload id names one of the tenant's.
    raise NotFound("No such upload.")


def _describe(error: TalentOSError) -> str:
    """A row error's message. :meth:`ImportRow.parse` writes its own (unknown keys named as
    sent, which ``camel`` would rename and cache); a bare field check gets one from its fields."""
    fields = getattr(error, "fields", None)
    if fields and error.message == error.default_message:
        return "; ".join(f"{camel(name)} {why}" for name, why in sorted(fields.items())) + "."
    return error.message
