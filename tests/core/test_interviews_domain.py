"""The interview domain: the status machine, scorecards, inputs and what interviewers may do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentos_core.domain.interviews import (
    Interview,
    InterviewFilter,
    InterviewKind,
    InterviewPatch,
    InterviewStatus,
    NewInterview,
    NewScorecard,
    Recommendation,
    Scorecard,
    interviewer_may,
)
from talentos_core.domain.rules import check
from talentos_core.errors import InvalidTransition, ValidationError

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)

SC, CO, CA, NS = (
    InterviewStatus.SCHEDULED,
    InterviewStatus.COMPLETED,
    InterviewStatus.CANCELLED,
    InterviewStatus.NO_SHOW,
)
#: CONTRACT §6 and the brief: scheduled → completed | cancelled | no_show, the latter two may
#: be rescheduled, completed is final.
ALLOWED = {(SC, CO), (SC, CA), (SC, NS), (CA, SC), (NS, SC)}


def interview(status: InterviewStatus = SC, scorecards: list[Scorecard] | None = None) -> Interview:
    return Interview(
        id="iv_1",
        tenant_id="acme",
        candidate_id="cand_1",
        vacancy_id="vac_1",
        scheduled_at=T0,
        duration_min=45,
        kind=InterviewKind.VIDEO,
        created_at=T0,
        updated_at=T0,
        status=status,
        scorecards=scorecards or [],
    )


def card(name: str, score: int = 50) -> Scorecard:
    return Scorecard(name, score, Recommendation.HIRE, submitted_at=T0)


class TestInterviewStatus:
    @pytest.mark.parametrize(
        ("start", "goal"), [(a, b) for a in InterviewStatus for b in InterviewStatus if a != b]
    )
    def test_every_pair(self, start: InterviewStatus, goal: InterviewStatus) -> None:
        """Allowed moves change the status (completing stamps completedAt); the others raise
        InvalidTransition."""
        before = interview(start)
        if (start, goal) not in ALLOWED:
            with pytest.raises(InvalidTransition, match=f"from {start} to {goal}"):
                before.set_status(goal, T1)
            return
        after = before.set_status(goal, T1)
        assert (after.status, after.updated_at) == (goal, T1)
        assert after.completed_at == (T1 if goal == CO else None)

    @pytest.mark.parametrize("status", list(InterviewStatus))
    def test_the_same_status_is_no_change(self, status: InterviewStatus) -> None:
        """Setting the current status returns the very same object."""
        before = interview(status)
        assert before.set_status(status, T1) is before

    def test_a_no_show_may_be_rescheduled_and_completed(self) -> None:
        """no_show → scheduled → completed is a legal path."""
        done = interview(NS).set_status(SC, T0).set_status(CO, T1)
        assert (done.status, done.completed_at) == (CO, T1)


class TestScorecards:
    def test_a_new_interviewer_is_added_last(self) -> None:
        """A card from someone new is appended."""
        after = interview(scorecards=[card("Ann")]).with_scorecard(card("Bob"), T1)
        assert [c.interviewer for c in after.scorecards] == ["Ann", "Bob"]
        assert after.updated_at == T1

    def test_the_same_interviewer_replaces_in_place(self) -> None:
        """Names are compared trimmed and case-insensitively; the new card takes the old
        card's place."""
        before = interview(scorecards=[card("Ann", 10), card("Bob", 20)])
        after = before.with_scorecard(card("  ANN ", 90), T1)
        assert [(c.interviewer, c.score) for c in after.scorecards] == [
            ("  ANN ", 90),
            ("Bob", 20),
        ]
        assert [c.score for c in before.scorecards] == [10, 20]

    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["ann", "Ann", " ANN", "bob", "BOB ", "Straße", "STRASSE"]),
                st.integers(0, 100),
            ),
            max_size=20,
        )
    )
    def test_at_most_one_per_name_and_the_latest_wins(self, filings: list[tuple[str, int]]) -> None:
        """Any sequence of filings leaves one card per case-folded name: the last one filed."""
        current = interview()
        latest: dict[str, int] = {}
        for name, score in filings:
            current = current.with_scorecard(card(name, score), T1)
            latest[name.strip().casefold()] = score
        keys = [c.interviewer.strip().casefold() for c in current.scorecards]
        assert len(keys) == len(set(keys))
        assert {k: c.score for k, c in zip(keys, current.scorecards, strict=True)} == latest

    def test_filing_a_new_scorecard(self) -> None:
        """A filed card carries the submission time, under the caller's name when given."""
        new = NewScorecard("Whoever", 70, Recommendation.STRONG_HIRE, notes="Sharp.")
        assert new.filed(T1) == Scorecard("Whoever", 70, Recommendation.STRONG_HIRE, "Sharp.", T1)
        assert new.filed(T1, interviewer="Ann").interviewer == "Ann"

    def test_scorecard_rules(self) -> None:
        """A score from 0 to 100, a known recommendation and a non-blank interviewer."""
        with pytest.raises(ValidationError) as caught:
            check(NewScorecard(" ", 101, "maybe"))  # type: ignore[arg-type]  # a bad value, on purpose
        assert set(caught.value.fields) == {"interviewer", "score", "recommendation"}


