"""Interviews through the Python API, on both backends (CONTRACT §5, §6): scheduling, the
status machine, scorecards (one per interviewer name), what an interviewer-role caller (a
user or an API key) may do, the events each change writes, and the role table."""

from __future__ import annotations

from datetime import timedelta, timezone
from itertools import count
from typing import Any

import attrs
import pytest
from core_pipeline import (
    ADA,
    INTERVIEW_AT,
    apply,
    area,
    everyone,
    interview_form,
    open_vacancy,
    outbox,
    trail,
    types_since,
    walk_roles,
    written,
)

from talentos_core import Actor, Forbidden, NewApiKey, NotFound, Role, TalentOS, ValidationError
from talentos_core.domain.candidates import Candidate
from talentos_core.domain.interviews import (
    Interview,
    InterviewFilter,
    InterviewKind,
    InterviewPatch,
    InterviewStatus,
    NewScorecard,
    Recommendation,
)
from talentos_core.domain.rules import changes
from talentos_core.errors import InvalidTransition
from talentos_core.roles import Operation
from talentos_core.testing import FrozenClock, sign_up, teammate

SCHEDULED, COMPLETED, CANCELLED, NO_SHOW = (
    InterviewStatus.SCHEDULED,
    InterviewStatus.COMPLETED,
    InterviewStatus.CANCELLED,
    InterviewStatus.NO_SHOW,
)
_serial = count(1)


@pytest.fixture
def admin(talentos: TalentOS) -> Actor:
    return sign_up(talentos)


@pytest.fixture
def ada(talentos: TalentOS, admin: Actor) -> Candidate:
    """A candidate of an open vacancy of acme-bank."""
    return apply(talentos, open_vacancy(talentos, admin), **ADA)


@pytest.fixture
def interview(talentos: TalentOS, admin: Actor, ada: Candidate) -> Interview:
    """A video interview of Ada, scheduled, with two interviewers."""
    form = interview_form(ada, interviewers=["Ivy", "Sam"], location_or_url="https://meet/x")
    return talentos.interviews.schedule(admin, form)


def card(interviewer: str = "Ivy", score: int = 80, **extra: Any) -> InterviewPatch:
    """A patch filing one scorecard."""
    recommendation = extra.pop("recommendation", Recommendation.HIRE)
    return InterviewPatch(add_scorecard=NewScorecard(interviewer, score, recommendation, **extra))


def named(patch: InterviewPatch) -> str:
    """A test id for ``patch``: the fields it sets, and the status it asks for."""
    return ",".join(
        f"{name}={value}" if name == "status" else name for name, value in changes(patch).items()
    )


def user_name(talentos: TalentOS, actor: Actor) -> str:
    assert actor.tenant_id is not None and actor.id is not None
    return talentos.store.reader().users.get(actor.tenant_id, actor.id).name


