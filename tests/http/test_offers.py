"""Offers: terms for a candidate of the vacancy, the draft → sent → decided machine, and what
accepting does to the candidate and the vacancy (CONTRACT §6)."""

from __future__ import annotations

from typing import Any

import pytest
from http_pipeline import (
    audit_events,
    candidate,
    counters,
    new_candidate,
    new_vacancy,
    outbox,
)

from talentos_core.clock import isoformat

STATUSES = ("draft", "sent", "accepted", "declined", "withdrawn")
LEGAL = {
    ("draft", "sent"),
    ("draft", "withdrawn"),
    ("sent", "accepted"),
    ("sent", "declined"),
    ("sent", "withdrawn"),
}
ILLEGAL = [(a, b) for a in STATUSES for b in STATUSES if a != b and (a, b) not in LEGAL]
#: How to bring a fresh draft to each status.
ROUTE_TO = {
    "draft": [],
    "sent": ["sent"],
    "accepted": ["sent", "accepted"],
    "declined": ["sent", "declined"],
    "withdrawn": ["withdrawn"],
}


def _create(api: Any, account: Any, candidate_id: str, vacancy_id: str, **fields: Any) -> Any:
    body = {
        "candidateId": candidate_id,
        "vacancyId": vacancy_id,
        "baseSalary": 90_000,
        "currency": "USD",
        **fields,
    }
    return api.client.simulate_post("/api/offers", json=body, headers=account.headers)


def _offer(api: Any, account: Any, status: str = "draft", **fields: Any) -> dict[str, Any]:
    """A new offer to a new candidate, brought to ``status``."""
    vacancy_id = new_vacancy(api, account)
    candidate_id = new_candidate(api, vacancy_id)
    created = _create(api, account, candidate_id, vacancy_id, **fields)
    assert created.status_code == 201, created.text
    offer = created.json["offer"]
    for step in ROUTE_TO[status]:
        offer = _patch_ok(api, account, offer["id"], status=step)
    return dict(offer)


def _patch(api: Any, account: Any, offer_id: str, **body: Any) -> Any:
    return api.client.simulate_patch(f"/api/offers/{offer_id}", json=body, headers=account.headers)


def _patch_ok(api: Any, account: Any, offer_id: str, **body: Any) -> dict[str, Any]:
    result = _patch(api, account, offer_id, **body)
    assert result.status_code == 200, result.text
    return dict(result.json["offer"])


def _get(api: Any, account: Any, offer_id: str) -> dict[str, Any]:
    result = api.client.simulate_get(f"/api/offers/{offer_id}", headers=account.headers)
    assert result.status_code == 200, result.text
    return dict(result.json["offer"])