class TestNewInterview:
    def test_defaults(self) -> None:
        """By default an interview is a 60-minute video call with no interviewers named."""
        made = NewInterview("cand_1", "vac_1", T0)
        check(made)
        assert (made.duration_min, made.kind, made.interviewers) == (60, InterviewKind.VIDEO, [])

    def test_the_time_needs_a_zone(self) -> None:
        """A naive time is refused; any offset is fine."""
        with pytest.raises(ValidationError) as caught:
            check(NewInterview("cand_1", "vac_1", datetime(2024, 1, 1, 9)))
        assert caught.value.fields == {"scheduled_at": "must be a time with a time zone"}
        check(
            NewInterview(
                "cand_1", "vac_1", datetime(2024, 1, 1, 9, tzinfo=timezone(-timedelta(hours=5)))
            )
        )

    @pytest.mark.parametrize("minutes", [4, 481, -60])
    def test_duration_bounds(self, minutes: int) -> None:
        """Durations outside 5 to 480 minutes are refused."""
        with pytest.raises(ValidationError) as caught:
            check(NewInterview("cand_1", "vac_1", T0, duration_min=minutes))
        assert set(caught.value.fields) == {"duration_min"}

    def test_interviewers_and_location_bounds(self) -> None:
        """At most 20 interviewers of 1 to 200 characters; a location of at most 2,000."""
        with pytest.raises(ValidationError) as caught:
            check(
                NewInterview(
                    "cand_1", "vac_1", T0, interviewers=["x"] * 21, location_or_url="u" * 2001
                )
            )
        assert set(caught.value.fields) == {"interviewers", "location_or_url"}


class TestInterviewPatch:
    def test_a_nested_scorecard_is_checked(self) -> None:
        """The scorecard inside a patch is checked, its problems named add_scorecard.…"""
        patch = InterviewPatch(add_scorecard=NewScorecard("Ann", 101, Recommendation.HIRE))
        with pytest.raises(ValidationError) as caught:
            check(patch)
        assert caught.value.fields == {"add_scorecard.score": "must be at most 100"}

    @pytest.mark.parametrize(
        ("patch", "allowed"),
        [
            (InterviewPatch(), True),
            (InterviewPatch(add_scorecard=NewScorecard("Ann", 50, Recommendation.HIRE)), True),
            (InterviewPatch(status=CO), True),
            (
                InterviewPatch(
                    status=CO, add_scorecard=NewScorecard("Ann", 50, Recommendation.HIRE)
                ),
                True,
            ),
            (InterviewPatch(status=CA), False),
            (InterviewPatch(status=SC), False),
            (InterviewPatch(notes="moved"), False),
            (InterviewPatch(status=CO, duration_min=30), False),
            (InterviewPatch(scheduled_at=T1), False),
            (InterviewPatch(interviewers=["Me"]), False),
        ],
    )
    def test_what_an_interviewer_may_send(self, patch: InterviewPatch, allowed: bool) -> None:
        """Only adding a scorecard and/or marking the interview completed (CONTRACT §5)."""
        assert interviewer_may(patch) is allowed


class TestInterviewFilter:
    def test_from_and_to_are_the_query_names(self) -> None:
        """since/until are published as the query parameters from and to."""
        names = {a.name: a.metadata.get("name") for a in InterviewFilter.__attrs_attrs__}
        assert (names["since"], names["until"]) == ("from", "to")

    def test_bounds_need_a_zone(self) -> None:
        """A naive bound is refused, as a naive time cannot be compared with stored ones."""
        with pytest.raises(ValidationError) as caught:
            check(InterviewFilter(since=datetime(2024, 1, 1), until=T0))
        assert set(caught.value.fields) == {"since"}
