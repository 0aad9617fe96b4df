"""Vacancies and the public careers board through the Python API (CONTRACT §6)."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from talentos_core import (
    UNSET,
    Actor,
    CareersFilter,
    EmploymentType,
    InUse,
    Level,
    NewVacancy,
    NotFound,
    PageRequest,
    TalentOS,
    TenantPatch,
    Vacancy,
    VacancyFilter,
    VacancyPatch,
    VacancyStatus,
    ValidationError,
)
from talentos_core.domain.outbox import OutboxEvent
from talentos_core.domain.rules import check
from talentos_core.domain.subsidiaries import Subsidiary
from talentos_core.domain.vacancies import PublicVacancy
from talentos_core.testing import FrozenClock, sign_up


def published(talentos: TalentOS, tenant_id: str = "acme-bank") -> list[OutboxEvent]:
    """The tenant's `vacancy.published` outbox events, newest first."""
    page = talentos.store.reader().outbox.list(tenant_id, PageRequest(limit=200))
    return [event for event in page.items if event.type == "vacancy.published"]


def audit_count(talentos: TalentOS, tenant_id: str = "acme-bank") -> int:
    return sum(1 for _ in talentos.store.reader().audit.stream(tenant_id))


def add_subsidiary(
    talentos: TalentOS, tenant_id: str, subsidiary_id: str, clock: FrozenClock
) -> str:
    with talentos.store.transaction() as uow:
        uow.subsidiaries.add(Subsidiary(subsidiary_id, tenant_id, "Retail", clock.now()))
    return subsidiary_id


def set_applicants(talentos: TalentOS, vacancy: Vacancy, applicants: int) -> None:
    """What candidate applications will do: the counter is the server's, written directly."""
    with talentos.store.transaction() as uow:
        stored = uow.vacancies.get(vacancy.tenant_id, vacancy.id)
        uow.vacancies.update(attrs.evolve(stored, applicants=applicants))


