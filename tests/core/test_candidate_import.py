"""Importing candidates through the Python API: each row succeeds or fails alone, the whole
import commits once with one audit event, an outbox event per new candidate, and vacancy
counters that equal a count of the candidates."""

from __future__ import annotations

from typing import Any

import pytest

from talentos_core import NewVacancy, TalentOS
from talentos_core.domain.actors import Actor
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.candidates import (
    Candidate,
    CandidateFilter,
    ImportRow,
    RowError,
    Source,
    Stage,
)
from talentos_core.domain.paging import PageRequest
from talentos_core.domain.vacancies import VacancyFilter
from talentos_core.errors import TooManyRows
from talentos_core.services.candidates import MAX_IMPORT_ROWS
from talentos_core.testing import FrozenClock, sign_up

EVERYTHING = PageRequest(limit=200)


def _setup(talentos: TalentOS) -> tuple[Actor, list[str], str, str]:
    """A tenant with two vacancies and an agency, and another tenant's vacancy."""
    admin = sign_up(talentos, "Acme Bank")
    vacancies = [talentos.vacancies.create(admin, NewVacancy(f"Job {n}")).id for n in range(2)]
    agency = talentos.agencies.create(admin, NewAgency("Hunters")).id
    other = sign_up(talentos, "Other Bank")
    foreign = talentos.vacancies.create(other, NewVacancy("Theirs")).id
    return admin, vacancies, agency, foreign


def _candidates(talentos: TalentOS, admin: Actor) -> dict[str, Candidate]:
    page = talentos.candidates.list(admin, CandidateFilter(), EVERYTHING)
    return {candidate.email: candidate for candidate in page.items}


def _counters(talentos: TalentOS, admin: Actor) -> dict[str, int]:
    page = talentos.vacancies.list(admin, VacancyFilter(), EVERYTHING)
    return {vacancy.id: vacancy.applicants for vacancy in page.items}


def _events(talentos: TalentOS, tenant_id: str) -> tuple[list[Any], list[Any]]:
    """The tenant's audit events (oldest first) and outbox events (oldest first)."""
    reader = talentos.store.reader()
    audit = list(reader.audit.stream(tenant_id))
    outbox = reader.outbox.list(tenant_id, EVERYTHING).items[::-1]
    return audit, outbox