class TestOfferCreation:
    """An offer starts as a draft, or sent at once."""

    def test_a_draft_has_its_terms_and_no_sent_time(self, api: Any, acme: Any) -> None:
        """POST answers 201 with the terms, status draft, and `sentAt`/`decidedAt` null."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        result = _create(
            api,
            acme,
            candidate_id,
            vacancy_id,
            bonus=5_000,
            signOnBonus=0,
            startDate="2026-03-02",
            notes="Band B",
        )
        assert result.status_code == 201, result.text
        offer = result.json["offer"]
        assert offer["id"].startswith("ofr_")
        assert {
            name: offer[name]
            for name in (
                "candidateId",
                "vacancyId",
                "baseSalary",
                "currency",
                "bonus",
                "signOnBonus",
                "startDate",
                "status",
                "sentAt",
                "decidedAt",
            )
        } == {
            "candidateId": candidate_id,
            "vacancyId": vacancy_id,
            "baseSalary": 90_000,
            "currency": "USD",
            "bonus": 5_000,
            "signOnBonus": 0,
            "startDate": "2026-03-02",
            "status": "draft",
            "sentAt": None,
            "decidedAt": None,
        }
        assert _get(api, acme, offer["id"]) == offer

    def test_an_offer_created_sent_is_stamped_sent(self, api: Any, acme: Any, clock: Any) -> None:
        """`status: sent` on create stamps `sentAt` with the time of creation."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        result = _create(api, acme, candidate_id, vacancy_id, status="sent")
        assert result.status_code == 201, result.text
        sent = result.json["offer"]
        assert (sent["status"], sent["sentAt"]) == ("sent", isoformat(clock.now()))
        assert sent["decidedAt"] is None

    @pytest.mark.parametrize("status", ["accepted", "declined", "withdrawn"])
    def test_an_offer_cannot_be_created_decided(self, api: Any, acme: Any, status: str) -> None:
        """Creating an offer accepted, declined or withdrawn is 422 on `status`."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        result = _create(api, acme, candidate_id, vacancy_id, status=status)
        assert "status" in api.assert_error(result, 422, "validation_error")["fields"]
        assert candidate(api, acme, candidate_id)["stage"] == "applied"

    def test_a_candidate_of_another_vacancy_is_422(self, api: Any, acme: Any) -> None:
        """The candidate must be on the offer's vacancy: otherwise 422 naming `candidateId`."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        candidate_id = new_candidate(api, first)
        result = _create(api, acme, candidate_id, second)
        assert "candidateId" in api.assert_error(result, 422, "validation_error")["fields"]
        listed = api.client.simulate_get("/api/offers", headers=acme.headers)
        assert listed.json["total"] == 0

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("currency", "usd"),
            ("currency", "US"),
            ("currency", "USDT"),
            ("currency", "€"),
            ("baseSalary", -1),
            ("baseSalary", "90000"),
            ("bonus", -0.01),
            ("signOnBonus", -5),
            ("startDate", "2026-02-30"),
            ("startDate", "2026-2-3"),
            ("startDate", "20260302"),
            ("startDate", "2026-03-02T00:00:00Z"),
        ],
        ids=repr,
    )
    def test_bad_terms_are_422_by_name(self, api: Any, acme: Any, field: str, value: Any) -> None:
        """A lower-case or non-ISO currency, a negative amount or an impossible date is 422
        naming the field, and no offer is made."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        result = _create(api, acme, candidate_id, vacancy_id, **{field: value})
        assert field in api.assert_error(result, 422, "validation_error")["fields"]
        assert api.client.simulate_get("/api/offers", headers=acme.headers).json["total"] == 0

    def test_zero_amounts_and_a_leap_day_are_fine(self, api: Any, acme: Any) -> None:
        """Amounts may be 0 and 2028-02-29 is a real date."""
        offer = _offer(api, acme, baseSalary=0, bonus=0, startDate="2028-02-29")
        assert (offer["baseSalary"], offer["startDate"]) == (0, "2028-02-29")


class TestOfferTransitions:
    """`draft → sent → accepted | declined`, `draft | sent → withdrawn`; nothing else."""

    @pytest.mark.parametrize(("start", "to"), sorted(LEGAL))
    def test_a_legal_move_is_taken_and_stamped(
        self, api: Any, acme: Any, clock: Any, start: str, to: str
    ) -> None:
        """A legal move answers the new status; sending stamps `sentAt`, deciding
        `decidedAt`."""
        offer = _offer(api, acme, status=start)
        clock.advance(hours=1)
        moved = _patch_ok(api, acme, offer["id"], status=to)
        assert moved["status"] == to
        stamp = "sentAt" if to == "sent" else "decidedAt"
        assert moved[stamp] == isoformat(clock.now())

    @pytest.mark.parametrize(("start", "to"), ILLEGAL)
    def test_every_illegal_move_is_409_and_changes_nothing(
        self, api: Any, acme: Any, start: str, to: str
    ) -> None:
        """Any move the machine does not draw is 409 invalid_transition; the offer and its
        candidate stay as they were."""
        offer = _offer(api, acme, status=start)
        before = (_get(api, acme, offer["id"]), candidate(api, acme, offer["candidateId"]))
        result = _patch(api, acme, offer["id"], status=to)
        api.assert_error(result, 409, "invalid_transition")
        after = (_get(api, acme, offer["id"]), candidate(api, acme, offer["candidateId"]))
        assert after == before

    @pytest.mark.parametrize("status", STATUSES)
    def test_the_same_status_changes_nothing(self, api: Any, acme: Any, status: str) -> None:
        """Patching the status an offer has answers it unchanged and records nothing."""
        offer = _offer(api, acme, status=status)
        before = (_get(api, acme, offer["id"]), audit_events(api, acme))
        assert _patch_ok(api, acme, offer["id"], status=status) == before[0]
        assert audit_events(api, acme) == before[1]


class TestOfferTerms:
    """Terms may change only while the offer is a draft."""

    def test_a_drafts_terms_change(self, api: Any, acme: Any) -> None:
        """A draft takes new salary, currency, bonuses and start date."""
        offer = _offer(api, acme)
        terms = {
            "baseSalary": 95_000,
            "currency": "EUR",
            "bonus": 1,
            "signOnBonus": 2,
            "startDate": "2026-04-01",
        }
        revised = _patch_ok(api, acme, offer["id"], **terms)
        assert {name: revised[name] for name in terms} == terms

    def test_terms_and_sending_may_come_together(self, api: Any, acme: Any) -> None:
        """A draft revised and sent in one patch is sent with the new terms."""
        offer = _offer(api, acme)
        sent = _patch_ok(api, acme, offer["id"], baseSalary=99_000, status="sent")
        assert (sent["status"], sent["baseSalary"]) == ("sent", 99_000)

    @pytest.mark.parametrize("status", ["sent", "accepted", "declined", "withdrawn"])
    @pytest.mark.parametrize(
        ("term", "value"),
        [
            ("baseSalary", 1),
            ("currency", "EUR"),
            ("bonus", 7),
            ("signOnBonus", 7),
            ("startDate", "2027-01-01"),
        ],
    )
    def test_terms_are_frozen_once_sent(
        self, api: Any, acme: Any, status: str, term: str, value: Any
    ) -> None:
        """Changing a term of an offer that is no longer a draft is 409 conflict."""
        offer = _offer(api, acme, status=status)
        result = _patch(api, acme, offer["id"], **{term: value})
        api.assert_error(result, 409, "conflict")
        assert _get(api, acme, offer["id"]) == offer

    def test_a_frozen_term_sent_back_unchanged_is_fine(self, api: Any, acme: Any) -> None:
        """Sending a sent offer's own terms back is no change, so no conflict."""
        offer = _offer(api, acme, status="sent")
        same = _patch_ok(api, acme, offer["id"], baseSalary=90_000, currency="USD")
        assert same == offer

    def test_notes_and_decision_change_after_sending(self, api: Any, acme: Any) -> None:
        """Notes and the decision text are not terms: they change in any status."""
        offer = _offer(api, acme, status="sent")
        changed = _patch_ok(api, acme, offer["id"], notes="Called", decision="Wants to think")
        assert (changed["notes"], changed["decision"]) == ("Called", "Wants to think")

    def test_the_freeze_does_not_let_a_status_move_through(self, api: Any, acme: Any) -> None:
        """A patch with a frozen term and a decision is refused whole: the offer stays sent."""
        offer = _offer(api, acme, status="sent")
        api.assert_error(
            _patch(api, acme, offer["id"], baseSalary=1, status="accepted"), 409, "conflict"
        )
        assert _get(api, acme, offer["id"])["status"] == "sent"
        assert candidate(api, acme, offer["candidateId"])["stage"] == "applied"

    @pytest.mark.parametrize(
        ("field", "value"),
        [("currency", "usd"), ("baseSalary", -1), ("startDate", "2026-02-30"), ("status", "x")],
    )
    def test_bad_values_in_a_patch_are_422(
        self, api: Any, acme: Any, field: str, value: Any
    ) -> None:
        """A patch is validated like a new offer."""
        offer = _offer(api, acme)
        result = _patch(api, acme, offer["id"], **{field: value})
        assert field in api.assert_error(result, 422, "validation_error")["fields"]