class TestCreatingVacancies:
    def test_a_vacancy_is_open_by_default(self, talentos: TalentOS) -> None:
        """A new vacancy is open, has no applicants or hires, and records its creator."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        assert (vacancy.status, vacancy.applicants, vacancy.hired) == (VacancyStatus.OPEN, 0, 0)
        assert (vacancy.tenant_id, vacancy.created_by) == ("acme-bank", admin.id)
        assert vacancy.id.startswith("vac_")
        assert talentos.vacancies.get(admin, vacancy.id) == vacancy

    def test_every_field_round_trips(self, talentos: TalentOS, clock: FrozenClock) -> None:
        """Each field given at creation is stored and read back as given."""
        admin = sign_up(talentos)
        sub = add_subsidiary(talentos, "acme-bank", "sub_retail000000000001", clock)
        vacancy = talentos.vacancies.create(
            admin,
            NewVacancy(
                title="Teller",
                description="Counts money.",
                location="Leeds",
                level="senior",  # type: ignore[arg-type]  # Python callers may pass the value
                employment_type="part_time",  # type: ignore[arg-type]
                skills=["cash", "smiles"],
                status=VacancyStatus.DRAFT,
                subsidiary_id=sub,
                internal_notes="Budget approved.",
            ),
        )
        assert (vacancy.level, vacancy.employment_type) == (Level.SENIOR, EmploymentType.PART_TIME)
        assert talentos.vacancies.get(admin, vacancy.id) == vacancy
        assert (vacancy.skills, vacancy.subsidiary_id) == (["cash", "smiles"], sub)

    @pytest.mark.parametrize(
        ("form", "field"),
        [
            (NewVacancy(""), "title"),
            (NewVacancy("x" * 201), "title"),
            (NewVacancy("Teller", level="ceo"), "level"),  # type: ignore[arg-type]
            (NewVacancy("Teller", employment_type="gig"), "employment_type"),  # type: ignore[arg-type]
            (NewVacancy("Teller", status="archived"), "status"),  # type: ignore[arg-type]
            (NewVacancy("Teller", skills=["x" * 61]), "skills"),
        ],
        ids=["empty-title", "long-title", "level", "employment-type", "status", "skill"],
    )
    def test_invalid_input_names_the_field(
        self, talentos: TalentOS, form: NewVacancy, field: str
    ) -> None:
        """A bad title, level, employment type, status or skill is a ValidationError naming it."""
        admin = sign_up(talentos)
        with pytest.raises(ValidationError) as caught:
            talentos.vacancies.create(admin, form)
        assert list(caught.value.fields) == [field]
        assert talentos.vacancies.list(admin).total == 0

    def test_a_two_hundred_character_title_is_accepted(self, talentos: TalentOS) -> None:
        """A title of exactly 200 characters is the longest accepted."""
        vacancy = talentos.vacancies.create(sign_up(talentos), NewVacancy("x" * 200))
        assert len(vacancy.title) == 200

    def test_every_error_is_reported_at_once(self, talentos: TalentOS) -> None:
        """Several bad fields are named together in one ValidationError."""
        with pytest.raises(ValidationError) as caught:
            talentos.vacancies.create(
                sign_up(talentos),
                NewVacancy("", level="ceo", employment_type="gig"),  # type: ignore[arg-type]
            )
        assert set(caught.value.fields) == {"title", "level", "employment_type"}

    @pytest.mark.parametrize("owner", ["other-co", None], ids=["other-tenant", "unknown"])
    def test_a_subsidiary_not_of_the_tenant_is_not_found(
        self, talentos: TalentOS, clock: FrozenClock, owner: str | None
    ) -> None:
        """A subsidiary of another tenant, or none at all, is NotFound and nothing is created."""
        admin = sign_up(talentos)
        sign_up(talentos, "Other Co")
        if owner is not None:
            add_subsidiary(talentos, owner, "sub_elsewhere0000000001", clock)
        with pytest.raises(NotFound):
            talentos.vacancies.create(
                admin, NewVacancy("Teller", subsidiary_id="sub_elsewhere0000000001")
            )
        assert talentos.vacancies.list(admin).total == 0
        assert published(talentos) == []


class TestPublishing:
    def test_an_open_vacancy_fires_one_published_event(self, talentos: TalentOS) -> None:
        """Creating an open vacancy queues exactly one `vacancy.published` with its public facts."""
        vacancy = talentos.vacancies.create(
            sign_up(talentos), NewVacancy("Teller", location="Leeds", internal_notes="secret")
        )
        events = published(talentos)
        assert len(events) == 1
        assert events[0].data["vacancy"]["id"] == vacancy.id
        assert events[0].data["vacancy"]["status"] == "open"
        assert "secret" not in repr(events[0].data)
        assert events[0].tenant_id == "acme-bank"

    def test_a_draft_fires_nothing(self, talentos: TalentOS) -> None:
        """Creating a draft queues no event."""
        talentos.vacancies.create(sign_up(talentos), NewVacancy("Teller", status="draft"))  # type: ignore[arg-type]
        assert published(talentos) == []

    def test_draft_to_open_fires_one_event(self, talentos: TalentOS) -> None:
        """Opening a draft queues exactly one `vacancy.published`."""
        admin = sign_up(talentos)
        draft = talentos.vacancies.create(admin, NewVacancy("Teller", status=VacancyStatus.DRAFT))
        talentos.vacancies.update(admin, draft.id, VacancyPatch(status=VacancyStatus.OPEN))
        assert [event.data["vacancy"]["id"] for event in published(talentos)] == [draft.id]

    def test_reopening_a_closed_vacancy_fires_again(self, talentos: TalentOS) -> None:
        """Closing and reopening queues a second `vacancy.published`."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        talentos.vacancies.update(admin, vacancy.id, VacancyPatch(status=VacancyStatus.CLOSED))
        assert len(published(talentos)) == 1
        talentos.vacancies.update(admin, vacancy.id, VacancyPatch(status=VacancyStatus.OPEN))
        assert len(published(talentos)) == 2

    def test_open_to_open_fires_and_records_nothing(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Setting an open vacancy open again queues no event and writes no audit event."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        events = audit_count(talentos)
        clock.advance(seconds=5)
        again = talentos.vacancies.update(admin, vacancy.id, VacancyPatch(status="open"))  # type: ignore[arg-type]
        assert again == vacancy
        assert len(published(talentos)) == 1
        assert audit_count(talentos) == events

    def test_editing_an_open_vacancy_does_not_republish(self, talentos: TalentOS) -> None:
        """Changing the title of an open vacancy writes an audit event but fires nothing."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        events = audit_count(talentos)
        talentos.vacancies.update(admin, vacancy.id, VacancyPatch(title="Head teller"))
        assert len(published(talentos)) == 1
        assert audit_count(talentos) == events + 1


class TestUpdatingVacancies:
    def test_a_patch_changes_only_what_it_sets(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Fields left UNSET keep their values, None clears, and updated_at moves."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(
            admin, NewVacancy("Teller", location="Leeds", description="Counts money.")
        )
        clock.advance(minutes=1)
        updated = talentos.vacancies.update(
            admin, vacancy.id, VacancyPatch(title="Clerk", location=None, description=UNSET)
        )
        assert (updated.title, updated.location, updated.description) == (
            "Clerk",
            None,
            "Counts money.",
        )
        assert updated.updated_at == clock.now() != vacancy.updated_at
        assert talentos.vacancies.get(admin, vacancy.id) == updated

    def test_a_patch_that_changes_nothing_writes_nothing(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """A patch repeating the stored values leaves the vacancy and the audit trail untouched."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller", location="Leeds"))
        events = audit_count(talentos)
        clock.advance(minutes=1)
        for patch in (VacancyPatch(), VacancyPatch(title="Teller", location="Leeds")):
            assert talentos.vacancies.update(admin, vacancy.id, patch) == vacancy
        assert talentos.vacancies.get(admin, vacancy.id).updated_at == vacancy.updated_at
        assert audit_count(talentos) == events

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            (VacancyPatch(title=""), "title"),
            (VacancyPatch(level="ceo"), "level"),  # type: ignore[arg-type]
            (VacancyPatch(employment_type="gig"), "employment_type"),  # type: ignore[arg-type]
        ],
        ids=["title", "level", "employment-type"],
    )
    def test_an_invalid_patch_names_the_field(
        self, talentos: TalentOS, patch: VacancyPatch, field: str
    ) -> None:
        """A bad field in a patch is a ValidationError naming it, and nothing changes."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        with pytest.raises(ValidationError) as caught:
            talentos.vacancies.update(admin, vacancy.id, patch)
        assert list(caught.value.fields) == [field]
        assert talentos.vacancies.get(admin, vacancy.id) == vacancy

    def test_moving_to_another_tenants_subsidiary_is_not_found(
        self, talentos: TalentOS, clock: FrozenClock
    ) -> None:
        """Pointing a vacancy at another tenant's subsidiary is NotFound and changes nothing."""
        admin = sign_up(talentos)
        sign_up(talentos, "Other Co")
        theirs = add_subsidiary(talentos, "other-co", "sub_theirs00000000000001", clock)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        with pytest.raises(NotFound):
            talentos.vacancies.update(admin, vacancy.id, VacancyPatch(subsidiary_id=theirs))
        assert talentos.vacancies.get(admin, vacancy.id).subsidiary_id is None