class TestScheduling:
    def test_an_interview_is_scheduled_and_fired(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """A new interview is `scheduled` with its fields and creator; `interview.scheduled`
        is recorded and fired with ids, the time and the kind."""
        before = written(talentos)
        interview = talentos.interviews.schedule(
            admin, interview_form(ada, kind=InterviewKind.PANEL, duration_min=90)
        )
        assert (interview.status, interview.kind, interview.duration_min) == (
            SCHEDULED,
            InterviewKind.PANEL,
            90,
        )
        assert (interview.created_by, interview.created_at, interview.id[:3]) == (
            admin.id,
            clock.now(),
            "iv_",
        )
        assert talentos.interviews.get(admin, interview.id) == interview
        assert types_since(talentos, before) == (["interview.scheduled"], ["interview.scheduled"])
        ids = {"interviewId": interview.id, "candidateId": ada.id, "vacancyId": ada.vacancy_id}
        assert trail(talentos)[-1].data == ids
        assert outbox(talentos)[-1].data == {
            **ids,
            "scheduledAt": "2026-02-01T14:00:00.000000Z",
            "kind": "panel",
        }

    def test_a_time_in_another_zone_is_the_same_instant(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """A time given at +02:00 is stored and fired as the same instant in UTC."""
        at = INTERVIEW_AT.astimezone(timezone(timedelta(hours=2)))
        interview = talentos.interviews.schedule(admin, interview_form(ada, scheduled_at=at))
        assert talentos.interviews.get(admin, interview.id).scheduled_at == INTERVIEW_AT
        assert outbox(talentos)[-1].data["scheduledAt"] == "2026-02-01T14:00:00.000000Z"

    def test_a_candidate_of_another_vacancy_is_a_validation_error(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """Scheduling a candidate for a vacancy they are not on is a 422 on `candidateId`."""
        other = open_vacancy(talentos, admin, "Clerk")
        before = written(talentos)
        with pytest.raises(ValidationError) as caught:
            talentos.interviews.schedule(admin, interview_form(ada, vacancy_id=other))
        assert caught.value.fields == {"candidate_id": "is not a candidate of this vacancy"}
        assert written(talentos) == before

    def test_a_candidate_or_vacancy_outside_the_tenant_is_not_found(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """Another tenant's candidate or vacancy, or an unknown id, is NotFound."""
        other = sign_up(talentos, "Other Co")
        theirs = apply(talentos, open_vacancy(talentos, other), **ADA)
        for candidate_id, vacancy_id in [
            (theirs.id, theirs.vacancy_id),
            (theirs.id, ada.vacancy_id),
            (ada.id, theirs.vacancy_id),
            ("cand_doesnotexist000000", ada.vacancy_id),
        ]:
            form = interview_form(ada, candidate_id=candidate_id, vacancy_id=vacancy_id)
            with pytest.raises(NotFound):
                talentos.interviews.schedule(admin, form)
        assert talentos.interviews.list(admin).total == talentos.interviews.list(other).total == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"scheduled_at": INTERVIEW_AT.replace(tzinfo=None)}, "scheduled_at"),
            ({"duration_min": 4}, "duration_min"),
            ({"duration_min": 481}, "duration_min"),
            ({"kind": "zoom"}, "kind"),
            ({"interviewers": ["x"] * 21}, "interviewers"),
            ({"interviewers": [""]}, "interviewers"),
            ({"location_or_url": "x" * 2001}, "location_or_url"),
            ({"notes": "x" * 10_001}, "notes"),
        ],
    )
    def test_invalid_input_names_the_field(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, changes: dict[str, Any], field: str
    ) -> None:
        """A naive time, a duration outside 5 to 480, an unknown kind or an over-long list or text
        is a ValidationError naming the field."""
        with pytest.raises(ValidationError) as caught:
            talentos.interviews.schedule(admin, interview_form(ada, **changes))
        assert list(caught.value.fields) == [field]


