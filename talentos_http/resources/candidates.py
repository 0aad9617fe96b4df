"""Candidates: the public apply route for careers pages, and the tenant's pipeline."""

from __future__ import annotations

from typing import Any

import attrs

from talentos_core.domain.candidates import (
    Application,
    Candidate,
    CandidateFilter,
    CandidateImport,
    CandidatePatch,
    ImportResult,
)
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    RateLimited,
    TooManyRows,
)
from talentos_core.roles import Operation
from talentos_http import cors
from talentos_http.routing import Call, Route

TAG = "Candidates"


@attrs.frozen
class Applied:
    """What a public applicant learns: the candidate's id, and whether they had applied."""

    id: str
    dedup: bool


def apply(call: Call) -> dict[str, Any]:
    result = call.talentos.candidates.apply(call.actor, call.body)
    cors.allow_apply(call.req, call.resp, call.talentos, result.candidate.tenant_id)
    call.status = 200 if result.dedup else 201
    return {"candidate": Applied(result.candidate.id, result.dedup)}


def list_candidates(call: Call) -> dict[str, Any]:
    where, page = call.query(CandidateFilter), call.query(PageRequest)
    return {"candidates": call.talentos.candidates.list(call.actor, where, page)}


def get(call: Call) -> dict[str, Any]:
    return {"candidate": call.talentos.candidates.get(call.actor, call.params["candidate_id"])}


def update(call: Call) -> dict[str, Any]:
    candidate_id = call.params["candidate_id"]
    return {"candidate": call.talentos.candidates.update(call.actor, candidate_id, call.body)}


def delete(call: Call) -> dict[str, Any]:
    call.talentos.candidates.delete(call.actor, call.params["candidate_id"])
    return {}


def import_rows(call: Call) -> dict[str, Any]:
    return {"": call.talentos.candidates.import_rows(call.actor, call.body.rows)}


_ONE = "/api/candidates/{candidate_id}"

ROUTES = [
    Route(
        "POST",
        "/api/careers/apply",
        apply,
        "Apply to an open vacancy (public).",
        "Careers board",
        body=Application,
        reply={"candidate": Applied},
        status=201,
        also=(200,),
        cross_origin=True,
        description="201 for a new candidate; 200 with `dedup: true` when this email (any "
        "case) already applied to the vacancy, which changes nothing. Only `open` vacancies "
        "take applications (404 otherwise). Limited per client IP (`TALENTOS_APPLY_RATE` a "
        "minute; 429 with Retry-After). Browsers may post it from the origins the vacancy's "
        "company lists in `careerSiteOrigins` (CORS).",
        raises=(NotFound, RateLimited),
    ),
    Route(
        "GET",
        "/api/candidates",
        list_candidates,
        "List the tenant's candidates.",
        TAG,
        operation=Operation.CANDIDATES_LIST,
        query=(CandidateFilter, PageRequest),
        reply={"candidates": Page[Candidate]},
    ),
    Route(
        "POST",
        "/api/candidates/import",
        import_rows,
        "Create or update up to 500 candidates.",
        TAG,
        operation=Operation.CANDIDATES_IMPORT,
        body=CandidateImport,
        reply={"": ImportResult},
        description="Each row succeeds or fails alone: `created + updated + skipped == "
        "total`, one `{row, code, message}` error per skipped row (`row` counts from 0). A "
        "row whose email the vacancy already has updates that candidate with the fields it "
        "gives. More than 500 rows: 413 `too_many_rows` before any row is read.",
        raises=(TooManyRows,),
    ),
    Route(
        "GET",
        _ONE,
        get,
        "Get a candidate.",
        TAG,
        operation=Operation.CANDIDATES_READ,
        reply={"candidate": Candidate},
        raises=(NotFound,),
    ),
    Route(
        "PATCH",
        _ONE,
        update,
        "Update a candidate or move their stage.",
        TAG,
        operation=Operation.CANDIDATES_UPDATE,
        body=CandidatePatch,
        reply={"candidate": Candidate},
        description="Active stages move anywhere; `rejected` and `withdrawn` reopen to an "
        "active stage (409 `invalid_transition` otherwise); only admin and chro move a "
        "candidate out of `hired` (403). A move fires `candidate.stage_changed`; moving to "
        "the current stage changes nothing.",
        raises=(NotFound, InvalidTransition, Conflict, Forbidden),
    ),
    Route(
        "DELETE",
        _ONE,
        delete,
        "Delete a candidate, with their offers and interviews.",
        TAG,
        operation=Operation.CANDIDATES_DELETE,
        raises=(NotFound,),
    ),
]
