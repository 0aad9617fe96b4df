"""Candidates through the Python API, on both backends (CONTRACT §6): reading, the stage
machine and the fields a patch changes, deletes, the vacancy counters, the events each change
writes (never a candidate's name or email), and the role table."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from core_pipeline import (
    ACCEPT,
    ADA,
    TENANT,
    Unreadable,
    apply,
    area,
    everyone,
    interview_form,
    leaks,
    offer_form,
    open_vacancy,
    outbox,
    row,
    trail,
    types_since,
    vacancy_counters,
    walk_roles,
    written,
)

from talentos_core import (
    Actor,
    Conflict,
    Forbidden,
    NotFound,
    PageRequest,
    Role,
    TalentOS,
    ValidationError,
)
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.candidates import (
    Application,
    CandidateFilter,
    CandidatePatch,
    Source,
    Stage,
)
from talentos_core.domain.interviews import (
    InterviewFilter,
    InterviewPatch,
    InterviewStatus,
    NewScorecard,
    Recommendation,
)
from talentos_core.domain.offers import OfferFilter, OfferStatus
from talentos_core.errors import InvalidTransition
from talentos_core.roles import Operation
from talentos_core.testing import FrozenClock, sign_up, teammate

_serial = count(1)


@pytest.fixture
def admin(talentos: TalentOS) -> Actor:
    return sign_up(talentos)


@pytest.fixture
def vacancy_id(talentos: TalentOS, admin: Actor) -> str:
    """An open vacancy of acme-bank."""
    return open_vacancy(talentos, admin)


class TestReadingCandidates:
    @pytest.fixture
    def pipeline(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str, clock: FrozenClock
    ) -> dict[str, str]:
        """Three candidates on two vacancies of acme-bank, and one of other-co's."""
        other = open_vacancy(talentos, admin, "Clerk")
        made = {}
        for vacancy, name, email, skills in [
            (vacancy_id, "Ada Lovelace", "ada@example.com", ["COBOL"]),
            (vacancy_id, "Grace Hopper", "grace@navy.example", ["compilers"]),
            (other, "Alan Turing", "alan@bletchley.example", ["cobol", "crypto"]),
        ]:
            clock.advance(seconds=1)
            made[name] = apply(talentos, vacancy, name, email, skills=skills).id
        talentos.candidates.update(
            admin, made["Grace Hopper"], CandidatePatch(stage=Stage.SCREENING)
        )
        apply(talentos, open_vacancy(talentos, sign_up(talentos, "Other Co")), "Ada Other")
        return made

    def names(self, talentos: TalentOS, admin: Actor, **where: Any) -> list[str]:
        return [c.name for c in talentos.candidates.list(admin, CandidateFilter(**where)).items]

    def test_the_list_is_the_tenants_newest_first(
        self, talentos: TalentOS, admin: Actor, pipeline: dict[str, str]
    ) -> None:
        """Without filters the tenant's candidates come newest first, with the total."""
        page = talentos.candidates.list(admin, page=PageRequest(limit=2))
        assert [c.name for c in page.items] == ["Alan Turing", "Grace Hopper"]
        assert page.total == 3

    @pytest.mark.parametrize(
        ("where", "expected"),
        [
            ({"q": "cobol"}, ["Alan Turing", "Ada Lovelace"]),
            ({"q": "NAVY"}, ["Grace Hopper"]),
            ({"q": "lovelace"}, ["Ada Lovelace"]),
            ({"q": "other"}, []),
            ({"stage": Stage.SCREENING}, ["Grace Hopper"]),
            ({"source": Source.IMPORT}, []),
        ],
    )
    def test_filters(
        self,
        talentos: TalentOS,
        admin: Actor,
        pipeline: dict[str, str],
        where: dict[str, Any],
        expected: list[str],
    ) -> None:
        """`q` matches name, email and skills in any case; stage and source are exact."""
        assert self.names(talentos, admin, **where) == expected

    def test_job_id_and_vacancy_id_are_one_filter(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str, pipeline: dict[str, str]
    ) -> None:
        """`jobId` and `vacancyId` filter by the vacancy alike."""
        expected = ["Grace Hopper", "Ada Lovelace"]
        assert self.names(talentos, admin, job_id=vacancy_id) == expected
        assert self.names(talentos, admin, vacancy_id=vacancy_id) == expected

    def test_another_tenants_candidate_is_not_found(
        self, talentos: TalentOS, admin: Actor, pipeline: dict[str, str]
    ) -> None:
        """Reading other-co's candidate by id is NotFound, like an unknown id."""
        assert talentos.candidates.list(sign_up(talentos, "Third Co")).total == 0
        their_id = talentos.candidates.list(Actor.system("other-co")).items[0].id
        for candidate_id in (their_id, "cand_doesnotexist000000"):
            with pytest.raises(NotFound):
                talentos.candidates.get(admin, candidate_id)


