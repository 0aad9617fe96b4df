"""Interviews, with their scorecards inline."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.interviews import (
    Interview,
    InterviewFilter,
    InterviewPatch,
    NewInterview,
)
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import InvalidTransition, NotFound
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route

TAG = "Interviews"


def list_interviews(call: Call) -> dict[str, Any]:
    where, page = call.query(InterviewFilter), call.query(PageRequest)
    return {"interviews": call.talentos.interviews.list(call.actor, where, page)}


def schedule(call: Call) -> dict[str, Any]:
    return {"interview": call.talentos.interviews.schedule(call.actor, call.body)}


def get(call: Call) -> dict[str, Any]:
    return {"interview": call.talentos.interviews.get(call.actor, call.params["interview_id"])}


def update(call: Call) -> dict[str, Any]:
    interview_id = call.params["interview_id"]
    return {"interview": call.talentos.interviews.update(call.actor, interview_id, call.body)}


def delete(call: Call) -> dict[str, Any]:
    call.talentos.interviews.delete(call.actor, call.params["interview_id"])
    return {}


_ONE = "/api/interviews/{interview_id}"

ROUTES = [
    Route(
        "GET",
        "/api/interviews",
        list_interviews,
        "List the tenant's interviews, earliest first.",
        TAG,
        operation=Operation.INTERVIEWS_LIST,
        query=(InterviewFilter, PageRequest),
        reply={"interviews": Page[Interview]},
    ),
    Route(
        "POST",
        "/api/interviews",
        schedule,
        "Schedule an interview.",
        TAG,
        operation=Operation.INTERVIEWS_CREATE,
        body=NewInterview,
        reply={"interview": Interview},
        status=201,
        description="Fires `interview.scheduled`. A candidate of another vacancy is 422.",
        raises=(NotFound,),
    ),
    Route(
        "GET",
        _ONE,
        get,
        "Get an interview.",
        TAG,
        operation=Operation.INTERVIEWS_READ,
        reply={"interview": Interview},
        raises=(NotFound,),
    ),
    Route(
        "PATCH",
        _ONE,
        update,
        "Update an interview, move its status, or file a scorecard.",
        TAG,
        operation=Operation.INTERVIEWS_UPDATE,
        body=InterviewPatch,
        reply={"interview": Interview},
        description="`addScorecard` replaces the scorecard filed under the same interviewer "
        "name (any case). `scheduled → completed | cancelled | no_show`, `cancelled | "
        "no_show → scheduled`; becoming `completed` fires `interview.completed`. An "
        "interviewer may only add their own scorecard (filed under their name) and mark the "
        "interview completed (403 otherwise).",
        raises=(NotFound, InvalidTransition),
    ),
    Route(
        "DELETE",
        _ONE,
        delete,
        "Delete an interview.",
        TAG,
        operation=Operation.INTERVIEWS_DELETE,
        raises=(NotFound,),
    ),
]
