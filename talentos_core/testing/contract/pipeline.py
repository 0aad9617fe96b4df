"""The contract for what happens to candidates: their offers and their interviews.

Candidates themselves are in :mod:`.candidates`.
"""

from __future__ import annotations

from datetime import timedelta, timezone

import attrs
import pytest

from talentos_core.domain.interviews import (
    InterviewFilter,
    InterviewStatus,
    Recommendation,
    Scorecard,
)
from talentos_core.domain.offers import Offer, OfferFilter, OfferStatus
from talentos_core.domain.paging import PageRequest
from talentos_core.errors import Conflict, NotFound
from talentos_core.ports import Store
from talentos_core.testing.contract._support import (
    ACME,
    EVERYONE,
    GLOBEX,
    _expect_pages,
    at,
    ids,
)
from talentos_core.testing.contract.builders import (
    full_agency,
    full_candidate,
    full_interview,
    full_offer,
    make_candidate,
    make_interview,
    make_offer,
    make_vacancy,
    seed_pipeline,
)

PLUS_FIVE = timezone(timedelta(hours=5))
MINUS_THREE_THIRTY = timezone(-timedelta(hours=3, minutes=30))


def _seed_people(store: Store) -> None:
    """The pipeline of :func:`seed_pipeline` with acme's ``cand_1`` and ``cand_2`` on
    ``vac_1``, ``cand_3`` on ``vac_2``, globex's ``cand_9``, and acme's ``cand_full`` on
    ``vac_full`` through ``agy_full``."""
    seed_pipeline(
        store,
        make_candidate("cand_1"),
        make_candidate("cand_2"),
        make_candidate("cand_3", "vac_2"),
        make_candidate("cand_9", "vac_9", GLOBEX),
    )
    with store.transaction() as uow:
        uow.agencies.add(full_agency())
        uow.vacancies.add(make_vacancy("vac_full"))
        uow.candidates.add(full_candidate())


