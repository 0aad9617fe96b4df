"""Bulk candidate import through the Python API, on both backends (CONTRACT §6): each row
succeeds or fails alone in one transaction, rows are read strictly, ids outside the tenant are
per-row `not_found`, known emails update, and at most 500 rows are taken."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from core_pipeline import (
    ADA,
    TENANT,
    Unreadable,
    apply,
    counting_transactions,
    leaks,
    open_vacancy,
    outbox,
    row,
    trail,
    types_since,
    vacancy_counters,
    written,
)

from talentos_core import (
    Actor,
    Conflict,
    TalentOS,
)
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.candidates import (
    CandidateFilter,
    ImportRow,
    RowError,
    Source,
    Stage,
)
from talentos_core.errors import TooManyRows
from talentos_core.services.candidates import MAX_IMPORT_ROWS
from talentos_core.testing import sign_up


@pytest.fixture
def admin(talentos: TalentOS) -> Actor:
    return sign_up(talentos)


@pytest.fixture
def vacancy_id(talentos: TalentOS, admin: Actor) -> str:
    """An open vacancy of acme-bank."""
    return open_vacancy(talentos, admin)


class TestImporting:
    def test_rows_create_update_and_fail_each_alone(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """New rows create, a known email updates, a bad row is skipped with its index; the
        counts add up and only new candidates are counted and fired."""
        existing = apply(talentos, vacancy_id, **ADA)
        before = written(talentos)
        result = talentos.candidates.import_rows(
            admin,
            [
                row(vacancy_id, "Bob Babbage"),
                row(vacancy_id, "Ada", email="ADA.LOVELACE@example.com", phone="+44 1"),
                {"vacancyId": vacancy_id, "name": "No Email"},
                row(vacancy_id, "Carl Gauss"),
            ],
        )
        assert (result.total, result.created, result.updated, result.skipped) == (4, 2, 1, 1)
        assert result.created + result.updated + result.skipped == result.total
        assert result.errors == [RowError(2, "validation_error", "email is required.")]
        assert vacancy_counters(talentos, vacancy_id) == (3, 0)
        updated = talentos.candidates.get(admin, existing.id)
        assert (updated.name, updated.phone, updated.source) == ("Ada", "+44 1", Source.CAREERS)
        audit, fired = types_since(talentos, before)
        assert (audit, fired) == (["candidates.imported"], ["candidate.applied"] * 2)
        assert trail(talentos)[-1].data["updated"] == [existing.id]
        assert {e.data["source"] for e in outbox(talentos)[-2:]} == {"import"}

    def test_a_known_email_updates_only_what_the_row_gives(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A row for an existing candidate keeps the fields it leaves out (and empty skills)."""
        existing = apply(
            talentos, vacancy_id, location="Leeds", skills=["cobol"], experience=9, **ADA
        )
        talentos.candidates.import_rows(
            admin, [row(vacancy_id, "Ada K", email=ADA["email"], experience=10, skills=[])]
        )
        updated = talentos.candidates.get(admin, existing.id)
        assert (updated.name, updated.location, updated.skills, updated.experience) == (
            "Ada K",
            "Leeds",
            ["cobol"],
            10,
        )
        assert updated.stage == Stage.APPLIED

    def test_the_same_email_twice_in_one_import_is_one_candidate(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A second row with the same email (any case) updates the candidate the first made."""
        result = talentos.candidates.import_rows(
            admin,
            [
                row(vacancy_id, "Bob", email="bob@x.example"),
                row(vacancy_id, "Bobby", email="BOB@x.example"),
            ],
        )
        assert (result.created, result.updated) == (1, 1)
        assert [c.name for c in talentos.candidates.list(admin).items] == ["Bobby"]
        assert vacancy_counters(talentos, vacancy_id) == (1, 0)

    @pytest.mark.parametrize("raw", [5, "a,b,c", None, ["x"], True])
    def test_a_row_that_is_not_an_object_fails_alone(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str, raw: Any
    ) -> None:
        """A row that is not a JSON object is a validation_error of that row only."""
        result = talentos.candidates.import_rows(admin, [raw, row(vacancy_id)])
        assert result.errors == [RowError(0, "validation_error", "The row must be a JSON object.")]
        assert (result.created, result.skipped) == (1, 1)

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            ({"nmae": "Bob"}, "nmae is not a known field."),
            ({"stage": "hired"}, "stage is not a known field."),
            ({"resumeUploadId": "upl_x"}, "resumeUploadId is not a known field."),
            ({"experience": "5"}, "experience must be an integer."),
            ({"experience": True}, "experience must be an integer."),
            ({"experience": 71}, "experience must be at most 70."),
            ({"skills": "cobol"}, "skills must be a list."),
            ({"skills": [1]}, "skills item 0 must be a string."),
            ({"name": 5}, "name must be a string."),
            ({"name": ""}, "name must not be empty."),
            ({"email": "nope"}, "email must be an email address."),
            ({"phone": 44}, "phone must be a string."),
            ({"email": None}, "email must not be null."),
        ],
    )
    def test_unknown_keys_and_wrong_types_fail_the_row(
        self,
        talentos: TalentOS,
        admin: Actor,
        vacancy_id: str,
        extra: dict[str, Any],
        message: str,
    ) -> None:
        """An unknown key, a wrong JSON type or a broken rule fails the row, named in the
        API's spelling, and nothing is coerced."""
        result = talentos.candidates.import_rows(admin, [row(vacancy_id, **extra)])
        assert result.errors == [RowError(0, "validation_error", message)]
        assert vacancy_counters(talentos, vacancy_id) == (0, 0)

    def test_a_snake_case_key_is_refused_by_its_own_name(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """`vacancy_id` is an unknown key named as sent, with a hint to write `vacancyId`."""
        result = talentos.candidates.import_rows(
            admin, [{"vacancy_id": vacancy_id, "name": "Bob", "email": "bob@example.com"}]
        )
        assert result.errors == [
            RowError(0, "validation_error", "vacancy_id is not a known field (write vacancyId).")
        ]

    def test_foreign_or_unknown_vacancies_and_agencies_are_not_found_per_row(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A row naming another tenant's (or no) vacancy or agency fails alone with not_found,
        exactly as an unknown id does."""
        other = sign_up(talentos, "Other Co")
        their_vacancy = open_vacancy(talentos, other)
        their_agency = talentos.agencies.create(other, NewAgency("Theirs")).id
        result = talentos.candidates.import_rows(
            admin,
            [
                row(their_vacancy, "A"),
                row("vac_doesnotexist00000000", "B"),
                row(vacancy_id, "C", agencyId=their_agency),
                row(vacancy_id, "D", agencyId="agy_doesnotexist00000000"),
                row(vacancy_id, "E"),
            ],
        )
        assert [(e.row, e.code) for e in result.errors] == [(n, "not_found") for n in range(4)]
        assert len({e.message for e in result.errors}) == 1
        assert (result.created, result.skipped) == (1, 4)
        assert vacancy_counters(talentos, their_vacancy, "other-co") == (0, 0)
        assert talentos.candidates.list(other).total == 0

    def test_an_agency_of_the_tenant_is_kept(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A row may name an agency of the tenant; the candidate's source stays import."""
        agency = talentos.agencies.create(admin, NewAgency("Good Recruiters")).id
        talentos.candidates.import_rows(admin, [row(vacancy_id, agencyId=agency)])
        (candidate,) = talentos.candidates.list(admin).items
        assert (candidate.agency_id, candidate.source) == (agency, Source.IMPORT)

    def test_a_row_failing_midway_leaves_no_trace(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A row that fails after its candidate was written is rolled back to its savepoint
        (no candidate, no count, no event) while the rows around it commit."""
        store: Any = talentos.store
        real = store.transaction

        @contextmanager
        def failing_second_event() -> Iterator[Any]:
            with real() as uow:
                yield _FailOnSecondOutboxEvent(uow)

        monkeypatch.setattr(store, "transaction", failing_second_event)
        result = talentos.candidates.import_rows(
            admin, [row(vacancy_id, "Ann"), row(vacancy_id, "Ben"), row(vacancy_id, "Cat")]
        )
        assert result.errors == [RowError(1, "conflict", "injected")]
        monkeypatch.undo()
        assert sorted(c.name for c in talentos.candidates.list(admin).items) == ["Ann", "Cat"]
        assert vacancy_counters(talentos, vacancy_id) == (2, 0)
        assert len([e for e in outbox(talentos) if e.type == "candidate.applied"]) == 2
        assert trail(talentos)[-1].data["failed"] == 1
        assert talentos.audit.verify(TENANT)[0].ok

    def test_an_import_is_one_transaction(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """However many rows, an import opens one transaction (a savepoint per row)."""
        rows = [row(vacancy_id, f"Person {n}", email=f"p{n}@example.com") for n in range(20)]
        with counting_transactions(talentos) as calls:
            talentos.candidates.import_rows(admin, [*rows, 7, row("vac_nope", "X")])
        assert len(calls) == 1

    def test_more_than_500_rows_are_refused_before_any_is_read(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """501 rows raise TooManyRows without reading a row or writing anything."""
        before = written(talentos)
        with pytest.raises(TooManyRows):
            talentos.candidates.import_rows(admin, Unreadable(MAX_IMPORT_ROWS + 1))
        with pytest.raises(TooManyRows):
            talentos.candidates.import_rows(admin, [row(vacancy_id)] * 501)
        assert written(talentos) == before
        assert vacancy_counters(talentos, vacancy_id) == (0, 0)

    def test_500_rows_are_taken(self, talentos: TalentOS, admin: Actor, vacancy_id: str) -> None:
        """Exactly 500 rows are imported."""
        rows = [
            {"vacancyId": vacancy_id, "name": "P", "email": f"p{n}@e.example"} for n in range(500)
        ]
        result = talentos.candidates.import_rows(admin, rows)
        assert (result.created, vacancy_counters(talentos, vacancy_id)) == (500, (500, 0))

    def test_csv_records_import_through_from_csv(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """CSV records parsed by `ImportRow.from_csv` import like JSON rows; a row built with
        broken values fails alone with the fields in the API's spelling."""
        text = (
            "vacancyId,name,email,experience,skills\r\n"
            f"{vacancy_id}, Ada Lovelace ,ada@example.com,07,COBOL; maths\r\n"
            f"{vacancy_id},Grace Hopper,grace@navy.example,,\r\n"
        )
        rows: list[Any] = [ImportRow.from_csv(r) for r in csv.DictReader(io.StringIO(text))]
        rows.append(ImportRow(vacancy_id, " ", "bad@example.com", experience=99))
        result = talentos.candidates.import_rows(admin, rows)
        assert (result.created, result.skipped) == (2, 1)
        assert result.errors == [
            RowError(
                2, "validation_error", "experience must be at most 70; name must not be blank."
            )
        ]
        ada = talentos.candidates.list(admin, CandidateFilter(q="ada")).items[0]
        assert (ada.name, ada.experience, ada.skills, ada.source) == (
            "Ada Lovelace",
            7,
            ["COBOL", "maths"],
            Source.IMPORT,
        )

    def test_an_import_records_ids_only(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """The one `candidates.imported` event lists created and updated ids and the failures,
        never a name or email."""
        apply(talentos, vacancy_id, **ADA)
        talentos.candidates.import_rows(
            admin,
            [
                row(vacancy_id, "Bob Babbage", phone="+1 555"),
                row(vacancy_id, "Ada X", email=ADA["email"]),
                3,
            ],
        )
        event = trail(talentos)[-1]
        assert (event.type, event.entity_type, event.actor_id) == (
            "candidates.imported",
            "candidate",
            admin.id,
        )
        assert event.data["failed"] == 1
        assert len(event.data["created"]) == len(event.data["updated"]) == 1
        assert leaks(talentos, "Babbage", "bob@", "Lovelace", "Ada X", "+1 555") == []

    def test_an_import_where_every_row_fails_records_nothing(
        self, talentos: TalentOS, admin: Actor
    ) -> None:
        """With no row imported, no audit event is written."""
        before = written(talentos)
        result = talentos.candidates.import_rows(admin, [1, 2])
        assert (result.total, result.skipped) == (2, 2)
        assert written(talentos) == before


class _FailOnSecondOutboxEvent:
    """A unit of work whose outbox refuses the second event queued through it."""

    def __init__(self, uow: Any) -> None:
        self._uow = uow
        self._events = 0
        self.outbox = self

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uow, name)

    def add(self, event: Any) -> None:
        self._events += 1
        if self._events == 2:
            raise Conflict("injected")
        self._uow.outbox.add(event)