class TestOfferAcceptance:
    """Accepting hires the candidate, once."""

    def test_accepting_hires_the_candidate_and_counts_on_the_vacancy(
        self, api: Any, acme: Any, clock: Any
    ) -> None:
        """After acceptance the candidate is hired with `hiredAt` set and the vacancy's
        `hired` is one more."""
        offer = _offer(api, acme, status="sent")
        assert counters(api, acme, offer["vacancyId"]) == (1, 0)
        clock.advance(days=1)
        _patch_ok(api, acme, offer["id"], status="accepted")
        hired = candidate(api, acme, offer["candidateId"])
        assert (hired["stage"], hired["hiredAt"]) == ("hired", isoformat(clock.now()))
        assert counters(api, acme, offer["vacancyId"]) == (1, 1)

    def test_acceptance_records_and_fires_the_offer_and_the_stage_change(
        self, api: Any, acme: Any
    ) -> None:
        """Accepting appends `offer.accepted` and `candidate.stage_changed` to the audit
        trail and queues the same two webhook events."""
        offer = _offer(api, acme, status="sent")
        before = len(audit_events(api, acme))
        queued = {event.id for event in outbox(api, acme)}
        _patch_ok(api, acme, offer["id"], status="accepted")
        events = audit_events(api, acme)
        assert sorted(e["type"] for e in events[: len(events) - before]) == [
            "candidate.stage_changed",
            "offer.accepted",
        ]
        fired = [event for event in outbox(api, acme) if event.id not in queued]
        assert sorted(event.type for event in fired) == [
            "candidate.stage_changed",
            "offer.accepted",
        ]

    def test_declining_leaves_the_candidate_where_they_were(self, api: Any, acme: Any) -> None:
        """A declined offer does not move the candidate or the counters."""
        offer = _offer(api, acme, status="sent")
        _patch_ok(api, acme, offer["id"], status="declined")
        assert candidate(api, acme, offer["candidateId"])["stage"] == "applied"
        assert counters(api, acme, offer["vacancyId"]) == (1, 0)

    def test_a_second_acceptance_for_the_candidate_is_409(self, api: Any, acme: Any) -> None:
        """A candidate accepts at most one offer: the second acceptance is 409 conflict and
        leaves that offer sent and the vacancy's `hired` at 1."""
        offer = _offer(api, acme, status="sent")
        second = _create(
            api, acme, offer["candidateId"], offer["vacancyId"], status="sent", baseSalary=1
        ).json["offer"]
        _patch_ok(api, acme, offer["id"], status="accepted")
        api.assert_error(_patch(api, acme, second["id"], status="accepted"), 409, "conflict")
        assert _get(api, acme, second["id"])["status"] == "sent"
        assert counters(api, acme, offer["vacancyId"]) == (1, 1)

    def test_accepting_for_a_candidate_already_hired_counts_them_once(
        self, api: Any, acme: Any
    ) -> None:
        """A candidate moved to hired by hand and then accepting is still one hire."""
        offer = _offer(api, acme, status="sent")
        moved = api.client.simulate_patch(
            f"/api/candidates/{offer['candidateId']}", json={"stage": "hired"}, headers=acme.headers
        )
        assert moved.status_code == 200
        _patch_ok(api, acme, offer["id"], status="accepted")
        assert counters(api, acme, offer["vacancyId"]) == (1, 1)

    def test_accepting_for_a_rejected_candidate_is_409_and_changes_nothing(
        self, api: Any, acme: Any
    ) -> None:
        """A rejected candidate cannot be hired straight away, even by an acceptance: 409
        invalid_transition, and the offer stays sent."""
        offer = _offer(api, acme, status="sent")
        api.client.simulate_patch(
            f"/api/candidates/{offer['candidateId']}",
            json={"stage": "rejected"},
            headers=acme.headers,
        )
        result = _patch(api, acme, offer["id"], status="accepted")
        api.assert_error(result, 409, "invalid_transition")
        assert _get(api, acme, offer["id"])["status"] == "sent"
        assert counters(api, acme, offer["vacancyId"]) == (1, 0)


