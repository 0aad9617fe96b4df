"""Interviews: scheduling, the list's filters, scorecards, the status machine, and what an
interviewer may do (CONTRACT §5, §6)."""

from __future__ import annotations

from typing import Any

import pytest
from http_pipeline import new_candidate, new_vacancy

from talentos_core.clock import isoformat
from talentos_core.roles import Role

INTERVIEWS = "/api/interviews"


def _schedule(api: Any, account: Any, pair: tuple[str, str] | None = None, **fields: Any) -> Any:
    if pair is None:
        vacancy_id = new_vacancy(api, account)
        pair = (new_candidate(api, vacancy_id), vacancy_id)
    body = {
        "candidateId": pair[0],
        "vacancyId": pair[1],
        "scheduledAt": "2026-03-02T10:00:00Z",
        **fields,
    }
    return api.client.simulate_post(INTERVIEWS, json=body, headers=account.headers)


def _interview(api: Any, account: Any, **fields: Any) -> dict[str, Any]:
    result = _schedule(api, account, **fields)
    assert result.status_code == 201, result.text
    return dict(result.json["interview"])


def _patch(api: Any, headers: dict[str, str], interview_id: str, **body: Any) -> Any:
    return api.client.simulate_patch(f"{INTERVIEWS}/{interview_id}", json=body, headers=headers)


def _patch_ok(api: Any, headers: dict[str, str], interview_id: str, **body: Any) -> dict[str, Any]:
    result = _patch(api, headers, interview_id, **body)
    assert result.status_code == 200, result.text
    return dict(result.json["interview"])


def _get(api: Any, account: Any, interview_id: str) -> dict[str, Any]:
    result = api.client.simulate_get(f"{INTERVIEWS}/{interview_id}", headers=account.headers)
    assert result.status_code == 200, result.text
    return dict(result.json["interview"])


def _card(interviewer: str, score: int = 70, recommendation: str = "hire") -> dict[str, Any]:
    return {"interviewer": interviewer, "score": score, "recommendation": recommendation}


