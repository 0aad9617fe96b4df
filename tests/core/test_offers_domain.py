"""The offer domain: the status machine, frozen terms, and the rules of a new offer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.offers import (
    TERMS,
    NewOffer,
    Offer,
    OfferFilter,
    OfferPatch,
    OfferStatus,
)
from talentos_core.domain.rules import changes, check
from talentos_core.errors import Conflict, InvalidTransition, ValidationError

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)

D, S, A, X, W = (
    OfferStatus.DRAFT,
    OfferStatus.SENT,
    OfferStatus.ACCEPTED,
    OfferStatus.DECLINED,
    OfferStatus.WITHDRAWN,
)
#: CONTRACT §6, spelled out: draft → sent → accepted | declined, draft | sent → withdrawn.
ALLOWED = {(D, S), (D, W), (S, A), (S, X), (S, W)}
FINAL = {A, X, W}


def offer(status: OfferStatus = D, **extra: Any) -> Offer:
    return Offer(
        id="ofr_1",
        tenant_id="acme",
        candidate_id="cand_1",
        vacancy_id="vac_1",
        currency="EUR",
        created_at=T0,
        updated_at=T0,
        base_salary=50_000.0,
        status=status,
        **extra,
    )


class TestOfferTransitions:
    @pytest.mark.parametrize(
        ("start", "goal"), [(a, b) for a in OfferStatus for b in OfferStatus if a != b]
    )
    def test_every_pair(self, start: OfferStatus, goal: OfferStatus) -> None:
        """Allowed moves change the status and stamp the times; every other one raises
        InvalidTransition and changes nothing."""
        before = offer(start)
        if (start, goal) not in ALLOWED:
            with pytest.raises(InvalidTransition, match=f"from {start} to {goal}"):
                before.transition(goal, T1)
            return
        after = before.transition(goal, T1)
        assert (after.status, after.updated_at) == (goal, T1)
        assert after.sent_at == (T1 if goal == S else None)
        assert after.decided_at == (T1 if goal in FINAL else None)

    @pytest.mark.parametrize("status", list(OfferStatus))
    def test_the_same_status_is_no_change(self, status: OfferStatus) -> None:
        """Moving to the current status returns the very same object."""
        before = offer(status)
        assert before.transition(status, T1) is before

    def test_accepting_keeps_the_sent_time(self) -> None:
        """sentAt survives the decision; decidedAt is the decision's time."""
        accepted = offer().transition(S, T0).transition(A, T1)
        assert (accepted.sent_at, accepted.decided_at) == (T0, T1)

    @given(st.lists(st.sampled_from(OfferStatus), max_size=20))
    def test_a_decided_offer_never_moves(self, moves: list[OfferStatus]) -> None:
        """In any sequence of transitions, once accepted, declined or withdrawn, the offer
        stays so, and decidedAt is set exactly when decided."""
        current = offer()
        for step, goal in enumerate(moves, start=1):
            decided = current.status in FINAL
            try:
                moved = current.transition(goal, T0 + timedelta(minutes=step))
            except InvalidTransition:
                assert decided or (current.status, goal) not in ALLOWED
                continue
            if decided:
                assert moved is current
            current = moved
            assert (current.decided_at is not None) == (current.status in FINAL)
            assert (current.sent_at is not None) or current.status in (D, W)