class TestDeletingVacancies:
    def test_a_vacancy_without_candidates_is_deleted(self, talentos: TalentOS) -> None:
        """Deleting a vacancy with no applicants removes it."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        talentos.vacancies.delete(admin, vacancy.id)
        with pytest.raises(NotFound):
            talentos.vacancies.get(admin, vacancy.id)
        with pytest.raises(NotFound):
            talentos.careers.get(vacancy.id)

    def test_a_vacancy_with_candidates_is_in_use(self, talentos: TalentOS) -> None:
        """Deleting a vacancy that has applicants is InUse and keeps it."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        set_applicants(talentos, vacancy, 1)
        events = audit_count(talentos)
        with pytest.raises(InUse):
            talentos.vacancies.delete(admin, vacancy.id)
        assert talentos.vacancies.get(admin, vacancy.id).applicants == 1
        assert audit_count(talentos) == events

    def test_a_deleted_vacancy_cannot_be_deleted_again(self, talentos: TalentOS) -> None:
        """Deleting an already deleted vacancy is NotFound."""
        admin = sign_up(talentos)
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
        talentos.vacancies.delete(admin, vacancy.id)
        with pytest.raises(NotFound):
            talentos.vacancies.delete(admin, vacancy.id)


class TestListingVacancies:
    @pytest.fixture
    def admin(self, talentos: TalentOS, clock: FrozenClock) -> Actor:
        """acme-bank with four vacancies (created a second apart) and one of other-co's."""
        admin = sign_up(talentos)
        other = sign_up(talentos, "Other Co")
        add_subsidiary(talentos, "acme-bank", "sub_retail000000000001", clock)
        forms = [
            NewVacancy("Cashier", location="Leeds", status=VacancyStatus.DRAFT),
            NewVacancy("Teller", description="Front desk, Leeds branch."),
            NewVacancy("Risk analyst", subsidiary_id="sub_retail000000000001"),
            NewVacancy("Head of Risk", status=VacancyStatus.CLOSED, location="London"),
        ]
        for form in forms:
            clock.advance(seconds=1)
            talentos.vacancies.create(admin, form)
        talentos.vacancies.create(other, NewVacancy("Risk officer", location="Leeds"))
        return admin

    def titles(self, talentos: TalentOS, admin: Actor, **where: Any) -> list[str]:
        return [v.title for v in talentos.vacancies.list(admin, VacancyFilter(**where)).items]

    def test_the_list_is_the_tenants_newest_first(self, talentos: TalentOS, admin: Actor) -> None:
        """With no filter, the tenant's vacancies come newest first, with the total."""
        page = talentos.vacancies.list(admin)
        assert [v.title for v in page.items] == [
            "Head of Risk",
            "Risk analyst",
            "Teller",
            "Cashier",
        ]
        assert (page.total, page.limit, page.offset) == (4, 50, 0)

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("risk", ["Head of Risk", "Risk analyst"]),
            ("RISK", ["Head of Risk", "Risk analyst"]),
            ("leeds", ["Teller", "Cashier"]),
            ("front desk", ["Teller"]),
            ("officer", []),
        ],
    )
    def test_q_matches_title_description_or_location_ignoring_case(
        self, talentos: TalentOS, admin: Actor, q: str, expected: list[str]
    ) -> None:
        """`q` is a case-insensitive substring of title, description or location."""
        assert self.titles(talentos, admin, q=q) == expected

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            ("open", ["Risk analyst", "Teller"]),
            (VacancyStatus.DRAFT, ["Cashier"]),
            (VacancyStatus.CLOSED, ["Head of Risk"]),
            (VacancyStatus.ON_HOLD, []),
        ],
    )
    def test_status_filters_exactly(
        self, talentos: TalentOS, admin: Actor, status: Any, expected: list[str]
    ) -> None:
        """`status` keeps only vacancies in that status."""
        assert self.titles(talentos, admin, status=status) == expected

    def test_subsidiary_filters_exactly(self, talentos: TalentOS, admin: Actor) -> None:
        """`subsidiaryId` keeps only that subsidiary's vacancies."""
        assert self.titles(talentos, admin, subsidiary_id="sub_retail000000000001") == [
            "Risk analyst"
        ]
        assert self.titles(talentos, admin, subsidiary_id="sub_other000000000000001") == []

    def test_filters_combine(self, talentos: TalentOS, admin: Actor) -> None:
        """Filters given together must all hold."""
        assert self.titles(talentos, admin, q="risk", status="open") == ["Risk analyst"]

    def test_pages_follow_limit_and_offset(self, talentos: TalentOS, admin: Actor) -> None:
        """`limit` and `offset` cut the ordered list; `total` counts every match."""
        page = talentos.vacancies.list(admin, page=PageRequest(limit=2, offset=1))
        assert [v.title for v in page.items] == ["Risk analyst", "Teller"]
        assert (page.total, page.limit, page.offset) == (4, 2, 1)
        beyond = talentos.vacancies.list(admin, page=PageRequest(limit=2, offset=10))
        assert (beyond.items, beyond.total) == ([], 4)

    @pytest.mark.parametrize(("limit", "offset"), [(0, 0), (-1, 0), (10, -1)])
    def test_a_nonsense_page_is_refused(self, limit: int, offset: int) -> None:
        """A page with limit below 1 or a negative offset is refused by validation."""
        with pytest.raises(ValidationError):
            check(PageRequest(limit=limit, offset=offset))

    def test_a_limit_above_200_is_clamped(self, talentos: TalentOS, clock: FrozenClock) -> None:
        """Asking for 500 items answers at most 200, saying limit 200."""
        admin = sign_up(talentos)
        with talentos.store.transaction() as uow:
            for number in range(205):
                uow.vacancies.add(
                    Vacancy(
                        id=f"vac_bulk{number:016d}",
                        tenant_id="acme-bank",
                        title=f"Job {number}",
                        created_at=clock.now(),
                        updated_at=clock.now(),
                    )
                )
        page = talentos.vacancies.list(admin, page=PageRequest(limit=500))
        assert (len(page.items), page.limit, page.total) == (200, 200, 205)