class TestImportingCandidates:
    def test_new_rows_become_candidates_counted_on_their_vacancies(
        self, talentos: TalentOS
    ) -> None:
        """Each new row is an applied candidate from import; each vacancy counts its own."""
        admin, (one, two), agency, _ = _setup(talentos)
        rows = [
            ImportRow(one, "Ada", "ada@example.com", phone="+1 5", skills=["Go", "SQL"]),
            ImportRow(two, "Ben", "ben@example.com", experience=3, agency_id=agency),
            ImportRow(one, "Cy", "cy@example.com", location="Lagos"),
        ]
        result = talentos.candidates.import_rows(admin, rows)
        assert (result.total, result.created, result.updated, result.skipped) == (3, 3, 0, 0)
        stored = _candidates(talentos, admin)
        assert sorted(stored) == ["ada@example.com", "ben@example.com", "cy@example.com"]
        assert {c.stage for c in stored.values()} == {Stage.APPLIED}
        assert {c.source for c in stored.values()} == {Source.IMPORT}
        assert stored["ada@example.com"].skills == ["Go", "SQL"]
        assert stored["ben@example.com"].agency_id == agency
        assert _counters(talentos, admin) == {one: 2, two: 1}

    def test_one_audit_event_for_the_import_and_one_outbox_event_per_new_candidate(
        self, talentos: TalentOS
    ) -> None:
        """The audit chain gets one candidates.imported event naming the created and updated
        ids; the outbox gets candidate.applied for each new candidate, ids and states only."""
        admin, (one, two), _, _ = _setup(talentos)
        assert admin.tenant_id is not None
        before_audit, before_outbox = _events(talentos, admin.tenant_id)
        talentos.candidates.import_rows(admin, [ImportRow(one, "Ada", "ada@example.com")])
        mid_audit, mid_outbox = _events(talentos, admin.tenant_id)
        result = talentos.candidates.import_rows(
            admin,
            [
                ImportRow(two, "Ben", "ben@example.com"),
                ImportRow(one, "Ada Lovelace", "ADA@example.com"),
                ImportRow(one, "", "nobody@example.com"),
            ],
        )
        assert (result.created, result.updated, result.skipped) == (1, 1, 1)
        audit, outbox = _events(talentos, admin.tenant_id)
        stored = _candidates(talentos, admin)
        new_audit = audit[len(mid_audit) :]
        assert [event.type for event in new_audit] == ["candidates.imported"]
        assert new_audit[0].data == {
            "created": [stored["ben@example.com"].id],
            "updated": [stored["ada@example.com"].id],
            "failed": 1,
        }
        assert new_audit[0].summary == "Imported 1 new and 1 updated candidates"
        assert len(mid_audit) == len(before_audit) + 1
        assert [e.type for e in mid_outbox[len(before_outbox) :]] == ["candidate.applied"]
        new_outbox = outbox[len(mid_outbox) :]
        assert [(e.type, e.data) for e in new_outbox] == [
            (
                "candidate.applied",
                {
                    "candidateId": stored["ben@example.com"].id,
                    "vacancyId": two,
                    "stage": "applied",
                    "source": "import",
                },
            )
        ]

    def test_bad_rows_fail_alone_and_leave_nothing_behind(self, talentos: TalentOS) -> None:
        """Invalid rows, another tenant's vacancy, an unknown agency: each such row is an
        error with its index and code, writes nothing, counts nothing; the rest commit."""
        admin, (one, _), _, foreign = _setup(talentos)
        rows: list[Any] = [
            {"vacancyId": one, "name": "Ada", "email": "ada@example.com"},
            {"vacancyId": one, "name": "No Email"},
            {"vacancyId": foreign, "name": "Yaw", "email": "yaw@example.com"},
            {"vacancyId": one, "name": "Kofi", "email": "kofi@example.com", "agencyId": "agy_x"},
            "not an object",
            {"vacancyId": "vac_missing", "name": "Efua", "email": "efua@example.com"},
            {"vacancyId": one, "name": "Efua", "email": "efua@example.com"},
        ]
        result = talentos.candidates.import_rows(admin, rows)
        assert (result.total, result.created, result.updated, result.skipped) == (7, 2, 0, 5)
        assert [(e.row, e.code) for e in result.errors] == [
            (1, "validation_error"),
            (2, "not_found"),
            (3, "not_found"),
            (4, "validation_error"),
            (5, "not_found"),
        ]
        assert result.errors[0] == RowError(1, "validation_error", "email is required.")
        assert sorted(_candidates(talentos, admin)) == ["ada@example.com", "efua@example.com"]
        assert _counters(talentos, admin)[one] == 2
        assert admin.tenant_id is not None
        _, outbox = _events(talentos, admin.tenant_id)
        assert sum(e.type == "candidate.applied" for e in outbox) == 2

    def test_a_known_email_updates_the_given_fields_and_keeps_its_spelling(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """A row whose email (any case) the vacancy has updates what the row gives; an empty
        cell keeps the stored value; the stored email spelling stays; nothing is counted."""
        admin, (one, two), _, _ = _setup(talentos)
        talentos.candidates.import_rows(
            admin, [ImportRow(one, "Ada", "Ada@Example.com", phone="+1 5", skills=["Go"])]
        )
        before = _candidates(talentos, admin)["Ada@Example.com"]
        clock.advance(minutes=1)
        result = talentos.candidates.import_rows(
            admin,
            [
                ImportRow(one, "Ada Lovelace", "ada@example.com", experience=9),
                ImportRow(two, "Ada", "ada@example.com"),  # another vacancy: a new candidate
            ],
        )
        assert (result.created, result.updated) == (1, 1)
        after = _candidates(talentos, admin)
        assert len(after) == 2
        updated = after["Ada@Example.com"]
        assert (updated.id, updated.name, updated.experience) == (before.id, "Ada Lovelace", 9)
        assert (updated.phone, updated.skills) == ("+1 5", ["Go"])
        assert updated.updated_at == clock.now() != before.updated_at
        assert _counters(talentos, admin) == {one: 1, two: 1}

    def test_a_row_that_changes_nothing_counts_as_updated_and_writes_nothing(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """A repeated row is reported updated, and the candidate keeps its updated_at."""
        admin, (one, _), _, _ = _setup(talentos)
        row = ImportRow(one, "Ada", "ada@example.com", skills=["Go"])
        talentos.candidates.import_rows(admin, [row])
        before = _candidates(talentos, admin)["ada@example.com"]
        clock.advance(minutes=1)
        result = talentos.candidates.import_rows(admin, [row])
        assert (result.created, result.updated) == (0, 1)
        assert _candidates(talentos, admin)["ada@example.com"] == before

    def test_the_same_email_twice_in_one_import_creates_then_updates(
        self, talentos: TalentOS
    ) -> None:
        """The second row sees the first: one candidate, counted once, with the later name."""
        admin, (one, _), _, _ = _setup(talentos)
        result = talentos.candidates.import_rows(
            admin,
            [ImportRow(one, "Ada", "ada@example.com"), ImportRow(one, "Ada L", "ADA@example.com")],
        )
        assert (result.created, result.updated) == (1, 1)
        stored = _candidates(talentos, admin)
        assert [(c.email, c.name) for c in stored.values()] == [("ada@example.com", "Ada L")]
        assert _counters(talentos, admin)[one] == 1

    def test_an_import_with_no_row_succeeding_records_nothing(self, talentos: TalentOS) -> None:
        """Only failures: no audit event, no outbox event, no counter moves."""
        admin, (one, _), _, foreign = _setup(talentos)
        assert admin.tenant_id is not None
        before = _events(talentos, admin.tenant_id)
        result = talentos.candidates.import_rows(admin, [ImportRow(foreign, "Y", "y@example.com")])
        assert (result.created, result.skipped) == (0, 1)
        assert _events(talentos, admin.tenant_id) == before
        assert _counters(talentos, admin)[one] == 0

    def test_too_many_rows_are_refused_before_any_is_read(self, talentos: TalentOS) -> None:
        """Past the limit: TooManyRows, and nothing written."""
        admin, (one, _), _, _ = _setup(talentos)
        rows = [ImportRow(one, "P", f"p{n}@example.com") for n in range(MAX_IMPORT_ROWS + 1)]
        with pytest.raises(TooManyRows):
            talentos.candidates.import_rows(admin, rows)
        assert _candidates(talentos, admin) == {}
