"""Interviews of candidates, their scorecards, and the status machine::

    scheduled ──► completed        (final)
        │ ▲
        │ └──── cancelled, no_show (rescheduled)
        └─────► cancelled, no_show

Each interviewer files at most one scorecard per interview: names are compared trimmed and
case-insensitively, and a new scorecard replaces the old one where it stood.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from talentos_core.domain.rules import (
    TIME_ZONE,
    UNSET,
    Items,
    Length,
    Range,
    Unset,
    changes,
    choice,
    field,
)
from talentos_core.errors import InvalidTransition


class InterviewKind(enum.StrEnum):
    PHONE = "phone"
    VIDEO = "video"
    ONSITE = "onsite"
    TECHNICAL = "technical"
    PANEL = "panel"


class InterviewStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


class Recommendation(enum.StrEnum):
    STRONG_NO_HIRE = "strong_no_hire"
    NO_HIRE = "no_hire"
    NO_DECISION = "no_decision"
    HIRE = "hire"
    STRONG_HIRE = "strong_hire"


#: Each status → the statuses it may move to; completed is final.
TRANSITIONS: dict[InterviewStatus, frozenset[InterviewStatus]] = {
    InterviewStatus.SCHEDULED: frozenset(
        {InterviewStatus.COMPLETED, InterviewStatus.CANCELLED, InterviewStatus.NO_SHOW}
    ),
    InterviewStatus.CANCELLED: frozenset({InterviewStatus.SCHEDULED}),
    InterviewStatus.NO_SHOW: frozenset({InterviewStatus.SCHEDULED}),
}

INTERVIEWER_RULE = Length(1, 200)
NOTES_RULE = Length(0, 10_000)
DURATION_RULE = Range(5, 480)
INTERVIEWERS_RULE = Items(20, (INTERVIEWER_RULE,))
LOCATION_RULE = Length(0, 2000)


def interviewer_key(name: str) -> str:
    """How scorecards are matched to interviewers: trimmed and case-folded."""
    return name.strip().casefold()


@attrs.frozen
class Scorecard:
    """One interviewer's assessment, as filed."""

    interviewer: str
    score: int
    recommendation: Recommendation
    notes: str | None = None
    submitted_at: datetime | None = None


@attrs.frozen
class NewScorecard:
    """A scorecard as a caller files it."""

    interviewer: str = field(INTERVIEWER_RULE)
    score: int = field(Range(0, 100), doc="0 to 100.")
    recommendation: Recommendation = choice(Recommendation)
    notes: str | None = field(NOTES_RULE, default=None)

    def filed(self, now: datetime, *, interviewer: str | None = None) -> Scorecard:
        """The scorecard submitted at ``now``, under ``interviewer`` when given: an
        interviewer-role caller files under their own name, whatever the input says."""
        return Scorecard(
            interviewer=self.interviewer if interviewer is None else interviewer,
            score=self.score,
            recommendation=self.recommendation,
            notes=self.notes,
            submitted_at=now,
        )


@attrs.frozen
class Interview:
    """An interview of one candidate for one vacancy."""

    id: str
    tenant_id: str
    candidate_id: str
    vacancy_id: str
    scheduled_at: datetime
    duration_min: int
    kind: InterviewKind
    created_at: datetime
    updated_at: datetime
    status: InterviewStatus = InterviewStatus.SCHEDULED
    location_or_url: str | None = None
    interviewers: list[str] = attrs.Factory(list)
    scorecards: list[Scorecard] = attrs.Factory(list)
    notes: str | None = None
    completed_at: datetime | None = None
    created_by: str | None = None

    def set_status(self, to: InterviewStatus, now: datetime) -> Interview:
        """The interview in status ``to``, stamped ``now``; the same status returns ``self``.

        Completing stamps ``completed_at``.

        Raises :class:`InvalidTransition` for a move the machine does not allow.
        """
        to = InterviewStatus(to)  # a Python caller may pass the value
        if to == self.status:
            return self
        if to not in TRANSITIONS.get(self.status, frozenset()):
            raise InvalidTransition(f"An interview cannot go from {self.status} to {to}.")
        if to == InterviewStatus.COMPLETED:
            return attrs.evolve(self, status=to, updated_at=now, completed_at=now)
        return attrs.evolve(self, status=to, updated_at=now)

    def with_scorecard(self, card: Scorecard, now: datetime) -> Interview:
        """The interview with ``card`` filed, stamped ``now``: it replaces, in place, the card
        of the same interviewer (trimmed, case-insensitive), or is added last."""
        key = interviewer_key(card.interviewer)
        cards = list(self.scorecards)
        for index, old in enumerate(cards):
            if interviewer_key(old.interviewer) == key:
                cards[index] = card
                break
        else:
            cards.append(card)
        return attrs.evolve(self, scorecards=cards, updated_at=now)


@attrs.frozen
class NewInterview:
    """An interview to schedule."""

    candidate_id: str = field(Length(1, 64))
    vacancy_id: str = field(Length(1, 64))
    scheduled_at: datetime = field(TIME_ZONE, doc="With a time zone.")
    duration_min: int = field(DURATION_RULE, default=60, doc="Minutes, 5 to 480.")
    kind: InterviewKind = choice(InterviewKind, default=InterviewKind.VIDEO)
    location_or_url: str | None = field(LOCATION_RULE, default=None)
    interviewers: list[str] = field(INTERVIEWERS_RULE, default=attrs.Factory(list))
    notes: str | None = field(NOTES_RULE, default=None)


@attrs.frozen
class InterviewPatch:
    """Fields left :data:`UNSET` stay; ``None`` clears an optional field.

    ``add_scorecard`` files a scorecard (:meth:`Interview.with_scorecard`); ``status`` moves
    through :meth:`Interview.set_status`.
    """

    scheduled_at: datetime | Unset = field(TIME_ZONE, default=UNSET, doc="With a time zone.")
    duration_min: int | Unset = field(DURATION_RULE, default=UNSET, doc="Minutes, 5 to 480.")
    kind: InterviewKind | Unset = choice(InterviewKind, default=UNSET)
    location_or_url: str | Unset | None = field(LOCATION_RULE, default=UNSET)
    interviewers: list[str] | Unset = field(INTERVIEWERS_RULE, default=UNSET)
    notes: str | Unset | None = field(NOTES_RULE, default=UNSET)
    status: InterviewStatus | Unset = choice(InterviewStatus, default=UNSET)
    add_scorecard: NewScorecard | Unset = field(
        default=UNSET, doc="Replaces the scorecard of the same interviewer, if any."
    )


_INTERVIEWER_MAY = frozenset({"add_scorecard", "status"})


def interviewer_may(patch: InterviewPatch) -> bool:
    """Whether an interviewer-role caller may send ``patch`` (CONTRACT §5): it only adds a
    scorecard and/or marks the interview completed. An empty patch changes nothing, so it
    passes."""
    changed = changes(patch)
    if not set(changed) <= _INTERVIEWER_MAY:
        return False
    return changed.get("status", InterviewStatus.COMPLETED) == InterviewStatus.COMPLETED


@attrs.frozen
class InterviewFilter:
    """Which interviews a list shows; ``from`` and ``to`` bound ``scheduledAt`` half-open."""

    candidate_id: str | None = None
    vacancy_id: str | None = None
    status: InterviewStatus | None = choice(InterviewStatus, default=None)
    since: datetime | None = field(
        TIME_ZONE, default=None, name="from", doc="Scheduled at or after this time."
    )
    until: datetime | None = field(
        TIME_ZONE, default=None, name="to", doc="Scheduled before this time."
    )
