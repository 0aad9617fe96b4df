"""Offers through the Python API, on both backends (CONTRACT §6): creation as draft or sent,
terms frozen once sent, the status machine, acceptance hiring the candidate in the same
transaction, one accepted offer per candidate, the events each change writes, and the role
table."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from core_pipeline import (
    ADA,
    apply,
    area,
    everyone,
    offer_form,
    open_vacancy,
    outbox,
    trail,
    types_since,
    vacancy_counters,
    walk_roles,
    written,
)

from talentos_core import Actor, Conflict, NotFound, Role, TalentOS, ValidationError
from talentos_core.domain.candidates import Candidate, CandidatePatch, Stage
from talentos_core.domain.offers import NewOffer, OfferFilter, OfferPatch, OfferStatus
from talentos_core.errors import InvalidTransition
from talentos_core.roles import Operation
from talentos_core.testing import FrozenClock, sign_up, teammate

DRAFT, SENT, ACCEPTED, DECLINED, WITHDRAWN = (
    OfferStatus.DRAFT,
    OfferStatus.SENT,
    OfferStatus.ACCEPTED,
    OfferStatus.DECLINED,
    OfferStatus.WITHDRAWN,
)
_serial = count(1)


@pytest.fixture
def admin(talentos: TalentOS) -> Actor:
    return sign_up(talentos)


@pytest.fixture
def vacancy_id(talentos: TalentOS, admin: Actor) -> str:
    return open_vacancy(talentos, admin)


@pytest.fixture
def ada(talentos: TalentOS, vacancy_id: str) -> Candidate:
    """A candidate of the vacancy, at `applied`."""
    return apply(talentos, vacancy_id, **ADA)


def move(talentos: TalentOS, admin: Actor, offer_id: str, *statuses: OfferStatus) -> Any:
    """Take the offer through ``statuses`` in turn; the last result."""
    result = None
    for status in statuses:
        result = talentos.offers.update(admin, offer_id, OfferPatch(status=status))
    return result


class TestCreatingOffers:
    def test_an_offer_starts_as_a_draft(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """A new offer is a draft with its terms, its creator and no sending time; it is
        recorded and fires nothing."""
        before = written(talentos)
        offer = talentos.offers.create(
            admin, offer_form(ada, bonus=5_000, start_date="2026-03-01", notes="Relocation")
        )
        assert (offer.status, offer.sent_at, offer.decided_at) == (DRAFT, None, None)
        assert (offer.base_salary, offer.currency, offer.bonus, offer.start_date) == (
            50_000,
            "EUR",
            5_000,
            "2026-03-01",
        )
        assert (offer.created_by, offer.created_at, offer.id[:4]) == (admin.id, clock.now(), "ofr_")
        assert talentos.offers.get(admin, offer.id) == offer
        assert types_since(talentos, before) == (["offer.created"], [])
        assert trail(talentos)[-1].data == {
            "offerId": offer.id,
            "candidateId": ada.id,
            "vacancyId": ada.vacancy_id,
        }

    def test_an_offer_may_be_sent_at_once(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """Created as sent, an offer is stamped `sentAt` and fires `offer.sent` with ids and
        its status."""
        before = written(talentos)
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        assert (offer.status, offer.sent_at) == (SENT, clock.now())
        assert types_since(talentos, before) == (["offer.created"], ["offer.sent"])
        assert outbox(talentos)[-1].data == {
            "offerId": offer.id,
            "candidateId": ada.id,
            "vacancyId": ada.vacancy_id,
            "status": "sent",
        }

    @pytest.mark.parametrize("status", [ACCEPTED, DECLINED, WITHDRAWN])
    def test_only_draft_or_sent_at_creation(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, status: OfferStatus
    ) -> None:
        """Creating an offer already decided is a ValidationError on `status`."""
        with pytest.raises(ValidationError) as caught:
            talentos.offers.create(admin, offer_form(ada, status=status))
        assert list(caught.value.fields) == ["status"]
        assert talentos.candidates.get(admin, ada.id).stage == Stage.APPLIED

    def test_a_candidate_of_another_vacancy_is_a_validation_error(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """An offer naming a vacancy the candidate is not on is a 422 on `candidateId`."""
        other = open_vacancy(talentos, admin, "Clerk")
        before = written(talentos)
        with pytest.raises(ValidationError) as caught:
            talentos.offers.create(admin, NewOffer(ada.id, other, 1, "EUR"))
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
            (ada.id, "vac_doesnotexist00000000"),
        ]:
            with pytest.raises(NotFound):
                talentos.offers.create(admin, NewOffer(candidate_id, vacancy_id, 1, "EUR"))
        assert talentos.offers.list(admin).total == 0
        assert talentos.offers.list(other).total == 0

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"currency": "eur"}, "currency"),
            ({"currency": "EURO"}, "currency"),
            ({"base_salary": -1}, "base_salary"),
            ({"bonus": -0.01}, "bonus"),
            ({"sign_on_bonus": float("inf")}, "sign_on_bonus"),
            ({"start_date": "2026-02-30"}, "start_date"),
            ({"notes": "x" * 10_001}, "notes"),
        ],
    )
    def test_invalid_terms_name_the_field(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, changes: dict[str, Any], field: str
    ) -> None:
        """A bad currency, amount, date or note is a ValidationError naming it."""
        form = offer_form(ada, **changes)
        with pytest.raises(ValidationError) as caught:
            talentos.offers.create(admin, form)
        assert list(caught.value.fields) == [field]


class TestOfferTerms:
    def test_a_drafts_terms_may_change(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """Terms of a draft change; `offer.updated` names the fields and nothing is fired."""
        offer = talentos.offers.create(admin, offer_form(ada))
        clock.advance(minutes=1)
        before = written(talentos)
        revised = talentos.offers.update(
            admin, offer.id, OfferPatch(base_salary=55_000, currency="GBP", bonus=None)
        )
        assert (revised.base_salary, revised.currency, revised.updated_at) == (
            55_000,
            "GBP",
            clock.now(),
        )
        assert types_since(talentos, before) == (["offer.updated"], [])
        assert trail(talentos)[-1].data == {"fields": ["base_salary", "currency"]}

    @pytest.mark.parametrize(
        "patch",
        [
            OfferPatch(base_salary=1),
            OfferPatch(currency="USD"),
            OfferPatch(bonus=1),
            OfferPatch(sign_on_bonus=1),
            OfferPatch(start_date="2027-01-01"),
        ],
        ids=["base_salary", "currency", "bonus", "sign_on_bonus", "start_date"],
    )
    @pytest.mark.parametrize("status", [SENT, DECLINED, WITHDRAWN])
    def test_terms_are_frozen_once_sent(
        self,
        talentos: TalentOS,
        admin: Actor,
        ada: Candidate,
        patch: OfferPatch,
        status: OfferStatus,
    ) -> None:
        """Changing a term of an offer that has been sent is a Conflict and writes nothing."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        offer = move(talentos, admin, offer.id, status)
        before = written(talentos)
        with pytest.raises(Conflict):
            talentos.offers.update(admin, offer.id, patch)
        assert talentos.offers.get(admin, offer.id) == offer
        assert written(talentos) == before

    def test_an_accepted_offers_terms_are_frozen(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """An accepted offer's salary cannot change either."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        move(talentos, admin, offer.id, ACCEPTED)
        with pytest.raises(Conflict):
            talentos.offers.update(admin, offer.id, OfferPatch(base_salary=1))

    def test_notes_and_the_decision_change_in_any_status(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """Notes and the decision text may change after sending, recorded as an update."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        move(talentos, admin, offer.id, DECLINED)
        before = written(talentos)
        changed = talentos.offers.update(
            admin, offer.id, OfferPatch(notes="Counter-offer elsewhere", decision="Declined")
        )
        assert (changed.notes, changed.decision, changed.status) == (
            "Counter-offer elsewhere",
            "Declined",
            DECLINED,
        )
        assert types_since(talentos, before) == (["offer.updated"], [])

    def test_terms_and_sending_may_come_together(
        self, talentos: TalentOS, admin: Actor, ada: Candidate
    ) -> None:
        """A draft's new terms and its sending in one patch: both recorded, the terms first."""
        offer = talentos.offers.create(admin, offer_form(ada))
        before = written(talentos)
        sent = talentos.offers.update(admin, offer.id, OfferPatch(base_salary=60_000, status=SENT))
        assert (sent.base_salary, sent.status) == (60_000, SENT)
        assert types_since(talentos, before) == (["offer.updated", "offer.sent"], ["offer.sent"])

    def test_a_patch_that_changes_nothing_writes_nothing(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """An empty patch, the same terms, or the current status change nothing and write
        nothing (even on a sent offer, whose terms are frozen)."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        before = written(talentos)
        clock.advance(minutes=1)
        for patch in (
            OfferPatch(),
            OfferPatch(base_salary=50_000, currency="EUR", bonus=None),
            OfferPatch(status=SENT),
        ):
            assert talentos.offers.update(admin, offer.id, patch) == offer
        assert talentos.offers.get(admin, offer.id) == offer
        assert written(talentos) == before

    @pytest.mark.parametrize(
        ("patch", "field"),
        [
            (OfferPatch(currency="usd"), "currency"),
            (OfferPatch(base_salary=-5), "base_salary"),
            (OfferPatch(status="signed"), "status"),  # type: ignore[arg-type]
            (OfferPatch(start_date="tomorrow"), "start_date"),
        ],
        ids=["currency", "base_salary", "status", "start_date"],
    )
    def test_an_invalid_patch_names_the_field(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, patch: OfferPatch, field: str
    ) -> None:
        """A bad field in a patch is a ValidationError naming it."""
        offer = talentos.offers.create(admin, offer_form(ada))
        with pytest.raises(ValidationError) as caught:
            talentos.offers.update(admin, offer.id, patch)
        assert list(caught.value.fields) == [field]


class TestOfferTransitions:
    def test_sending_stamps_and_fires(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """Draft to sent stamps `sentAt`, records `offer.sent` with the move and fires it."""
        offer = talentos.offers.create(admin, offer_form(ada))
        clock.advance(hours=1)
        before = written(talentos)
        sent = move(talentos, admin, offer.id, SENT)
        assert (sent.status, sent.sent_at, sent.decided_at) == (SENT, clock.now(), None)
        assert types_since(talentos, before) == (["offer.sent"], ["offer.sent"])
        assert trail(talentos)[-1].data["from"] == "draft"
        assert trail(talentos)[-1].data["to"] == "sent"

    def test_a_declined_offer_leaves_the_candidate_where_they_are(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """Declining stamps `decidedAt` and fires `offer.declined`; the stage does not move."""
        talentos.candidates.update(admin, ada.id, CandidatePatch(stage=Stage.OFFER))
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        before = written(talentos)
        declined = move(talentos, admin, offer.id, DECLINED)
        assert (declined.status, declined.decided_at) == (DECLINED, clock.now())
        assert types_since(talentos, before) == (["offer.declined"], ["offer.declined"])
        assert outbox(talentos)[-1].data["status"] == "declined"
        assert talentos.candidates.get(admin, ada.id).stage == Stage.OFFER

    @pytest.mark.parametrize("start", [DRAFT, SENT])
    def test_withdrawing_is_recorded_and_fires_nothing(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, start: OfferStatus
    ) -> None:
        """Withdrawing a draft or a sent offer records `offer.withdrawn`; no webhook names it."""
        offer = talentos.offers.create(admin, offer_form(ada, status=start))
        before = written(talentos)
        assert move(talentos, admin, offer.id, WITHDRAWN).status == WITHDRAWN
        assert types_since(talentos, before) == (["offer.withdrawn"], [])

    @pytest.mark.parametrize(
        ("path", "goal"),
        [
            ((), ACCEPTED),
            ((), DECLINED),
            ((SENT, ACCEPTED), WITHDRAWN),
            ((SENT, ACCEPTED), DECLINED),
            ((SENT, DECLINED), SENT),
            ((SENT, DECLINED), ACCEPTED),
            ((WITHDRAWN,), SENT),
            ((SENT,), DRAFT),
        ],
    )
    def test_moves_the_machine_refuses(
        self,
        talentos: TalentOS,
        admin: Actor,
        ada: Candidate,
        path: tuple[OfferStatus, ...],
        goal: OfferStatus,
    ) -> None:
        """A move the status machine does not allow is an InvalidTransition writing nothing."""
        offer = talentos.offers.create(admin, offer_form(ada))
        offer = move(talentos, admin, offer.id, *path) or offer
        stage = talentos.candidates.get(admin, ada.id).stage
        before = written(talentos)
        with pytest.raises(InvalidTransition):
            talentos.offers.update(admin, offer.id, OfferPatch(status=goal))
        assert talentos.offers.get(admin, offer.id) == offer
        assert talentos.candidates.get(admin, ada.id).stage == stage
        assert written(talentos) == before


class TestOfferAcceptance:
    def test_accepting_hires_the_candidate_in_the_same_transaction(
        self,
        talentos: TalentOS,
        admin: Actor,
        ada: Candidate,
        vacancy_id: str,
        clock: FrozenClock,
    ) -> None:
        """Acceptance stamps the offer, moves the candidate to hired, counts the hire, and
        records and fires both the stage change and `offer.accepted`."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        clock.advance(days=2)
        before = written(talentos)
        accepted = move(talentos, admin, offer.id, ACCEPTED)
        assert (accepted.status, accepted.decided_at) == (ACCEPTED, clock.now())
        hired = talentos.candidates.get(admin, ada.id)
        assert (hired.stage, hired.hired_at) == (Stage.HIRED, clock.now())
        assert vacancy_counters(talentos, vacancy_id) == (1, 1)
        assert types_since(talentos, before) == (
            ["candidate.stage_changed", "offer.accepted"],
            ["candidate.stage_changed", "offer.accepted"],
        )
        stage_event, offer_event = outbox(talentos)[-2:]
        assert stage_event.data == {
            "candidateId": ada.id,
            "vacancyId": vacancy_id,
            "from": "applied",
            "to": "hired",
        }
        assert offer_event.data == {
            "offerId": offer.id,
            "candidateId": ada.id,
            "vacancyId": vacancy_id,
            "status": "accepted",
        }

    def test_a_candidate_accepts_at_most_one_offer(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, vacancy_id: str
    ) -> None:
        """A second offer of the same candidate cannot be accepted (Conflict); it stays sent
        and nothing is written."""
        first = talentos.offers.create(admin, offer_form(ada, status=SENT))
        second = talentos.offers.create(admin, offer_form(ada, status=SENT, base_salary=1))
        move(talentos, admin, first.id, ACCEPTED)
        before = written(talentos)
        with pytest.raises(Conflict):
            move(talentos, admin, second.id, ACCEPTED)
        assert talentos.offers.get(admin, second.id) == second
        assert vacancy_counters(talentos, vacancy_id) == (1, 1)
        assert written(talentos) == before
        assert move(talentos, admin, second.id, DECLINED).status == DECLINED

    def test_accepting_for_a_hired_candidate_moves_nothing(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, vacancy_id: str
    ) -> None:
        """If the candidate is already hired, acceptance fires only `offer.accepted` and the
        hire is not counted twice."""
        talentos.candidates.update(admin, ada.id, CandidatePatch(stage=Stage.HIRED))
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        before = written(talentos)
        move(talentos, admin, offer.id, ACCEPTED)
        assert types_since(talentos, before) == (["offer.accepted"], ["offer.accepted"])
        assert vacancy_counters(talentos, vacancy_id) == (1, 1)

    @pytest.mark.parametrize("closed", [Stage.REJECTED, Stage.WITHDRAWN])
    def test_a_failed_acceptance_changes_neither_offer_nor_candidate(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, vacancy_id: str, closed: Stage
    ) -> None:
        """A rejected or withdrawn candidate cannot be hired by an acceptance (they must be
        reopened first): InvalidTransition, and the offer stays sent, all in one rollback."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        talentos.candidates.update(admin, ada.id, CandidatePatch(stage=closed))
        before = written(talentos)
        with pytest.raises(InvalidTransition):
            move(talentos, admin, offer.id, ACCEPTED)
        assert talentos.offers.get(admin, offer.id).status == SENT
        assert talentos.candidates.get(admin, ada.id).stage == closed
        assert vacancy_counters(talentos, vacancy_id) == (1, 0)
        assert written(talentos) == before

    @pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER])
    def test_whoever_records_the_acceptance_hires(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, role: Role
    ) -> None:
        """A recruiter or hiring manager recording an acceptance hires the candidate."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        move(talentos, teammate(talentos, admin, role), offer.id, ACCEPTED)
        assert talentos.candidates.get(admin, ada.id).stage == Stage.HIRED

    def test_deleting_an_accepted_offer_keeps_the_hire(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, vacancy_id: str
    ) -> None:
        """Deleting an accepted offer records `offer.deleted`; the candidate stays hired."""
        offer = talentos.offers.create(admin, offer_form(ada, status=SENT))
        move(talentos, admin, offer.id, ACCEPTED)
        before = written(talentos)
        talentos.offers.delete(admin, offer.id)
        with pytest.raises(NotFound):
            talentos.offers.get(admin, offer.id)
        with pytest.raises(NotFound):
            talentos.offers.delete(admin, offer.id)
        assert types_since(talentos, before) == (["offer.deleted"], [])
        assert vacancy_counters(talentos, vacancy_id) == (1, 1)


class TestReadingOffers:
    def test_lists_filter_exactly_within_the_tenant(
        self, talentos: TalentOS, admin: Actor, ada: Candidate, clock: FrozenClock
    ) -> None:
        """Offers list newest first, filtered by candidate, vacancy and status; another
        tenant's offer is NotFound by id and absent from lists."""
        grace = apply(talentos, open_vacancy(talentos, admin, "Clerk"), "Grace", "g@example.com")
        first = talentos.offers.create(admin, offer_form(ada))
        clock.advance(seconds=1)
        second = talentos.offers.create(admin, offer_form(grace, status=SENT))
        other = sign_up(talentos, "Other Co")
        theirs = talentos.offers.create(
            other, offer_form(apply(talentos, open_vacancy(talentos, other), **ADA))
        )

        def ids(**where: Any) -> list[str]:
            return [o.id for o in talentos.offers.list(admin, OfferFilter(**where)).items]

        assert ids() == [second.id, first.id]
        assert ids(candidate_id=ada.id) == [first.id]
        assert ids(vacancy_id=grace.vacancy_id) == [second.id]
        assert ids(status=SENT) == [second.id]
        assert ids(status="accepted") == []
        assert ids(candidate_id=theirs.candidate_id) == []
        for attempt in (
            lambda: talentos.offers.get(admin, theirs.id),
            lambda: talentos.offers.update(admin, theirs.id, OfferPatch(status=SENT)),
            lambda: talentos.offers.delete(admin, theirs.id),
        ):
            with pytest.raises(NotFound):
                attempt()
        assert talentos.offers.get(other, theirs.id) == theirs

    def test_an_unknown_status_filter_is_refused(self, talentos: TalentOS, admin: Actor) -> None:
        """Filtering by a status that does not exist is a ValidationError, not an empty list."""
        with pytest.raises(ValidationError) as caught:
            talentos.offers.list(admin, OfferFilter(status="signed"))  # type: ignore[arg-type]
        assert list(caught.value.fields) == ["status"]


class TestOfferRoles:
    @pytest.fixture
    def team(self, talentos: TalentOS) -> dict[Role, Actor]:
        return everyone(talentos)

    @staticmethod
    def _offer(talentos: TalentOS, admin: Actor) -> str:
        candidate = apply(talentos, open_vacancy(talentos, admin), "P", f"p{next(_serial)}@e.ex")
        return talentos.offers.create(admin, offer_form(candidate)).id

    @staticmethod
    def _candidate(talentos: TalentOS, admin: Actor) -> Candidate:
        return apply(talentos, open_vacancy(talentos, admin), "P", f"p{next(_serial)}@e.ex")

    WALKS = {
        Operation.OFFERS_LIST: lambda t, actor, admin: t.offers.list(actor),
        Operation.OFFERS_READ: lambda t, actor, admin: t.offers.get(
            actor, TestOfferRoles._offer(t, admin)
        ),
        Operation.OFFERS_CREATE: lambda t, actor, admin: t.offers.create(
            actor, offer_form(TestOfferRoles._candidate(t, admin))
        ),
        Operation.OFFERS_UPDATE: lambda t, actor, admin: t.offers.update(
            actor, TestOfferRoles._offer(t, admin), OfferPatch(status=SENT)
        ),
        Operation.OFFERS_DELETE: lambda t, actor, admin: t.offers.delete(
            actor, TestOfferRoles._offer(t, admin)
        ),
    }

    def test_every_offer_operation_is_walked(self) -> None:
        """Each `offers.*` operation of the role table is walked here."""
        assert set(self.WALKS) == area("offers.")

    @pytest.mark.parametrize("operation", sorted(WALKS))
    def test_exactly_the_listed_roles_may(
        self, talentos: TalentOS, team: dict[Role, Actor], operation: Operation
    ) -> None:
        """The roles the table lists succeed, every other role is Forbidden, and an anonymous
        caller is Unauthenticated."""
        walk_roles(talentos, team, operation, self.WALKS[operation])