class TestOfferListAndDelete:
    """Lists filter by candidate, vacancy and status; a deleted offer is gone."""

    def test_the_list_filters_by_candidate_vacancy_and_status(self, api: Any, acme: Any) -> None:
        """Each filter is exact; together they must all hold."""
        draft, sent = _offer(api, acme), _offer(api, acme, status="sent")

        def listed(**params: str) -> set[str]:
            result = api.client.simulate_get("/api/offers", params=params, headers=acme.headers)
            assert result.status_code == 200, result.text
            assert result.json["total"] == len(result.json["offers"])
            return {offer["id"] for offer in result.json["offers"]}

        assert listed() == {draft["id"], sent["id"]}
        assert listed(candidateId=draft["candidateId"]) == {draft["id"]}
        assert listed(vacancyId=sent["vacancyId"]) == {sent["id"]}
        assert listed(status="sent") == {sent["id"]}
        assert listed(vacancyId=sent["vacancyId"], status="draft") == set()

    def test_a_bad_status_filter_is_400(self, api: Any, acme: Any) -> None:
        """`status=pending` is not an offer status: 400 bad_request."""
        result = api.client.simulate_get(
            "/api/offers", params={"status": "pending"}, headers=acme.headers
        )
        api.assert_error(result, 400, "bad_request")

    def test_a_deleted_offer_is_404(self, api: Any, acme: Any) -> None:
        """DELETE answers 200; the offer is then 404 and its candidate remains."""
        offer = _offer(api, acme)
        path = f"/api/offers/{offer['id']}"
        assert api.client.simulate_delete(path, headers=acme.headers).json == {"ok": True}
        api.assert_error(api.client.simulate_get(path, headers=acme.headers), 404, "not_found")
        assert candidate(api, acme, offer["candidateId"])["id"] == offer["candidateId"]