class TestUpdatingCandidates:
    @pytest.fixture
    def ada(self, talentos: TalentOS, vacancy_id: str) -> str:
        return apply(talentos, vacancy_id, **ADA).id

    def test_a_patch_changes_what_it_sets(
        self, talentos: TalentOS, admin: Actor, ada: str, clock: FrozenClock
    ) -> None:
        """Set fields change, None clears, the rest stays; one audit event names the fields
        (not their values) and nothing is fired."""
        talentos.candidates.update(admin, ada, CandidatePatch(phone="+44 1", location="Leeds"))
        clock.advance(minutes=1)
        before = written(talentos)
        updated = talentos.candidates.update(
            admin, ada, CandidatePatch(name="Augusta Ada King", phone=None, notes="Strong maths")
        )
        assert (updated.name, updated.phone, updated.location, updated.notes) == (
            "Augusta Ada King",
            None,
            "Leeds",
            "Strong maths",
        )
        assert updated.updated_at == clock.now()
        assert updated.stage_changed_at != clock.now()
        assert talentos.candidates.get(admin, ada) == updated
        assert types_since(talentos, before) == (["candidate.updated"], [])
        assert trail(talentos)[-1].data == {"fields": ["name", "notes", "phone"]}
        assert leaks(talentos, "Augusta", "Lovelace", "maths", "Leeds") == []

    def test_a_patch_that_changes_nothing_writes_nothing(
        self, talentos: TalentOS, admin: Actor, ada: str, clock: FrozenClock
    ) -> None:
        """An empty patch, or one repeating the stored values, leaves the candidate, the chain
        and the outbox untouched."""
        stored = talentos.candidates.get(admin, ada)
        before = written(talentos)
        clock.advance(minutes=1)
        for patch in (
            CandidatePatch(),
            CandidatePatch(name=ADA["name"], email=ADA["email"], stage=Stage.APPLIED, phone=None),
        ):
            assert talentos.candidates.update(admin, ada, patch) == stored
        assert talentos.candidates.get(admin, ada) == stored
        assert written(talentos) == before

    def test_a_stage_move_is_recorded_and_fired(
        self, talentos: TalentOS, admin: Actor, ada: str, vacancy_id: str, clock: FrozenClock
    ) -> None:
        """A new stage stamps `stageChangedAt` and writes `candidate.stage_changed` to the chain
        and the outbox, with ids and stages only."""
        clock.advance(minutes=5)
        before = written(talentos)
        moved = talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.SCREENING))
        assert (moved.stage, moved.stage_changed_at) == (Stage.SCREENING, clock.now())
        assert types_since(talentos, before) == (
            ["candidate.stage_changed"],
            ["candidate.stage_changed"],
        )
        assert trail(talentos)[-1].data == {"from": "applied", "to": "screening"}
        assert outbox(talentos)[-1].data == {
            "candidateId": ada,
            "vacancyId": vacancy_id,
            "from": "applied",
            "to": "screening",
        }

    def test_moving_to_the_same_stage_fires_nothing(
        self, talentos: TalentOS, admin: Actor, ada: str, clock: FrozenClock
    ) -> None:
        """Setting the stage a candidate is at changes nothing and writes no event."""
        moved = talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.INTERVIEW))
        before = written(talentos)
        clock.advance(minutes=1)
        assert (
            talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.INTERVIEW)) == moved
        )
        assert written(talentos) == before

    def test_fields_and_stage_together_write_both_events(
        self, talentos: TalentOS, admin: Actor, ada: str
    ) -> None:
        """A patch with fields and a stage records the update and the move, and fires the move."""
        before = written(talentos)
        talentos.candidates.update(admin, ada, CandidatePatch(notes="n", stage=Stage.OFFER))
        assert types_since(talentos, before) == (
            ["candidate.updated", "candidate.stage_changed"],
            ["candidate.stage_changed"],
        )

    def test_hiring_counts_on_the_vacancy(
        self, talentos: TalentOS, admin: Actor, ada: str, vacancy_id: str, clock: FrozenClock
    ) -> None:
        """Moving to hired stamps `hiredAt` and adds one to `hired`; leaving hired takes it off."""
        hired = talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.HIRED))
        assert (hired.hired_at, vacancy_counters(talentos, vacancy_id)) == (clock.now(), (1, 1))
        back = talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.OFFER))
        assert (back.hired_at, vacancy_counters(talentos, vacancy_id)) == (None, (1, 0))

    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            (Role.ADMIN, True),
            (Role.CHRO, True),
            (Role.RECRUITER, False),
            (Role.HIRING_MANAGER, False),
            (Role.INTERVIEWER, False),
        ],
    )
    def test_only_admin_or_chro_leave_hired(
        self,
        talentos: TalentOS,
        admin: Actor,
        ada: str,
        vacancy_id: str,
        role: Role,
        allowed: bool,
    ) -> None:
        """Moving a hired candidate elsewhere is Forbidden but for admin and chro, and a refused
        patch changes none of its fields."""
        hired = talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.HIRED))
        actor = admin if role == Role.ADMIN else teammate(talentos, admin, role)
        patch = CandidatePatch(stage=Stage.REJECTED, notes="changed my mind")
        before = written(talentos)
        if allowed:
            assert talentos.candidates.update(actor, ada, patch).stage == Stage.REJECTED
            assert vacancy_counters(talentos, vacancy_id) == (1, 0)
            return
        with pytest.raises(Forbidden):
            talentos.candidates.update(actor, ada, patch)
        assert talentos.candidates.get(admin, ada) == hired
        assert vacancy_counters(talentos, vacancy_id) == (1, 1)
        assert written(talentos) == before

    @pytest.mark.parametrize(
        ("closed", "goal"),
        [
            (Stage.REJECTED, Stage.WITHDRAWN),
            (Stage.REJECTED, Stage.HIRED),
            (Stage.WITHDRAWN, Stage.REJECTED),
            (Stage.WITHDRAWN, Stage.HIRED),
        ],
    )
    def test_a_closed_candidate_reopens_only_to_an_active_stage(
        self, talentos: TalentOS, admin: Actor, ada: str, closed: Stage, goal: Stage
    ) -> None:
        """From rejected or withdrawn, a move to another closed stage or to hired is an
        InvalidTransition that writes nothing; reopening to screening works."""
        talentos.candidates.update(admin, ada, CandidatePatch(stage=closed))
        before = written(talentos)
        with pytest.raises(InvalidTransition):
            talentos.candidates.update(admin, ada, CandidatePatch(stage=goal))
        assert written(talentos) == before
        reopened = talentos.candidates.update(admin, ada, CandidatePatch(stage=Stage.SCREENING))
        assert reopened.stage == Stage.SCREENING

    def test_an_email_another_candidate_of_the_vacancy_has_is_a_conflict(
        self, talentos: TalentOS, admin: Actor, ada: str, vacancy_id: str
    ) -> None:
        """Changing the email to one the vacancy already has (any case) is a Conflict."""
        apply(talentos, vacancy_id, "Grace Hopper", "grace@navy.example")
        before = written(talentos)
        with pytest.raises(Conflict):
            talentos.candidates.update(admin, ada, CandidatePatch(email="GRACE@navy.example"))
        assert talentos.candidates.get(admin, ada).email == ADA["email"]
        assert written(talentos) == before

    @pytest.mark.parametrize("field", ["agency_id", "resume_upload_id"])
    def test_an_agency_or_upload_not_of_the_tenant_is_not_found(
        self, talentos: TalentOS, admin: Actor, ada: str, field: str
    ) -> None:
        """An agency or upload of another tenant (or none) is NotFound and changes nothing."""
        other = sign_up(talentos, "Other Co")
        theirs = talentos.agencies.create(other, NewAgency("Their agency")).id
        for foreign in (theirs, "agy_doesnotexist00000000"):
            with pytest.raises(NotFound):
                talentos.candidates.update(admin, ada, CandidatePatch(**{field: foreign}))
        assert talentos.candidates.get(admin, ada).agency_id is None

    def test_an_agency_of_the_tenant_is_taken(
        self, talentos: TalentOS, admin: Actor, ada: str
    ) -> None:
        """A candidate may name an agency of the tenant, and the list filters by it."""
        agency = talentos.agencies.create(admin, NewAgency("Good Recruiters")).id
        talentos.candidates.update(
            admin, ada, CandidatePatch(agency_id=agency, source=Source.AGENCY)
        )
        found = talentos.candidates.list(admin, CandidateFilter(agency_id=agency)).items
        assert [(c.id, c.source) for c in found] == [(ada, Source.AGENCY)]

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            (CandidatePatch(name=""), "name"),
            (CandidatePatch(email="nope"), "email"),
            (CandidatePatch(experience=71), "experience"),
            (CandidatePatch(notes="x" * 10_001), "notes"),
            (CandidatePatch(stage="archived"), "stage"),  # type: ignore[arg-type]
            (CandidatePatch(source="web"), "source"),  # type: ignore[arg-type]
        ],
        ids=["name", "email", "experience", "notes", "stage", "source"],
    )
    def test_an_invalid_patch_names_the_field(
        self, talentos: TalentOS, admin: Actor, ada: str, patch: CandidatePatch, field: str
    ) -> None:
        """A bad field is a ValidationError naming it, and nothing changes."""
        stored = talentos.candidates.get(admin, ada)
        with pytest.raises(ValidationError) as caught:
            talentos.candidates.update(admin, ada, patch)
        assert list(caught.value.fields) == [field]
        assert talentos.candidates.get(admin, ada) == stored

    def test_another_tenants_candidate_is_not_found(
        self, talentos: TalentOS, admin: Actor, ada: str
    ) -> None:
        """Updating or deleting acme-bank's candidate as other-co is NotFound; nothing changes."""
        other = sign_up(talentos, "Other Co")
        with pytest.raises(NotFound):
            talentos.candidates.update(other, ada, CandidatePatch(stage=Stage.REJECTED))
        with pytest.raises(NotFound):
            talentos.candidates.delete(other, ada)
        assert talentos.candidates.get(admin, ada).stage == Stage.APPLIED