class TestUpdatingInterviews:
    def test_a_patch_changes_what_it_sets(
        self, talentos: TalentOS, admin: Actor, interview: Interview, clock: FrozenClock
    ) -> None:
        """Set fields change and `interview.updated` names them; nothing is fired."""
        clock.advance(minutes=1)
        before = written(talentos)
        later = INTERVIEW_AT + timedelta(days=1)
        updated = talentos.interviews.update(
            admin,
            interview.id,
            InterviewPatch(scheduled_at=later, location_or_url=None, notes="Bring a laptop"),
        )
        assert (updated.scheduled_at, updated.location_or_url, updated.notes) == (
            later,
            None,
            "Bring a laptop",
        )
        assert (updated.interviewers, updated.updated_at) == (["Ivy", "Sam"], clock.now())
        assert types_since(talentos, before) == (["interview.updated"], [])
        assert trail(talentos)[-1].data == {"fields": ["location_or_url", "notes", "scheduled_at"]}

    def test_a_patch_that_changes_nothing_writes_nothing(
        self, talentos: TalentOS, admin: Actor, interview: Interview, clock: FrozenClock
    ) -> None:
        """An empty patch, the stored values or the current status change and write nothing."""
        before = written(talentos)
        clock.advance(minutes=1)
        for patch in (
            InterviewPatch(),
            InterviewPatch(duration_min=60, interviewers=["Ivy", "Sam"], status=SCHEDULED),
        ):
            assert talentos.interviews.update(admin, interview.id, patch) == interview
        assert talentos.interviews.get(admin, interview.id) == interview
        assert written(talentos) == before

    def test_completing_stamps_and_fires(
        self, talentos: TalentOS, admin: Actor, interview: Interview, clock: FrozenClock
    ) -> None:
        """Completing stamps `completedAt` and records and fires `interview.completed`."""
        clock.advance(hours=3)
        before = written(talentos)
        done = talentos.interviews.update(admin, interview.id, InterviewPatch(status=COMPLETED))
        assert (done.status, done.completed_at) == (COMPLETED, clock.now())
        assert types_since(talentos, before) == (["interview.completed"], ["interview.completed"])
        assert outbox(talentos)[-1].data == {
            "interviewId": interview.id,
            "candidateId": interview.candidate_id,
            "vacancyId": interview.vacancy_id,
            "status": "completed",
        }

    @pytest.mark.parametrize("status", [CANCELLED, NO_SHOW])
    def test_a_cancelled_or_missed_interview_may_be_rescheduled(
        self, talentos: TalentOS, admin: Actor, interview: Interview, status: InterviewStatus
    ) -> None:
        """Cancelling or marking a no-show is recorded without a webhook, and the interview
        may be scheduled and then completed again."""
        before = written(talentos)
        talentos.interviews.update(admin, interview.id, InterviewPatch(status=status))
        assert types_since(talentos, before) == ([f"interview.{status}"], [])
        talentos.interviews.update(admin, interview.id, InterviewPatch(status=SCHEDULED))
        done = talentos.interviews.update(admin, interview.id, InterviewPatch(status=COMPLETED))
        assert done.status == COMPLETED

    @pytest.mark.parametrize(
        ("path", "goal"),
        [
            ((COMPLETED,), SCHEDULED),
            ((COMPLETED,), CANCELLED),
            ((COMPLETED,), NO_SHOW),
            ((CANCELLED,), COMPLETED),
            ((CANCELLED,), NO_SHOW),
            ((NO_SHOW,), COMPLETED),
        ],
    )
    def test_moves_the_machine_refuses(
        self,
        talentos: TalentOS,
        admin: Actor,
        interview: Interview,
        path: tuple[InterviewStatus, ...],
        goal: InterviewStatus,
    ) -> None:
        """A move the status machine does not allow is an InvalidTransition writing nothing,
        even beside a valid field change."""
        for status in path:
            interview = talentos.interviews.update(
                admin, interview.id, InterviewPatch(status=status)
            )
        before = written(talentos)
        with pytest.raises(InvalidTransition):
            talentos.interviews.update(
                admin, interview.id, InterviewPatch(status=goal, notes="moved")
            )
        assert talentos.interviews.get(admin, interview.id) == interview
        assert written(talentos) == before

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            (InterviewPatch(duration_min=500), "duration_min"),
            (InterviewPatch(status="done"), "status"),  # type: ignore[arg-type]
            (InterviewPatch(scheduled_at=INTERVIEW_AT.replace(tzinfo=None)), "scheduled_at"),
            (card(score=101), "add_scorecard.score"),
            (card(score=-1), "add_scorecard.score"),
            (card(""), "add_scorecard.interviewer"),
            (card(recommendation="maybe"), "add_scorecard.recommendation"),
        ],
        ids=["duration", "status", "naive-time", "score-high", "score-low", "name", "rec"],
    )
    def test_an_invalid_patch_names_the_field(
        self,
        talentos: TalentOS,
        admin: Actor,
        interview: Interview,
        patch: InterviewPatch,
        field: str,
    ) -> None:
        """A bad field, or a bad field of the scorecard, is a ValidationError naming it."""
        with pytest.raises(ValidationError) as caught:
            talentos.interviews.update(admin, interview.id, patch)
        assert list(caught.value.fields) == [field]
        assert talentos.interviews.get(admin, interview.id) == interview

    def test_another_tenants_interview_is_not_found(
        self, talentos: TalentOS, admin: Actor, interview: Interview
    ) -> None:
        """Reading, changing or deleting acme-bank's interview as other-co is NotFound."""
        other = sign_up(talentos, "Other Co")
        for attempt in (
            lambda: talentos.interviews.get(other, interview.id),
            lambda: talentos.interviews.update(other, interview.id, card()),
            lambda: talentos.interviews.delete(other, interview.id),
        ):
            with pytest.raises(NotFound):
                attempt()
        assert talentos.interviews.get(admin, interview.id) == interview