class TestOfferTerms:
    def test_a_draft_may_change_its_terms(self) -> None:
        """While draft, every term changes."""
        terms = {
            "base_salary": 60_000.0,
            "currency": "USD",
            "bonus": 5.0,
            "sign_on_bonus": 1.0,
            "start_date": "2024-03-01",
        }
        assert set(terms) == TERMS
        revised = offer().revise(terms, T1)
        assert (revised.base_salary, revised.currency, revised.updated_at) == (60_000.0, "USD", T1)

    @pytest.mark.parametrize("status", [S, A, X, W])
    @pytest.mark.parametrize("term", sorted(TERMS))
    def test_terms_are_frozen_once_sent(self, status: OfferStatus, term: str) -> None:
        """Changing a term of an offer past draft is a Conflict."""
        value = {"currency": "USD", "start_date": "2024-03-01"}.get(term, 1.0)
        with pytest.raises(Conflict, match="frozen once it is sent"):
            offer(status).revise({term: value}, T1)

    def test_remarks_change_in_any_status(self) -> None:
        """Decision and notes change after the offer is decided."""
        revised = offer(A).revise({"decision": "Signed.", "notes": "Starts soon."}, T1)
        assert (revised.decision, revised.notes) == ("Signed.", "Starts soon.")

    def test_sending_back_the_same_terms_is_no_change(self) -> None:
        """Equal values are not changes, so a sent offer returns itself."""
        sent = offer(S)
        assert sent.revise({"base_salary": 50_000, "currency": "EUR"}, T1) is sent

    def test_status_is_not_revisable(self) -> None:
        """The status changes only through transition()."""
        with pytest.raises(ValueError, match="status"):
            offer().revise({"status": S}, T1)


class TestNewOffer:
    def test_a_good_offer(self) -> None:
        """An offer with every field in bounds passes; sent is allowed at creation."""
        check(
            NewOffer(
                candidate_id="cand_1",
                vacancy_id="vac_1",
                base_salary=0,
                currency="JPY",
                bonus=0,
                start_date="2024-02-29",
                status=S,
            )
        )

    @pytest.mark.parametrize("currency", ["usd", "US", "USDX", "U$D", ""])
    def test_currency_is_three_capitals(self, currency: str) -> None:
        """Anything but three capital letters is refused with an ISO 4217 hint."""
        with pytest.raises(ValidationError) as caught:
            check(NewOffer("cand_1", "vac_1", 1.0, currency))
        assert caught.value.fields == {"currency": "must be an ISO 4217 code like USD"}

    @pytest.mark.parametrize(
        ("start_date", "why"),
        [
            ("2023-02-29", "must be a real calendar date"),
            ("2024-13-01", "must be a real calendar date"),
            ("2024-2-3", "must be a date like 2024-05-31"),
            ("20240203", "must be a date like 2024-05-31"),
            ("2024-W05-1", "must be a date like 2024-05-31"),
            ("2024-02-03T00:00", "must be a date like 2024-05-31"),
        ],
    )
    def test_start_date_is_a_real_date(self, start_date: str, why: str) -> None:
        """The start date is YYYY-MM-DD and exists."""
        with pytest.raises(ValidationError) as caught:
            check(NewOffer("cand_1", "vac_1", 1.0, "USD", start_date=start_date))
        assert caught.value.fields == {"start_date": why}

    def test_amounts_are_non_negative(self) -> None:
        """Negative or non-finite amounts are refused by name."""
        with pytest.raises(ValidationError) as caught:
            check(NewOffer("cand_1", "vac_1", -1.0, "USD", bonus=float("nan"), sign_on_bonus=-0.5))
        assert set(caught.value.fields) == {"base_salary", "bonus", "sign_on_bonus"}

    @pytest.mark.parametrize("status", [A, X, W])
    def test_only_draft_or_sent_at_creation(self, status: OfferStatus) -> None:
        """A decided status at creation is refused on status."""
        with pytest.raises(ValidationError) as caught:
            check(NewOffer("cand_1", "vac_1", 1.0, "USD", status=status))
        assert caught.value.fields == {"status": "must be one of draft, sent"}


class TestOfferPatchAndFilter:
    def test_patch_fields_are_unset_by_default(self) -> None:
        """An empty patch changes nothing; set fields obey the same rules as a new offer."""
        assert changes(OfferPatch()) == {}
        with pytest.raises(ValidationError) as caught:
            check(OfferPatch(currency="eur", start_date="2024-02-30", bonus=None))
        assert set(caught.value.fields) == {"currency", "start_date"}

    def test_filter_takes_a_status_value(self) -> None:
        """The status filter converts a value and refuses an unknown one."""
        assert OfferFilter(status="sent").status is S  # type: ignore[arg-type]  # the value, on purpose
        with pytest.raises(ValidationError):
            check(OfferFilter(status="maybe"))  # type: ignore[arg-type]  # a bad value, on purpose
