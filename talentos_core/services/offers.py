"""Offers: terms extended to a candidate, and the decisions on them (CONTRACT §6).

Accepting an offer hires the candidate in the same transaction.
"""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.actors import Actor
from talentos_core.domain.candidates import Stage
from talentos_core.domain.offers import NewOffer, Offer, OfferFilter, OfferPatch, OfferStatus
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import changes, check
from talentos_core.errors import Conflict, ValidationError
from talentos_core.roles import Operation
from talentos_core.services.base import Service, Transaction
from talentos_core.services.candidates import change_stage

#: The outbox event each status fires; draft and withdrawn fire none (CONTRACT §8 names
#: eight event types).
_EVENTS = {
    OfferStatus.SENT: "offer.sent",
    OfferStatus.ACCEPTED: "offer.accepted",
    OfferStatus.DECLINED: "offer.declined",
}


class OfferService(Service):
    def list(
        self, actor: Actor, where: OfferFilter = OfferFilter(), page: PageRequest = PageRequest()
    ) -> Page[Offer]:
        """Raises :class:`ValidationError` for a filter breaking a rule (an unknown status)."""
        tenant_id = self._tenant(actor, Operation.OFFERS_LIST)
        check(where)
        return self._read.offers.list(tenant_id, where, page)

    def get(self, actor: Actor, offer_id: str) -> Offer:
        return self._read.offers.get(self._tenant(actor, Operation.OFFERS_READ), offer_id)

    def create(self, actor: Actor, form: NewOffer) -> Offer:
        """An offer for a candidate of the vacancy, ``draft`` or ``sent`` (which stamps
        ``sentAt`` and fires ``offer.sent``).

        Raises :class:`ValidationError` (a candidate of another vacancy too) and
        :class:`NotFound` for a candidate or vacancy that is not the tenant's.
        """
        tenant_id = self._tenant(actor, Operation.OFFERS_CREATE)
        check(form)
        now = self._now()
        with self._transaction(actor) as tx:
            _check_pair(tx, tenant_id, form.candidate_id, form.vacancy_id)
            offer = Offer(
                id=self._deps.ids.new("ofr"),
                tenant_id=tenant_id,
                created_at=now,
                updated_at=now,
                created_by=actor.id,
                **{**attrs.asdict(form, recurse=False), "status": OfferStatus.DRAFT},
            )
            if form.status != OfferStatus.DRAFT:
                offer = offer.transition(form.status, now)
            tx.uow.offers.add(offer)
            tx.record(
                "offer.created",
                entity_type="offer",
                entity_id=offer.id,
                summary=f"Created an offer ({offer.status})",
                data=_ids(offer),
            )
            _fire(tx, offer)
        return offer

    def update(self, actor: Actor, offer_id: str, patch: OfferPatch) -> Offer:
        """Revise terms (draft only: :class:`Conflict` once sent), notes, and the status.

        Status moves follow :meth:`Offer.transition` (:class:`InvalidTransition`).
        Accepting moves the candidate to ``hired`` (firing ``offer.accepted`` and
        ``candidate.stage_changed``); a candidate's second acceptance is a
        :class:`Conflict`. A patch that changes nothing writes nothing.
        """
        tenant_id = self._tenant(actor, Operation.OFFERS_UPDATE)
        check(patch)
        now = self._now()
        with self._transaction(actor) as tx:
            offer = tx.uow.offers.get(tenant_id, offer_id)
            changed = changes(patch, offer)
            status = changed.pop("status", None)
            if not changed and status is None:
                return offer
            updated = offer.revise(changed, now) if changed else offer
            if status is not None:
                updated = updated.transition(status, now)
            if status == OfferStatus.ACCEPTED:
                _accept(tx, updated)
            tx.uow.offers.update(updated)
            if changed:
                tx.record_changes("offer", offer_id, changed)
            if status is not None:
                tx.record(
                    f"offer.{status}",
                    entity_type="offer",
                    entity_id=offer_id,
                    summary=f"Offer {offer.status} → {status}",
                    data={**_ids(updated), "from": offer.status.value, "to": status.value},
                )
                _fire(tx, updated)
        return updated

    def delete(self, actor: Actor, offer_id: str) -> None:
        tenant_id = self._tenant(actor, Operation.OFFERS_DELETE)
        with self._transaction(actor) as tx:
            offer = tx.uow.offers.get(tenant_id, offer_id)
            tx.uow.offers.delete(tenant_id, offer_id)
            tx.record(
                "offer.deleted",
                entity_type="offer",
                entity_id=offer_id,
                summary="Deleted an offer",
                data=_ids(offer),
            )


def _check_pair(tx: Transaction, tenant_id: str, candidate_id: str, vacancy_id: str) -> None:
    """Both must be the tenant's (:class:`NotFound`), the candidate on that vacancy (422)."""
    candidate = tx.uow.candidates.get(tenant_id, candidate_id)
    tx.uow.vacancies.get(tenant_id, vacancy_id)
    if candidate.vacancy_id != vacancy_id:
        raise ValidationError({"candidate_id": "is not a candidate of this vacancy"})


def _accept(tx: Transaction, offer: Offer) -> None:
    others = tx.uow.offers.of_candidate(offer.tenant_id, offer.candidate_id)
    if any(other.id != offer.id and other.status == OfferStatus.ACCEPTED for other in others):
        raise Conflict("The candidate has already accepted another offer.")
    candidate = tx.uow.candidates.get(offer.tenant_id, offer.candidate_id)
    # The acceptance itself is the authority to hire, whoever records it.
    change_stage(tx, candidate, Stage.HIRED, may_leave_hired=True)


def _fire(tx: Transaction, offer: Offer) -> None:
    event = _EVENTS.get(offer.status)
    if event is not None:
        tx.emit(event, {**_ids(offer), "status": offer.status.value})


def _ids(offer: Offer) -> dict[str, Any]:
    return {
        "offerId": offer.id,
        "candidateId": offer.candidate_id,
        "vacancyId": offer.vacancy_id,
    }