class TestScorecards:
    def test_a_scorecard_is_filed_under_the_name_given(
        self, talentos: TalentOS, admin: Actor, interview: Interview, clock: FrozenClock
    ) -> None:
        """A recruiter's (or admin's) scorecard is filed under the interviewer it names, stamped
        now; `interview.scorecard_filed` is recorded, and nothing is fired."""
        before = written(talentos)
        updated = talentos.interviews.update(admin, interview.id, card("Ivy", 75, notes="Sharp"))
        (filed,) = updated.scorecards
        assert (filed.interviewer, filed.score, filed.notes, filed.submitted_at) == (
            "Ivy",
            75,
            "Sharp",
            clock.now(),
        )
        assert types_since(talentos, before) == (["interview.scorecard_filed"], [])
        assert trail(talentos)[-1].data["recommendation"] == "hire"
        assert "Sharp" not in repr(trail(talentos)[-1])

    def test_one_scorecard_per_interviewer_name(
        self, talentos: TalentOS, admin: Actor, interview: Interview
    ) -> None:
        """The same name in any case replaces that card where it stood; a new name is added."""
        talentos.interviews.update(admin, interview.id, card("Ivy", 50))
        talentos.interviews.update(admin, interview.id, card("Sam", 60))
        updated = talentos.interviews.update(admin, interview.id, card(" IVY ", 90))
        assert [(c.interviewer, c.score) for c in updated.scorecards] == [
            (" IVY ", 90),
            ("Sam", 60),
        ]
        assert talentos.interviews.get(admin, interview.id) == updated

    def test_a_scorecard_and_completion_together(
        self, talentos: TalentOS, admin: Actor, interview: Interview
    ) -> None:
        """Filing a scorecard and completing in one patch records both; completion fires."""
        before = written(talentos)
        patch = attrs.evolve(card(), status=COMPLETED)
        done = talentos.interviews.update(admin, interview.id, patch)
        assert (done.status, len(done.scorecards)) == (COMPLETED, 1)
        assert types_since(talentos, before) == (
            ["interview.scorecard_filed", "interview.completed"],
            ["interview.completed"],
        )