class TestCareersBoard:
    @pytest.fixture
    def acme(self, talentos: TalentOS) -> Actor:
        """The admin of acme-bank."""
        return sign_up(talentos)

    @pytest.fixture
    def board(self, talentos: TalentOS, clock: FrozenClock, acme: Actor) -> dict[str, Vacancy]:
        """Two tenants' vacancies in every status; returns them by title."""
        other = sign_up(talentos, "Other Co")
        talentos.tenants.update(
            other, TenantPatch(logo_url="https://other.example/logo.png", brand_color="#112233")
        )
        made = {}
        for actor, form in [
            (acme, NewVacancy("Teller", location="Leeds", internal_notes="Pay band 3")),
            (acme, NewVacancy("Cashier", location="Leeds", status=VacancyStatus.DRAFT)),
            (acme, NewVacancy("Auditor", location="York", status=VacancyStatus.CLOSED)),
            (acme, NewVacancy("Analyst", location="Leeds", status=VacancyStatus.ON_HOLD)),
            (other, NewVacancy("Risk officer", location="LEEDS", description="Teller support")),
            (other, NewVacancy("Engineer", location="Leeds, UK")),
        ]:
            clock.advance(seconds=1)
            made[form.title] = talentos.vacancies.create(actor, form)
        set_applicants(talentos, made["Teller"], 4)
        return made

    def titles(self, talentos: TalentOS, **where: Any) -> list[str]:
        return [v.title for v in talentos.careers.list(CareersFilter(**where)).items]

    def test_only_open_vacancies_of_every_tenant_show(
        self, talentos: TalentOS, board: dict[str, Vacancy]
    ) -> None:
        """The board lists the open vacancies of all tenants, newest first, and nothing else."""
        page = talentos.careers.list()
        assert [v.title for v in page.items] == ["Engineer", "Risk officer", "Teller"]
        assert page.total == 3

    def test_each_vacancy_carries_its_companys_public_face(
        self, talentos: TalentOS, board: dict[str, Vacancy]
    ) -> None:
        """Each item carries its company's id, name, logo URL and brand colour."""
        companies = {v.title: attrs.asdict(v.company) for v in talentos.careers.list().items}
        assert companies["Teller"] == {
            "id": "acme-bank",
            "name": "Acme Bank",
            "logo_url": None,
            "brand_color": "#7c3aed",
        }
        assert companies["Engineer"] == {
            "id": "other-co",
            "name": "Other Co",
            "logo_url": "https://other.example/logo.png",
            "brand_color": "#112233",
        }

    def test_nothing_internal_is_shown(self, talentos: TalentOS, board: dict[str, Vacancy]) -> None:
        """A public vacancy has no notes, counters, creator, status or tenant of its own."""
        names = {field.name for field in attrs.fields(PublicVacancy)}
        internal = {
            "internal_notes", "applicants", "hired", "created_by", "tenant_id", "status",
            "subsidiary_id", "updated_at",
        }  # fmt: skip
        assert names & internal == set()
        teller = talentos.careers.get(board["Teller"].id)
        shown = repr(attrs.asdict(teller))
        assert "Pay band 3" not in shown
        assert "usr_" not in shown
        assert teller.title == "Teller"

    @pytest.mark.parametrize("title", ["Cashier", "Auditor", "Analyst"])
    def test_a_vacancy_that_is_not_open_is_not_found(
        self, talentos: TalentOS, board: dict[str, Vacancy], title: str
    ) -> None:
        """A draft, closed or on-hold vacancy is NotFound on the board, like an unknown id."""
        with pytest.raises(NotFound):
            talentos.careers.get(board[title].id)
        with pytest.raises(NotFound):
            talentos.careers.get("vac_doesnotexist00000000")

    def test_closing_a_vacancy_takes_it_off_the_board(
        self, talentos: TalentOS, board: dict[str, Vacancy], acme: Actor
    ) -> None:
        """Once closed, a vacancy that was on the board is NotFound there."""
        teller = board["Teller"]
        assert talentos.careers.get(teller.id).id == teller.id
        talentos.vacancies.update(acme, teller.id, VacancyPatch(status=VacancyStatus.CLOSED))
        with pytest.raises(NotFound):
            talentos.careers.get(teller.id)

    @pytest.mark.parametrize(
        ("where", "expected"),
        [
            ({"tenant": "acme-bank"}, ["Teller"]),
            ({"tenant": "other-co"}, ["Engineer", "Risk officer"]),
            ({"tenant": "nobody"}, []),
            ({"location": "leeds"}, ["Risk officer", "Teller"]),
            ({"location": "Leeds, UK"}, ["Engineer"]),
            ({"location": "Lee"}, []),
            ({"q": "teller"}, ["Risk officer", "Teller"]),
            ({"q": "ENGIN"}, ["Engineer"]),
            ({"q": "cashier"}, []),
            ({"tenant": "other-co", "location": "leeds"}, ["Risk officer"]),
        ],
    )
    def test_filters(
        self,
        talentos: TalentOS,
        board: dict[str, Vacancy],
        where: dict[str, str],
        expected: list[str],
    ) -> None:
        """`tenant` and `location` are exact (location ignoring case); `q` is a substring."""
        assert self.titles(talentos, **where) == expected