class OffersContract:
    """Offers: scoped reads, filtered lists newest first, one accepted offer per candidate."""

    def _add_offers(self, store: Store, *offers: Offer) -> None:
        with store.transaction() as uow:
            for offer in offers:
                uow.offers.add(offer)

    def _offers(self, store: Store, where: OfferFilter, tenant_id: str = ACME) -> list[str]:
        return ids(store.reader().offers.list(tenant_id, where, EVERYONE).items)

    def test_every_field_of_an_offer_round_trips(self, store: Store) -> None:
        """An offer with every field set reads back equal by id, list and candidate."""
        _seed_people(store)
        offer = full_offer()
        self._add_offers(store, offer)
        reader = store.reader()
        assert reader.offers.get(ACME, offer.id) == offer
        assert reader.offers.list(ACME, OfferFilter(), EVERYONE).items == [offer]
        assert reader.offers.of_candidate(ACME, offer.candidate_id) == [offer]

    def test_update_replaces_every_field_of_an_offer(self, store: Store) -> None:
        """An updated offer reads back exactly as written, and so does one cleared again."""
        _seed_people(store)
        plain = make_offer("ofr_full", "cand_full", "vac_full")
        self._add_offers(store, plain)
        for written in (full_offer(), plain):
            with store.transaction() as uow:
                uow.offers.update(written)
            assert store.reader().offers.get(ACME, "ofr_full") == written

    def test_whole_number_amounts_read_back_as_floats(self, store: Store) -> None:
        """Amounts given as whole numbers read back as floats, optional ones included."""
        _seed_people(store)
        self._add_offers(
            store, make_offer("ofr_1", base_salary=90_000, bonus=5_000, sign_on_bonus=0)
        )
        offer = store.reader().offers.get(ACME, "ofr_1")
        amounts = (offer.base_salary, offer.bonus, offer.sign_on_bonus)
        assert [(type(amount), amount) for amount in amounts] == [
            (float, 90_000.0),
            (float, 5_000.0),
            (float, 0.0),
        ]

    def test_another_tenants_offer_is_not_found(self, store: Store) -> None:
        """Get, update and delete under the wrong tenant raise NotFound and change nothing."""
        _seed_people(store)
        theirs = make_offer("ofr_9", "cand_9", "vac_9", GLOBEX)
        self._add_offers(store, theirs)
        for tenant_id, offer_id in ((ACME, "ofr_9"), (GLOBEX, "ofr_ghost")):
            with pytest.raises(NotFound):
                store.reader().offers.get(tenant_id, offer_id)
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.offers.delete(tenant_id, offer_id)
        for forged in (
            attrs.evolve(theirs, tenant_id=ACME, candidate_id="cand_1", vacancy_id="vac_1"),
            make_offer("ofr_ghost"),
        ):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.offers.update(forged)
        assert store.reader().offers.get(GLOBEX, "ofr_9") == theirs
        assert (
            self._offers(store, OfferFilter()),
            store.reader().offers.of_candidate(ACME, "cand_9"),
        ) == ([], [])

    def test_a_duplicate_offer_id_or_an_unknown_reference_is_refused(self, store: Store) -> None:
        """A repeated id (any tenant) raises Conflict; an unknown tenant, candidate or vacancy
        raises NotFound, on add and on update."""
        _seed_people(store)
        self._add_offers(store, make_offer("ofr_1"))
        with pytest.raises(Conflict):
            self._add_offers(store, make_offer("ofr_1", "cand_9", "vac_9", GLOBEX))
        for bad in (
            make_offer("ofr_2", tenant_id="ghost"),
            make_offer("ofr_3", "cand_ghost"),
            make_offer("ofr_4", vacancy_id="vac_ghost"),
        ):
            with pytest.raises(NotFound):
                self._add_offers(store, bad)
        for bad in (make_offer("ofr_1", "cand_ghost"), make_offer("ofr_1", vacancy_id="vac_x")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.offers.update(bad)
        assert store.reader().offers.get(ACME, "ofr_1") == make_offer("ofr_1")
        assert self._offers(store, OfferFilter()) == ["ofr_1"]

    def test_offers_list_newest_first_filtered_and_paged(self, store: Store) -> None:
        """Offers list by created_at then id, descending; candidate, vacancy and status filters
        are exact and combine; only the tenant's offers appear."""
        _seed_people(store)
        sent, draft = OfferStatus.SENT, OfferStatus.DRAFT
        self._add_offers(
            store,
            make_offer("ofr_b", created_at=at(20), status=sent),
            make_offer("ofr_a", created_at=at(20).astimezone(PLUS_FIVE)),
            make_offer("ofr_c", "cand_2", created_at=at(30), status=sent),
            make_offer("ofr_d", "cand_3", "vac_2", created_at=at(10), status=sent),
            make_offer("ofr_e", "cand_2", created_at=at(20.000001), status=OfferStatus.DECLINED),
            make_offer("ofr_z", "cand_9", "vac_9", GLOBEX, created_at=at(99)),
        )
        expected = ["ofr_c", "ofr_e", "ofr_b", "ofr_a", "ofr_d"]
        assert self._offers(store, OfferFilter()) == expected
        _expect_pages(lambda page: store.reader().offers.list(ACME, OfferFilter(), page), expected)
        for where, found in (
            (OfferFilter(candidate_id="cand_2"), ["ofr_c", "ofr_e"]),
            (OfferFilter(vacancy_id="vac_1"), ["ofr_c", "ofr_e", "ofr_b", "ofr_a"]),
            (OfferFilter(status=sent), ["ofr_c", "ofr_b", "ofr_d"]),
            (OfferFilter(candidate_id="cand_1", status=draft), ["ofr_a"]),
            (OfferFilter(vacancy_id="vac_2", status=sent), ["ofr_d"]),
            (OfferFilter(candidate_id="cand_9"), []),
            (OfferFilter(status=OfferStatus.ACCEPTED), []),
        ):
            assert self._offers(store, where) == found, where

    def test_of_candidate_lists_the_candidates_offers_newest_first(self, store: Store) -> None:
        """``of_candidate`` answers the candidate's offers, newest first, only in its tenant."""
        _seed_people(store)
        self._add_offers(
            store,
            make_offer("ofr_1", created_at=at(1)),
            make_offer("ofr_3", created_at=at(3), status=OfferStatus.WITHDRAWN),
            make_offer("ofr_2", created_at=at(3)),
            make_offer("ofr_4", "cand_2", created_at=at(4)),
        )
        reader = store.reader()
        assert ids(reader.offers.of_candidate(ACME, "cand_1")) == ["ofr_3", "ofr_2", "ofr_1"]
        assert reader.offers.of_candidate(GLOBEX, "cand_1") == []
        assert reader.offers.of_candidate(ACME, "cand_3") == []

    def test_a_candidate_has_at_most_one_accepted_offer(self, store: Store) -> None:
        """A second accepted offer for a candidate raises Conflict on add and on update; any
        number of offers in other statuses, or accepted by other candidates, are fine."""
        _seed_people(store)
        accepted = OfferStatus.ACCEPTED
        self._add_offers(store, make_offer("ofr_1", status=accepted))
        with pytest.raises(Conflict):
            self._add_offers(store, make_offer("ofr_2", status=accepted))
        others = [make_offer(f"ofr_{status}", status=status) for status in OfferStatus]
        self._add_offers(store, *(offer for offer in others if offer.status != accepted))
        self._add_offers(
            store, make_offer("ofr_draft_2"), make_offer("ofr_5", "cand_2", status=accepted)
        )
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.offers.update(make_offer("ofr_draft", status=accepted))
        with store.transaction() as uow:
            uow.offers.update(make_offer("ofr_1", status=accepted, notes="still accepted"))
        assert self._offers(store, OfferFilter(status=accepted)) == ["ofr_5", "ofr_1"]
        with store.transaction() as uow:
            uow.offers.update(make_offer("ofr_1", status=OfferStatus.WITHDRAWN))
            uow.offers.update(make_offer("ofr_draft", status=accepted))
        assert self._offers(store, OfferFilter(status=accepted)) == ["ofr_draft", "ofr_5"]


class InterviewsContract:
    """Interviews: scorecards kept whole, scoped reads, lists earliest first in a half-open
    window of time."""

    def _interviews(self, store: Store, where: InterviewFilter, tenant_id: str = ACME) -> list[str]:
        return ids(store.reader().interviews.list(tenant_id, where, EVERYONE).items)

    def test_every_field_of_an_interview_round_trips(self, store: Store) -> None:
        """An interview with every field set, scorecards included, reads back equal."""
        _seed_people(store)
        interview = full_interview()
        with store.transaction() as uow:
            uow.interviews.add(interview)
        reader = store.reader()
        assert reader.interviews.get(ACME, interview.id) == interview
        assert reader.interviews.list(ACME, InterviewFilter(), EVERYONE).items == [interview]
        assert reader.interviews.of_candidate(ACME, interview.candidate_id) == [interview]

    def test_update_replaces_every_field_of_an_interview(self, store: Store) -> None:
        """An updated interview reads back exactly as written, and so does one cleared again."""
        _seed_people(store)
        plain = make_interview("iv_full", "cand_full", "vac_full")
        with store.transaction() as uow:
            uow.interviews.add(plain)
        for written in (full_interview(), plain):
            with store.transaction() as uow:
                uow.interviews.update(written)
            assert store.reader().interviews.get(ACME, "iv_full") == written

    def test_interview_times_read_back_as_the_same_instant_in_utc(self, store: Store) -> None:
        """Times written in other zones, a scorecard's too, read back as the instant in UTC."""
        _seed_people(store)
        card = Scorecard("Zoë", 50, Recommendation.HIRE, submitted_at=at(9).astimezone(PLUS_FIVE))
        interview = make_interview(
            "iv_1",
            scheduled_at=at(3).astimezone(MINUS_THREE_THIRTY),
            completed_at=at(4).astimezone(PLUS_FIVE),
            scorecards=[card],
        )
        with store.transaction() as uow:
            uow.interviews.add(interview)
        stored = store.reader().interviews.get(ACME, "iv_1")
        times = [stored.scheduled_at, stored.completed_at, stored.scorecards[0].submitted_at]
        assert [(time, time and time.utcoffset()) for time in times] == [
            (at(3), timedelta(0)),
            (at(4), timedelta(0)),
            (at(9), timedelta(0)),
        ]

    def test_another_tenants_interview_is_not_found(self, store: Store) -> None:
        """Get, update and delete under the wrong tenant raise NotFound and change nothing."""
        _seed_people(store)
        theirs = make_interview("iv_9", "cand_9", "vac_9", GLOBEX)
        with store.transaction() as uow:
            uow.interviews.add(theirs)
        for tenant_id, interview_id in ((ACME, "iv_9"), (GLOBEX, "iv_ghost")):
            with pytest.raises(NotFound):
                store.reader().interviews.get(tenant_id, interview_id)
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.interviews.delete(tenant_id, interview_id)
        for forged in (
            attrs.evolve(theirs, tenant_id=ACME, candidate_id="cand_1", vacancy_id="vac_1"),
            make_interview("iv_ghost"),
        ):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.interviews.update(forged)
        assert store.reader().interviews.get(GLOBEX, "iv_9") == theirs
        assert self._interviews(store, InterviewFilter()) == []
        assert store.reader().interviews.of_candidate(ACME, "cand_9") == []

    def test_a_duplicate_interview_id_or_an_unknown_reference_is_refused(
        self, store: Store
    ) -> None:
        """A repeated id (any tenant) raises Conflict; an unknown tenant, candidate or vacancy
        raises NotFound, on add and on update."""
        _seed_people(store)
        with store.transaction() as uow:
            uow.interviews.add(make_interview("iv_1"))
        with pytest.raises(Conflict), store.transaction() as uow:
            uow.interviews.add(make_interview("iv_1", "cand_9", "vac_9", GLOBEX))
        for bad in (
            make_interview("iv_2", tenant_id="ghost"),
            make_interview("iv_3", "cand_ghost"),
            make_interview("iv_4", vacancy_id="vac_ghost"),
        ):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.interviews.add(bad)
        for bad in (make_interview("iv_1", "cand_x"), make_interview("iv_1", vacancy_id="vac_x")):
            with pytest.raises(NotFound), store.transaction() as uow:
                uow.interviews.update(bad)
        assert store.reader().interviews.get(ACME, "iv_1") == make_interview("iv_1")
        assert self._interviews(store, InterviewFilter()) == ["iv_1"]

    def _seed_schedule(self, store: Store) -> None:
        _seed_people(store)
        done = InterviewStatus.COMPLETED
        with store.transaction() as uow:
            for interview in (
                make_interview("iv_b", scheduled_at=at(200), created_at=at(1)),
                make_interview("iv_a", scheduled_at=at(200).astimezone(PLUS_FIVE)),
                make_interview("iv_c", "cand_2", scheduled_at=at(100), status=done),
                make_interview("iv_d", "cand_3", "vac_2", scheduled_at=at(300), status=done),
                make_interview("iv_e", "cand_2", scheduled_at=at(200.000001), created_at=at(9)),
                make_interview("iv_z", "cand_9", "vac_9", GLOBEX, scheduled_at=at(150)),
            ):
                uow.interviews.add(interview)

    def test_interviews_list_earliest_first_by_schedule_then_id(self, store: Store) -> None:
        """Interviews list by scheduled_at (as an instant) then id, ascending, whatever their
        creation times, only the tenant's, with paging."""
        self._seed_schedule(store)
        expected = ["iv_c", "iv_a", "iv_b", "iv_e", "iv_d"]
        assert self._interviews(store, InterviewFilter()) == expected
        _expect_pages(
            lambda page: store.reader().interviews.list(ACME, InterviewFilter(), page), expected
        )

    def test_interview_filters_are_exact_and_the_window_is_half_open(self, store: Store) -> None:
        """Candidate, vacancy and status are exact; ``since`` includes its instant and
        ``until`` excludes it, whatever zone either is written in; all combine."""
        self._seed_schedule(store)
        done = InterviewStatus.COMPLETED
        for where, expected in (
            (InterviewFilter(candidate_id="cand_2"), ["iv_c", "iv_e"]),
            (InterviewFilter(vacancy_id="vac_2"), ["iv_d"]),
            (InterviewFilter(status=done), ["iv_c", "iv_d"]),
            (InterviewFilter(since=at(200)), ["iv_a", "iv_b", "iv_e", "iv_d"]),
            (
                InterviewFilter(since=at(200).astimezone(PLUS_FIVE)),
                ["iv_a", "iv_b", "iv_e", "iv_d"],
            ),
            (InterviewFilter(since=at(200.000001)), ["iv_e", "iv_d"]),
            (InterviewFilter(until=at(200)), ["iv_c"]),
            (
                InterviewFilter(until=at(200.000001).astimezone(MINUS_THREE_THIRTY)),
                ["iv_c", "iv_a", "iv_b"],
            ),
            (InterviewFilter(since=at(100), until=at(100)), []),
            (
                InterviewFilter(since=at(100), until=at(300), candidate_id="cand_2"),
                ["iv_c", "iv_e"],
            ),
            (InterviewFilter(since=at(150), status=done), ["iv_d"]),
            (InterviewFilter(candidate_id="cand_9"), []),
            (InterviewFilter(status=InterviewStatus.NO_SHOW), []),
        ):
            assert self._interviews(store, where) == expected, where
        windowed = store.reader().interviews.list(
            ACME, InterviewFilter(since=at(150)), PageRequest(limit=2, offset=1)
        )
        assert (ids(windowed.items), windowed.total) == (["iv_b", "iv_e"], 4)

    def test_of_candidate_lists_the_candidates_interviews_earliest_first(
        self, store: Store
    ) -> None:
        """``of_candidate`` answers the candidate's interviews earliest first, in its tenant."""
        self._seed_schedule(store)
        reader = store.reader()
        assert ids(reader.interviews.of_candidate(ACME, "cand_1")) == ["iv_a", "iv_b"]
        assert ids(reader.interviews.of_candidate(ACME, "cand_2")) == ["iv_c", "iv_e"]
        assert reader.interviews.of_candidate(GLOBEX, "cand_1") == []
        assert reader.interviews.of_candidate(ACME, "cand_full") == []