class TestInterviewerRole:
    @pytest.fixture
    def ivy(self, talentos: TalentOS, admin: Actor) -> Actor:
        """A signed-in interviewer of acme-bank."""
        return teammate(talentos, admin, Role.INTERVIEWER)

    def test_an_interviewers_scorecard_is_filed_under_their_own_name(
        self, talentos: TalentOS, admin: Actor, interview: Interview, ivy: Actor
    ) -> None:
        """Whatever name the scorecard gives, an interviewer files under their user name, and
        cannot replace someone else's card."""
        talentos.interviews.update(admin, interview.id, card("Sam", 40))
        updated = talentos.interviews.update(ivy, interview.id, card("Sam", 99))
        mine = user_name(talentos, ivy)
        assert [(c.interviewer, c.score) for c in updated.scorecards] == [("Sam", 40), (mine, 99)]
        again = talentos.interviews.update(ivy, interview.id, card("Someone Else", 10))
        assert [(c.interviewer, c.score) for c in again.scorecards] == [("Sam", 40), (mine, 10)]

    def test_an_interviewer_may_complete_the_interview(
        self, talentos: TalentOS, interview: Interview, ivy: Actor
    ) -> None:
        """An interviewer may mark the interview completed, alone or with their scorecard."""
        patch = attrs.evolve(card(), status=COMPLETED)
        assert talentos.interviews.update(ivy, interview.id, patch).status == COMPLETED
        assert talentos.interviews.update(ivy, interview.id, card(score=1)).scorecards[0].score == 1

    @pytest.mark.parametrize(
        "patch",
        [
            InterviewPatch(notes="Moved"),
            InterviewPatch(scheduled_at=INTERVIEW_AT + timedelta(hours=1)),
            InterviewPatch(duration_min=30),
            InterviewPatch(kind=InterviewKind.ONSITE),
            InterviewPatch(interviewers=["Ivy"]),
            InterviewPatch(location_or_url="Room 4"),
            InterviewPatch(status=CANCELLED),
            InterviewPatch(status=NO_SHOW),
            InterviewPatch(status=SCHEDULED),
            attrs.evolve(card(), notes="And a note"),
            attrs.evolve(card(), status=CANCELLED),
        ],
        ids=named,
    )
    def test_anything_else_is_forbidden(
        self,
        talentos: TalentOS,
        interview: Interview,
        ivy: Actor,
        patch: InterviewPatch,
    ) -> None:
        """An interviewer changing any other field or status is Forbidden, and nothing of the
        patch (not even its scorecard) is written."""
        before = written(talentos)
        with pytest.raises(Forbidden):
            talentos.interviews.update(ivy, interview.id, patch)
        assert talentos.interviews.get(ivy, interview.id) == interview
        assert written(talentos) == before

    def test_an_api_key_acting_as_interviewer_files_under_its_name(
        self, talentos: TalentOS, admin: Actor, interview: Interview
    ) -> None:
        """A scorecard sent with an interviewer-role API key is filed under the key's name, and
        the key alone is named in the audit event."""
        minted = talentos.api_keys.mint(admin, NewApiKey("Panel Bot", Role.INTERVIEWER))
        bot = talentos.auth.authenticate_api_key(minted.raw_token)
        updated = talentos.interviews.update(bot, interview.id, card("Ivy", 70))
        assert [c.interviewer for c in updated.scorecards] == ["Panel Bot"]
        event = trail(talentos)[-1]
        assert (event.actor_type, event.actor_id, event.actor_role) == (
            "api_key",
            minted.key.id,
            "interviewer",
        )
        with pytest.raises(Forbidden):
            talentos.interviews.update(bot, interview.id, InterviewPatch(notes="x"))

    def test_an_api_key_of_another_role_files_under_the_name_given(
        self, talentos: TalentOS, admin: Actor, interview: Interview
    ) -> None:
        """A recruiter-role key files the scorecard under the interviewer it names."""
        minted = talentos.api_keys.mint(admin, NewApiKey("ATS sync", Role.RECRUITER))
        sync = talentos.auth.authenticate_api_key(minted.raw_token)
        updated = talentos.interviews.update(sync, interview.id, card("Ivy"))
        assert [c.interviewer for c in updated.scorecards] == ["Ivy"]


