"""Offers made to candidates: their terms, and the status machine that freezes them.

::

    draft ──► sent ──► accepted
      │        ├─────► declined
      └────────┴─────► withdrawn

Accepted, declined and withdrawn are final. Terms (:data:`TERMS`) may change only while the
offer is a draft; what was decided and the notes may change at any time.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import attrs

from talentos_core.domain.rules import (
    DATE,
    UNSET,
    Length,
    Pattern,
    Range,
    Unset,
    choice,
    field,
)
from talentos_core.errors import Conflict, InvalidTransition


class OfferStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


#: Each status → the statuses it may move to; a status missing here is final.
TRANSITIONS: dict[OfferStatus, frozenset[OfferStatus]] = {
    OfferStatus.DRAFT: frozenset({OfferStatus.SENT, OfferStatus.WITHDRAWN}),
    OfferStatus.SENT: frozenset(
        {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN}
    ),
}
#: Statuses that record a decision (``decided_at``).
DECIDED: frozenset[OfferStatus] = frozenset(
    {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.WITHDRAWN}
)
#: Fields that make up the offer's terms: frozen once it is sent.
TERMS: frozenset[str] = frozenset(
    {"base_salary", "currency", "bonus", "sign_on_bonus", "start_date"}
)
#: Fields :meth:`Offer.revise` may change besides the terms, in any status.
REMARKS: frozenset[str] = frozenset({"decision", "notes"})

CURRENCY = Pattern("[A-Z]{3}", "must be an ISO 4217 code like USD")
AMOUNT = Range(0, 1e12)
NOTES_RULE = Length(0, 10_000)


@attrs.frozen
class Offer:
    """An offer of employment to one candidate on one vacancy."""

    id: str
    tenant_id: str
    candidate_id: str
    vacancy_id: str
    currency: str
    created_at: datetime
    updated_at: datetime
    base_salary: float
    bonus: float | None = None
    sign_on_bonus: float | None = None
    start_date: str | None = None
    status: OfferStatus = OfferStatus.DRAFT
    decision: str | None = None
    notes: str | None = None
    sent_at: datetime | None = None
    decided_at: datetime | None = None
    created_by: str | None = None

    def transition(self, to: OfferStatus, now: datetime) -> Offer:
        """The offer in status ``to``, stamped ``now``; the same status returns ``self``.

        Sending stamps ``sent_at``; accepting, declining or withdrawing stamps ``decided_at``.
        What accepting does to the candidate is the service's to do, in the same transaction.

        Raises :class:`InvalidTransition` for a move the machine does not allow.
        """
        to = OfferStatus(to)  # a Python caller may pass the value
        if to == self.status:
            return self
        if to not in TRANSITIONS.get(self.status, frozenset()):
            raise InvalidTransition(f"An offer cannot go from {self.status} to {to}.")
        stamps: dict[str, Any] = {"sent_at": now} if to == OfferStatus.SENT else {}
        if to in DECIDED:
            stamps["decided_at"] = now
        return attrs.evolve(self, status=to, updated_at=now, **stamps)

    def revise(self, changes: dict[str, Any], now: datetime) -> Offer:
        """The offer with ``changes`` (attribute → value) applied, stamped ``now``.

        Values equal to the current ones are no change; with none left, ``self`` is returned.
        A patch that also sets the status is applied in this order: :meth:`revise` the other
        fields, then :meth:`transition`, so a draft's terms and its sending may come together.

        Raises :class:`Conflict` when a term would change on an offer that is no longer a
        draft, and :class:`ValueError` for a field that is neither a term nor a remark (the
        status changes only through :meth:`transition`).
        """
        stray = set(changes) - TERMS - REMARKS
        if stray:
            raise ValueError(f"not revisable: {', '.join(sorted(stray))}")
        changed = {name: value for name, value in changes.items() if getattr(self, name) != value}
        if not changed:
            return self
        if self.status != OfferStatus.DRAFT and TERMS & set(changed):
            raise Conflict("The offer's terms are frozen once it is sent.")
        return attrs.evolve(self, **changed, updated_at=now)


@attrs.frozen
class NewOffer:
    """A new offer: created as a draft, or sent at once."""

    candidate_id: str = field(Length(1, 64))
    vacancy_id: str = field(Length(1, 64))
    base_salary: float = field(AMOUNT)
    currency: str = field(CURRENCY, doc="ISO 4217, e.g. USD.")
    bonus: float | None = field(AMOUNT, default=None)
    sign_on_bonus: float | None = field(AMOUNT, default=None)
    start_date: str | None = field(DATE, default=None)
    status: OfferStatus = choice(
        OfferStatus,
        default=OfferStatus.DRAFT,
        allowed=(OfferStatus.DRAFT, OfferStatus.SENT),
        doc="An offer starts as a draft, or sent (which stamps sentAt).",
    )
    decision: str | None = field(NOTES_RULE, default=None)
    notes: str | None = field(NOTES_RULE, default=None)


@attrs.frozen
class OfferPatch:
    """Fields left :data:`UNSET` stay; ``None`` clears an optional field.

    Terms change only on a draft (:meth:`Offer.revise`); the status through
    :meth:`Offer.transition`.
    """

    base_salary: float | Unset = field(AMOUNT, default=UNSET)
    currency: str | Unset = field(CURRENCY, default=UNSET, doc="ISO 4217, e.g. USD.")
    bonus: float | Unset | None = field(AMOUNT, default=UNSET)
    sign_on_bonus: float | Unset | None = field(AMOUNT, default=UNSET)
    start_date: str | Unset | None = field(DATE, default=UNSET)
    status: OfferStatus | Unset = choice(OfferStatus, default=UNSET)
    decision: str | Unset | None = field(NOTES_RULE, default=UNSET)
    notes: str | Unset | None = field(NOTES_RULE, default=UNSET)


@attrs.frozen
class OfferFilter:
    """Which offers a list shows."""

    candidate_id: str | None = None
    vacancy_id: str | None = None
    status: OfferStatus | None = choice(OfferStatus, default=None)