class TestScheduling:
    """A new interview of a candidate of the vacancy."""

    def test_a_scheduled_interview_has_what_was_sent(self, api: Any, acme: Any) -> None:
        """POST answers 201 with the interview, status scheduled, no scorecards, no
        `completedAt`; GET shows the same."""
        vacancy_id = new_vacancy(api, acme)
        candidate_id = new_candidate(api, vacancy_id)
        result = _schedule(
            api,
            acme,
            (candidate_id, vacancy_id),
            kind="panel",
            durationMin=90,
            locationOrUrl="https://meet.example/abc",
            interviewers=["Jane", "Kofi"],
            notes="Bring the case study.",
        )
        assert result.status_code == 201, result.text
        interview = result.json["interview"]
        assert interview["id"].startswith("iv_")
        assert {
            name: interview[name]
            for name in (
                "candidateId",
                "vacancyId",
                "scheduledAt",
                "durationMin",
                "kind",
                "status",
                "locationOrUrl",
                "interviewers",
                "scorecards",
                "completedAt",
            )
        } == {
            "candidateId": candidate_id,
            "vacancyId": vacancy_id,
            "scheduledAt": "2026-03-02T10:00:00.000000Z",
            "durationMin": 90,
            "kind": "panel",
            "status": "scheduled",
            "locationOrUrl": "https://meet.example/abc",
            "interviewers": ["Jane", "Kofi"],
            "scorecards": [],
            "completedAt": None,
        }
        assert _get(api, acme, interview["id"]) == interview

    def test_defaults_are_a_60_minute_video_call(self, api: Any, acme: Any) -> None:
        """Without `kind` and `durationMin` an interview is a 60-minute video call."""
        interview = _interview(api, acme)
        assert (interview["kind"], interview["durationMin"]) == ("video", 60)

    def test_a_time_in_another_zone_is_answered_in_utc(self, api: Any, acme: Any) -> None:
        """`scheduledAt` with an offset is the same instant, written in UTC with Z."""
        interview = _interview(api, acme, scheduledAt="2026-03-02T12:30:00+02:00")
        assert interview["scheduledAt"] == "2026-03-02T10:30:00.000000Z"

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("kind", "zoom"),
            ("kind", "Video"),
            ("durationMin", 4),
            ("durationMin", 481),
            ("durationMin", "60"),
            ("scheduledAt", "2026-03-02T10:00:00"),
            ("scheduledAt", "2026-03-02"),
            ("scheduledAt", "next tuesday"),
            ("scheduledAt", 1767261600),
            ("interviewers", ["x" * 201]),
            ("interviewers", [f"i{n}" for n in range(21)]),
            ("status", "completed"),
        ],
        ids=repr,
    )
    def test_a_bad_field_is_422_by_name(self, api: Any, acme: Any, field: str, value: Any) -> None:
        """An unknown kind, a duration outside 5 to 480, a time without a zone and the like are
        422 naming the field; nothing is scheduled."""
        result = _schedule(api, acme, **{field: value})
        assert field in api.assert_error(result, 422, "validation_error")["fields"]
        assert api.client.simulate_get(INTERVIEWS, headers=acme.headers).json["total"] == 0

    @pytest.mark.parametrize("minutes", [5, 480])
    def test_the_duration_bounds_are_accepted(self, api: Any, acme: Any, minutes: int) -> None:
        """5 and 480 minutes are allowed."""
        assert _interview(api, acme, durationMin=minutes)["durationMin"] == minutes

    def test_a_candidate_of_another_vacancy_is_422(self, api: Any, acme: Any) -> None:
        """The candidate must be on the interview's vacancy: otherwise 422 naming
        `candidateId`."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        result = _schedule(api, acme, (new_candidate(api, first), second))
        assert "candidateId" in api.assert_error(result, 422, "validation_error")["fields"]


class TestInterviewList:
    """Filters are exact; `from` is inclusive and `to` exclusive; earliest first."""

    @pytest.fixture
    def calendar(self, api: Any, acme: Any) -> dict[str, Any]:
        """Four interviews over two candidates and two vacancies, one cancelled."""
        first, second = new_vacancy(api, acme), new_vacancy(api, acme)
        ama, kofi = new_candidate(api, first), new_candidate(api, second)
        at = {
            "nine": (ama, first, "2026-03-02T09:00:00Z"),
            "ten": (ama, first, "2026-03-02T10:00:00Z"),
            "eleven": (kofi, second, "2026-03-02T11:00:00Z"),
            "noon": (kofi, second, "2026-03-02T12:00:00Z"),
        }
        ids = {
            name: _interview(api, acme, pair=(c, v), scheduledAt=when)["id"]
            for name, (c, v, when) in at.items()
        }
        _patch_ok(api, acme.headers, ids["eleven"], status="cancelled")
        return {**ids, "ama": ama, "kofi": kofi, "first": first, "second": second}

    def _listed(self, api: Any, acme: Any, calendar: dict[str, Any], **params: str) -> list[str]:
        result = api.client.simulate_get(INTERVIEWS, params=params, headers=acme.headers)
        assert result.status_code == 200, result.text
        assert result.json["total"] == len(result.json["interviews"])
        names = {value: name for name, value in calendar.items()}
        return [names[item["id"]] for item in result.json["interviews"]]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({}, ["nine", "ten", "eleven", "noon"]),
            ({"candidateId": "ama"}, ["nine", "ten"]),
            ({"vacancyId": "second"}, ["eleven", "noon"]),
            ({"status": "cancelled"}, ["eleven"]),
            ({"status": "scheduled", "candidateId": "kofi"}, ["noon"]),
            ({"from": "2026-03-02T10:00:00Z"}, ["ten", "eleven", "noon"]),
            ({"to": "2026-03-02T11:00:00Z"}, ["nine", "ten"]),
            ({"from": "2026-03-02T10:00:00Z", "to": "2026-03-02T12:00:00Z"}, ["ten", "eleven"]),
            ({"from": "2026-03-02T12:00:00+02:00"}, ["ten", "eleven", "noon"]),
            ({"from": "2026-03-02T10:00:00.000001Z"}, ["eleven", "noon"]),
            ({"to": "2026-03-02T09:00:00Z"}, []),
            ({"from": "2026-03-02T12:00:00Z", "to": "2026-03-02T12:00:00Z"}, []),
        ],
        ids=repr,
    )
    def test_a_filter_shows_exactly_the_matching_interviews_earliest_first(
        self,
        api: Any,
        acme: Any,
        calendar: dict[str, Any],
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        """The list holds the interviews every filter matches, by time; `from` includes its
        instant (in any zone), `to` excludes its own."""
        query = {name: calendar.get(value, value) for name, value in params.items()}
        assert self._listed(api, acme, calendar, **query) == expected

    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("from", "yesterday"),
            ("from", "2026-03-02T10:00:00"),
            ("to", "2026-13-01T00:00:00Z"),
            ("status", "done"),
        ],
    )
    def test_a_malformed_filter_is_400_naming_it(
        self, api: Any, acme: Any, name: str, value: str
    ) -> None:
        """A bad or zoneless `from`/`to`, or an unknown status, is 400 bad_request naming the
        parameter."""
        result = api.client.simulate_get(INTERVIEWS, params={name: value}, headers=acme.headers)
        error = api.assert_error(result, 400, "bad_request")
        assert name in error["message"]


def _interviewer(api: Any, acme: Any) -> tuple[dict[str, str], str]:
    """An interviewer's cookie headers and their user name."""
    headers = api.credential(acme, Role.INTERVIEWER, "cookie")
    me = api.client.simulate_get("/api/auth/me", headers=headers).json["user"]
    return headers, str(me["name"])