class TestDeletingCandidates:
    def test_a_delete_takes_offers_interviews_and_the_count(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """Deleting a hired candidate removes their offers and interviews and takes them off
        both counters; `candidate.deleted` is recorded."""
        candidate = apply(talentos, vacancy_id, **ADA)
        talentos.interviews.schedule(admin, interview_form(candidate))
        offer = talentos.offers.create(admin, offer_form(candidate, status=OfferStatus.SENT))
        talentos.offers.update(admin, offer.id, ACCEPT)
        apply(talentos, vacancy_id, "Grace Hopper", "grace@navy.example")
        assert vacancy_counters(talentos, vacancy_id) == (2, 1)
        before = written(talentos)
        talentos.candidates.delete(admin, candidate.id)
        assert vacancy_counters(talentos, vacancy_id) == (1, 0)
        with pytest.raises(NotFound):
            talentos.candidates.get(admin, candidate.id)
        assert talentos.offers.list(admin, OfferFilter(candidate_id=candidate.id)).total == 0
        assert (
            talentos.interviews.list(admin, InterviewFilter(candidate_id=candidate.id)).total == 0
        )
        assert types_since(talentos, before) == (["candidate.deleted"], [])
        assert trail(talentos)[-1].entity_id == candidate.id
        with pytest.raises(NotFound):
            talentos.candidates.delete(admin, candidate.id)

    def test_deleting_one_active_candidate_keeps_hired(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """Deleting a candidate who is not hired takes one applicant and no hire."""
        hired = apply(talentos, vacancy_id, **ADA)
        talentos.candidates.update(admin, hired.id, CandidatePatch(stage=Stage.HIRED))
        talentos.candidates.delete(admin, apply(talentos, vacancy_id, "Grace", "g@example.com").id)
        assert vacancy_counters(talentos, vacancy_id) == (1, 1)

    def test_once_its_candidates_are_gone_the_vacancy_may_be_deleted(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """A vacancy is in use while it has candidates, and deletable once they are deleted."""
        candidate = apply(talentos, vacancy_id, **ADA)
        talentos.candidates.delete(admin, candidate.id)
        talentos.vacancies.delete(admin, vacancy_id)
        with pytest.raises(NotFound):
            talentos.vacancies.get(admin, vacancy_id)


class TestCounters:
    def test_counters_follow_every_kind_of_change(
        self, talentos: TalentOS, admin: Actor, vacancy_id: str
    ) -> None:
        """Applies, imports, stage moves, offer decisions and deletes keep `applicants` and
        `hired` equal to a count of the vacancy's candidates."""

        def check() -> None:
            everyone = talentos.candidates.list(admin, CandidateFilter(vacancy_id=vacancy_id))
            hired = talentos.candidates.list(
                admin, CandidateFilter(vacancy_id=vacancy_id, stage=Stage.HIRED)
            )
            assert vacancy_counters(talentos, vacancy_id) == (everyone.total, hired.total)

        ada = apply(talentos, vacancy_id, **ADA)
        apply(talentos, vacancy_id, **ADA)
        talentos.candidates.import_rows(admin, [row(vacancy_id, "Bob"), row(vacancy_id, "Cy")])
        check()
        talentos.candidates.update(admin, ada.id, CandidatePatch(stage=Stage.HIRED))
        talentos.candidates.update(admin, ada.id, CandidatePatch(stage=Stage.HIRED))
        check()
        bob = talentos.candidates.list(admin, CandidateFilter(q="bob")).items[0]
        offer = talentos.offers.create(admin, offer_form(bob, status=OfferStatus.SENT))
        talentos.offers.update(admin, offer.id, ACCEPT)
        check()
        talentos.candidates.update(admin, ada.id, CandidatePatch(stage=Stage.WITHDRAWN))
        talentos.candidates.delete(admin, bob.id)
        check()
        assert vacancy_counters(talentos, vacancy_id) == (2, 0)


class TestCandidateRoles:
    @pytest.fixture
    def team(self, talentos: TalentOS) -> dict[Role, Actor]:
        return everyone(talentos)

    @staticmethod
    def _candidate(talentos: TalentOS, admin: Actor) -> str:
        vacancy_id = open_vacancy(talentos, admin)
        return apply(talentos, vacancy_id, "P", f"p{next(_serial)}@example.com").id

    WALKS = {
        Operation.CANDIDATES_LIST: lambda t, actor, admin: t.candidates.list(actor),
        Operation.CANDIDATES_READ: lambda t, actor, admin: t.candidates.get(
            actor, TestCandidateRoles._candidate(t, admin)
        ),
        Operation.CANDIDATES_UPDATE: lambda t, actor, admin: t.candidates.update(
            actor, TestCandidateRoles._candidate(t, admin), CandidatePatch(stage=Stage.SCREENING)
        ),
        Operation.CANDIDATES_DELETE: lambda t, actor, admin: t.candidates.delete(
            actor, TestCandidateRoles._candidate(t, admin)
        ),
        Operation.CANDIDATES_IMPORT: lambda t, actor, admin: t.candidates.import_rows(
            actor, [row(open_vacancy(t, admin), "P", email=f"p{next(_serial)}@example.com")]
        ),
    }

    def test_every_candidate_operation_is_walked(self) -> None:
        """Each `candidates.*` operation of the role table is walked here."""
        assert set(self.WALKS) == area("candidates.")

    @pytest.mark.parametrize("operation", sorted(WALKS))
    def test_exactly_the_listed_roles_may(
        self, talentos: TalentOS, team: dict[Role, Actor], operation: Operation
    ) -> None:
        """The roles the table lists succeed, every other role is Forbidden, and an anonymous
        caller is Unauthenticated."""
        walk_roles(talentos, team, operation, self.WALKS[operation])

    def test_applying_needs_no_role(self, talentos: TalentOS, team: dict[Role, Actor]) -> None:
        """Apply is public: an anonymous visitor and any signed-in user may apply."""
        vacancy_id = open_vacancy(talentos, team[Role.ADMIN])
        for n, actor in enumerate([Actor.public(), *team.values()]):
            form = Application(vacancy_id, "P", f"p{n}@example.com")
            assert talentos.candidates.apply(actor, form).dedup is False

    def test_a_refused_import_reads_no_row(
        self, talentos: TalentOS, team: dict[Role, Actor]
    ) -> None:
        """A role that may not import is Forbidden before any row is looked at."""
        with pytest.raises(Forbidden):
            talentos.candidates.import_rows(team[Role.INTERVIEWER], Unreadable(3))


def test_no_candidate_name_or_email_reaches_the_chain_or_outbox(
    talentos: TalentOS, admin: Actor, vacancy_id: str
) -> None:
    """After a candidate's whole life (apply, edits, moves, offers, interviews, import, delete)
    no event in the chain or the outbox names them, serialized field by field."""
    candidate = apply(talentos, vacancy_id, "Zelda Quintessa", "zelda.q@secret.example")
    talentos.candidates.update(
        admin,
        candidate.id,
        CandidatePatch(name="Zelda Renamed", email="zr@hidden.example", notes="Knows Xylophone"),
    )
    talentos.candidates.update(admin, candidate.id, CandidatePatch(stage=Stage.INTERVIEW))
    interview = talentos.interviews.schedule(admin, interview_form(candidate))
    talentos.interviews.update(
        admin,
        interview.id,
        InterviewPatch(
            status=InterviewStatus.COMPLETED,
            add_scorecard=NewScorecard("Ivy", 80, Recommendation.HIRE, notes="Zelda was great"),
        ),
    )
    offer = talentos.offers.create(
        admin, offer_form(candidate, status=OfferStatus.SENT, notes="For Zelda")
    )
    talentos.offers.update(admin, offer.id, ACCEPT)
    talentos.candidates.import_rows(
        admin,
        [
            row(vacancy_id, "Zelda Again", email="ZR@hidden.example"),
            row(vacancy_id, "Yorick Imported", email="yorick@imp.example"),
        ],
    )
    talentos.candidates.delete(admin, candidate.id)
    assert len(trail(talentos)) > 10
    assert (
        leaks(
            talentos,
            "Zelda",
            "Quintessa",
            "zelda.q@secret.example",
            "zr@hidden.example",
            "Xylophone",
            "Yorick",
            "yorick@imp.example",
        )
        == []
    )
    assert talentos.audit.verify(TENANT)[0].ok