class TestDeletingAndListingInterviews:
    def test_a_deleted_interview_is_gone(
        self, talentos: TalentOS, admin: Actor, interview: Interview
    ) -> None:
        """Deleting records `interview.deleted` (no webhook); the interview is NotFound after."""
        before = written(talentos)
        talentos.interviews.delete(admin, interview.id)
        assert types_since(talentos, before) == (["interview.deleted"], [])
        with pytest.raises(NotFound):
            talentos.interviews.get(admin, interview.id)
        with pytest.raises(NotFound):
            talentos.interviews.delete(admin, interview.id)

    def test_lists_run_by_time_within_the_tenant(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """Interviews list earliest first; `from` is inclusive, `to` exclusive; candidate,
        vacancy and status filter exactly; another tenant's are never listed."""
        grace = apply(talentos, ada.vacancy_id, "Grace", "grace@navy.example")
        times = [INTERVIEW_AT + timedelta(days=n) for n in (2, 0, 1)]
        made = [
            talentos.interviews.schedule(admin, interview_form(who, scheduled_at=at))
            for who, at in zip([ada, grace, ada], times, strict=True)
        ]
        talentos.interviews.update(admin, made[2].id, InterviewPatch(status=CANCELLED))
        other = sign_up(talentos, "Other Co")
        talentos.interviews.schedule(
            other, interview_form(apply(talentos, open_vacancy(talentos, other), **ADA))
        )

        def ids(**where: Any) -> list[str]:
            return [i.id for i in talentos.interviews.list(admin, InterviewFilter(**where)).items]

        assert ids() == [made[1].id, made[2].id, made[0].id]
        assert ids(since=times[2], until=times[0]) == [made[2].id]
        assert ids(since=times[1], until=times[1]) == []
        assert ids(candidate_id=ada.id) == [made[2].id, made[0].id]
        assert ids(status=CANCELLED) == [made[2].id]
        assert ids(vacancy_id=ada.vacancy_id) == ids()

    @pytest.mark.parametrize(
        ("where", "field"),
        [
            (InterviewFilter(since=INTERVIEW_AT.replace(tzinfo=None)), "since"),
            (InterviewFilter(until=INTERVIEW_AT.replace(tzinfo=None)), "until"),
            (InterviewFilter(status="done"), "status"),  # type: ignore[arg-type]
        ],
        ids=["naive-from", "naive-to", "status"],
    )
    def test_a_filter_breaking_a_rule_is_refused(
        self,
        talentos: TalentOS,
        admin: Actor,
        interview: Interview,
        where: InterviewFilter,
        field: str,
    ) -> None:
        """A bound without a time zone or an unknown status is a ValidationError naming it, on
        both backends alike (not a crash, nor a time read in the server's zone)."""
        with pytest.raises(ValidationError) as caught:
            talentos.interviews.list(admin, where)
        assert list(caught.value.fields) == [field]


class TestInterviewRoles:
    @pytest.fixture
    def team(self, talentos: TalentOS) -> dict[Role, Actor]:
        return everyone(talentos)

    @staticmethod
    def _candidate(talentos: TalentOS, admin: Actor) -> Candidate:
        return apply(talentos, open_vacancy(talentos, admin), "P", f"p{next(_serial)}@e.ex")

    @staticmethod
    def _interview(talentos: TalentOS, admin: Actor) -> str:
        candidate = TestInterviewRoles._candidate(talentos, admin)
        return talentos.interviews.schedule(admin, interview_form(candidate)).id

    WALKS = {
        Operation.INTERVIEWS_LIST: lambda t, actor, admin: t.interviews.list(actor),
        Operation.INTERVIEWS_READ: lambda t, actor, admin: t.interviews.get(
            actor, TestInterviewRoles._interview(t, admin)
        ),
        Operation.INTERVIEWS_CREATE: lambda t, actor, admin: t.interviews.schedule(
            actor, interview_form(TestInterviewRoles._candidate(t, admin))
        ),
        Operation.INTERVIEWS_UPDATE: lambda t, actor, admin: t.interviews.update(
            actor, TestInterviewRoles._interview(t, admin), card()
        ),
        Operation.INTERVIEWS_DELETE: lambda t, actor, admin: t.interviews.delete(
            actor, TestInterviewRoles._interview(t, admin)
        ),
    }

    def test_every_interview_operation_is_walked(self) -> None:
        """Each `interviews.*` operation of the role table is walked here."""
        assert set(self.WALKS) == area("interviews.")

    @pytest.mark.parametrize("operation", sorted(WALKS))
    def test_exactly_the_listed_roles_may(
        self, talentos: TalentOS, team: dict[Role, Actor], operation: Operation
    ) -> None:
        """The roles the table lists succeed, every other role is Forbidden, and an anonymous
        caller is Unauthenticated."""
        walk_roles(talentos, team, operation, self.WALKS[operation])