class TestScorecards:
    """One scorecard per interviewer name (any case); a new one replaces the old."""

    def test_a_scorecard_is_filed_with_its_time(self, api: Any, acme: Any, clock: Any) -> None:
        """`addScorecard` adds the card with `submittedAt`."""
        interview = _interview(api, acme)
        filed = _patch_ok(
            api, acme.headers, interview["id"], addScorecard={**_card("Jane"), "notes": "Sharp"}
        )
        assert filed["scorecards"] == [
            {
                "interviewer": "Jane",
                "score": 70,
                "recommendation": "hire",
                "notes": "Sharp",
                "submittedAt": isoformat(clock.now()),
            }
        ]

    def test_a_card_under_the_same_name_in_any_case_replaces_the_old(
        self, api: Any, acme: Any
    ) -> None:
        """Jane's second card (as `  JANE `) replaces her first in place; Kofi's stays."""
        interview = _interview(api, acme)
        for card in (_card("Jane", 40, "no_hire"), _card("Kofi", 80), _card("  JANE ", 90)):
            filed = _patch_ok(api, acme.headers, interview["id"], addScorecard=card)
        assert [(c["interviewer"], c["score"]) for c in filed["scorecards"]] == [
            ("  JANE ", 90),
            ("Kofi", 80),
        ]
        assert _get(api, acme, interview["id"])["scorecards"] == filed["scorecards"]

    @pytest.mark.parametrize(
        ("card", "field"),
        [
            (_card("Jane", 101), "addScorecard.score"),
            (_card("Jane", -1), "addScorecard.score"),
            (_card("Jane", recommendation="maybe"), "addScorecard.recommendation"),
            (_card(" "), "addScorecard.interviewer"),
            ({"score": 50, "recommendation": "hire"}, "addScorecard.interviewer"),
        ],
        ids=repr,
    )
    def test_a_bad_scorecard_is_422_by_name(
        self, api: Any, acme: Any, card: dict[str, Any], field: str
    ) -> None:
        """Score outside 0 to 100, an unknown recommendation or a missing name is 422 naming
        the scorecard's field; nothing is filed."""
        interview = _interview(api, acme)
        result = _patch(api, acme.headers, interview["id"], addScorecard=card)
        assert field in api.assert_error(result, 422, "validation_error")["fields"]
        assert _get(api, acme, interview["id"])["scorecards"] == []


