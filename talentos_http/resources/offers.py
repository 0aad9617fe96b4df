"""Offers extended to candidates, and the decisions on them."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.offers import NewOffer, Offer, OfferFilter, OfferPatch
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import Conflict, InvalidTransition, NotFound
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route

TAG = "Offers"


def list_offers(call: Call) -> dict[str, Any]:
    where, page = call.query(OfferFilter), call.query(PageRequest)
    return {"offers": call.talentos.offers.list(call.actor, where, page)}


def create(call: Call) -> dict[str, Any]:
    return {"offer": call.talentos.offers.create(call.actor, call.body)}


def get(call: Call) -> dict[str, Any]:
    return {"offer": call.talentos.offers.get(call.actor, call.params["offer_id"])}


def update(call: Call) -> dict[str, Any]:
    return {"offer": call.talentos.offers.update(call.actor, call.params["offer_id"], call.body)}


def delete(call: Call) -> dict[str, Any]:
    call.talentos.offers.delete(call.actor, call.params["offer_id"])
    return {}


_ONE = "/api/offers/{offer_id}"

ROUTES = [
    Route(
        "GET",
        "/api/offers",
        list_offers,
        "List the tenant's offers.",
        TAG,
        operation=Operation.OFFERS_LIST,
        query=(OfferFilter, PageRequest),
        reply={"offers": Page[Offer]},
    ),
    Route(
        "POST",
        "/api/offers",
        create,
        "Create an offer for a candidate of the vacancy.",
        TAG,
        operation=Operation.OFFERS_CREATE,
        body=NewOffer,
        reply={"offer": Offer},
        status=201,
        description="`status` is `draft` (default) or `sent`, which stamps `sentAt` and "
        "fires `offer.sent`. A candidate of another vacancy is 422.",
        raises=(NotFound,),
    ),
    Route(
        "GET",
        _ONE,
        get,
        "Get an offer.",
        TAG,
        operation=Operation.OFFERS_READ,
        reply={"offer": Offer},
        raises=(NotFound,),
    ),
    Route(
        "PATCH",
        _ONE,
        update,
        "Revise an offer or decide on it.",
        TAG,
        operation=Operation.OFFERS_UPDATE,
        body=OfferPatch,
        reply={"offer": Offer},
        description="`draft → sent → accepted | declined`, `draft | sent → withdrawn`; "
        "anything else is 409 `invalid_transition`. Terms are frozen once sent (409). "
        "Accepting hires the candidate (`offer.accepted` and `candidate.stage_changed`); "
        "a candidate accepts at most one offer (409).",
        raises=(NotFound, InvalidTransition, Conflict),
    ),
    Route(
        "DELETE",
        _ONE,
        delete,
        "Delete an offer.",
        TAG,
        operation=Operation.OFFERS_DELETE,
        raises=(NotFound,),
    ),
]