class TestInterviewerRole:
    """An interviewer may only add their scorecard and mark the interview completed (§5)."""

    def test_an_interviewers_scorecard_is_filed_under_their_own_name(
        self, api: Any, acme: Any
    ) -> None:
        """Whatever `addScorecard.interviewer` says, an interviewer's card carries their user
        name."""
        headers, name = _interviewer(api, acme)
        interview = _interview(api, acme)
        filed = _patch_ok(api, headers, interview["id"], addScorecard=_card("The CEO", 95))
        assert [(c["interviewer"], c["score"]) for c in filed["scorecards"]] == [(name, 95)]

    def test_an_interviewer_replaces_their_own_card_not_a_namesakes(
        self, api: Any, acme: Any
    ) -> None:
        """An interviewer writing someone else's name cannot overwrite that person's card."""
        headers, name = _interviewer(api, acme)
        interview = _interview(api, acme)
        _patch_ok(api, acme.headers, interview["id"], addScorecard=_card("Jane", 20, "no_hire"))
        _patch_ok(api, headers, interview["id"], addScorecard=_card("Jane", 99, "strong_hire"))
        filed = _patch_ok(api, headers, interview["id"], addScorecard=_card("Jane", 60))
        assert [(c["interviewer"], c["score"]) for c in filed["scorecards"]] == [
            ("Jane", 20),
            (name, 60),
        ]

    def test_an_interviewer_key_files_under_the_keys_name(self, api: Any, acme: Any) -> None:
        """An interviewer-role API key's card carries the key's name."""
        minted = api.client.simulate_post(
            "/api/tenants/me/api-keys",
            json={"name": "Panel bot", "role": "interviewer"},
            headers=acme.headers,
        )
        headers = api.bearer_header(minted.json["rawToken"])
        interview = _interview(api, acme)
        filed = _patch_ok(api, headers, interview["id"], addScorecard=_card("Jane"))
        assert [c["interviewer"] for c in filed["scorecards"]] == ["Panel bot"]

    def test_an_interviewer_may_mark_the_interview_completed(
        self, api: Any, acme: Any, clock: Any
    ) -> None:
        """`status: completed` from an interviewer, with or without a card, is taken and
        stamps `completedAt`."""
        headers, name = _interviewer(api, acme)
        interview = _interview(api, acme)
        clock.advance(hours=2)
        done = _patch_ok(api, headers, interview["id"], status="completed", addScorecard=_card("x"))
        assert (done["status"], done["completedAt"]) == ("completed", isoformat(clock.now()))
        assert [c["interviewer"] for c in done["scorecards"]] == [name]

    @pytest.mark.parametrize(
        "body",
        [
            {"notes": "Candidate was late"},
            {"status": "cancelled"},
            {"status": "no_show"},
            {"scheduledAt": "2026-03-03T10:00:00Z"},
            {"interviewers": ["Me"]},
            {"durationMin": 30},
            {"status": "cancelled", "addScorecard": _card("x")},
            {"notes": "x", "addScorecard": _card("x")},
        ],
        ids=repr,
    )
    def test_anything_else_from_an_interviewer_is_403_and_changes_nothing(
        self, api: Any, acme: Any, body: dict[str, Any]
    ) -> None:
        """Notes, cancelling, rescheduling and the like are 403 forbidden for an interviewer,
        even beside a scorecard; the interview stays as it was."""
        headers, _ = _interviewer(api, acme)
        interview = _interview(api, acme)
        api.assert_error(_patch(api, headers, interview["id"], **body), 403, "forbidden")
        assert _get(api, acme, interview["id"]) == interview

    def test_an_interviewer_cannot_schedule_or_delete(self, api: Any, acme: Any) -> None:
        """POST and DELETE are not an interviewer's: 403."""
        headers, _ = _interviewer(api, acme)
        interview = _interview(api, acme)
        pair = (interview["candidateId"], interview["vacancyId"])
        body = {"candidateId": pair[0], "vacancyId": pair[1], "scheduledAt": "2026-03-02T10:00:00Z"}
        api.assert_error(
            api.client.simulate_post(INTERVIEWS, json=body, headers=headers), 403, "forbidden"
        )
        api.assert_error(
            api.client.simulate_delete(f"{INTERVIEWS}/{interview['id']}", headers=headers),
            403,
            "forbidden",
        )


STATUSES = ("scheduled", "completed", "cancelled", "no_show")
LEGAL = {
    ("scheduled", "completed"),
    ("scheduled", "cancelled"),
    ("scheduled", "no_show"),
    ("cancelled", "scheduled"),
    ("no_show", "scheduled"),
}
ILLEGAL = [(a, b) for a in STATUSES for b in STATUSES if a != b and (a, b) not in LEGAL]


class TestInterviewStatus:
    """`scheduled → completed | cancelled | no_show`; cancelled and no-shows reschedule;
    completed is final."""

    def _at(self, api: Any, acme: Any, status: str) -> dict[str, Any]:
        interview = _interview(api, acme)
        if status != "scheduled":
            interview = _patch_ok(api, acme.headers, interview["id"], status=status)
        return interview

    @pytest.mark.parametrize(("start", "to"), sorted(LEGAL))
    def test_a_legal_move_is_taken(self, api: Any, acme: Any, start: str, to: str) -> None:
        """Each move the machine draws answers the new status."""
        interview = self._at(api, acme, start)
        assert _patch_ok(api, acme.headers, interview["id"], status=to)["status"] == to

    @pytest.mark.parametrize(("start", "to"), ILLEGAL)
    def test_an_illegal_move_is_409_and_changes_nothing(
        self, api: Any, acme: Any, start: str, to: str
    ) -> None:
        """Leaving completed, or skipping back through scheduled, is 409 invalid_transition."""
        interview = self._at(api, acme, start)
        result = _patch(api, acme.headers, interview["id"], status=to)
        api.assert_error(result, 409, "invalid_transition")
        assert _get(api, acme, interview["id"]) == interview

    def test_completing_stamps_completed_at_which_get_shows(
        self, api: Any, acme: Any, clock: Any
    ) -> None:
        """After `status: completed`, GET shows the status and `completedAt`."""
        interview = _interview(api, acme)
        clock.advance(minutes=45)
        _patch_ok(api, acme.headers, interview["id"], status="completed")
        shown = _get(api, acme, interview["id"])
        assert (shown["status"], shown["completedAt"]) == ("completed", isoformat(clock.now()))

    def test_a_refused_move_files_no_scorecard_beside_it(self, api: Any, acme: Any) -> None:
        """A patch whose status move is refused files none of its scorecard either."""
        interview = self._at(api, acme, "completed")
        result = _patch(
            api, acme.headers, interview["id"], status="scheduled", addScorecard=_card("Jane")
        )
        api.assert_error(result, 409, "invalid_transition")
        assert _get(api, acme, interview["id"])["scorecards"] == []


class TestInterviewEdits:
    """Staff may reschedule and annotate; a deleted interview is gone."""

    def test_staff_may_reschedule_and_annotate(self, api: Any, acme: Any) -> None:
        """A recruiter changes the time, length, kind and notes."""
        recruiter = api.credential(acme, Role.RECRUITER, "cookie")
        interview = _interview(api, acme)
        changes = {
            "scheduledAt": "2026-03-05T15:00:00.000000Z",
            "durationMin": 45,
            "kind": "onsite",
            "notes": "Room 4",
        }
        changed = _patch_ok(api, recruiter, interview["id"], **changes)
        assert {name: changed[name] for name in changes} == changes

    def test_a_deleted_interview_is_404(self, api: Any, acme: Any) -> None:
        """DELETE answers 200; the interview is then 404 on GET, PATCH and DELETE."""
        interview = _interview(api, acme)
        path = f"{INTERVIEWS}/{interview['id']}"
        assert api.client.simulate_delete(path, headers=acme.headers).json == {"ok": True}
        for method, body in (("GET", None), ("PATCH", {"notes": "x"}), ("DELETE", None)):
            result = api.request(method, path, json=body, headers=acme.headers)
            api.assert_error(result, 404, "not_found")
