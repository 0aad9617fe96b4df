"""The caller's tenant and team."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.tenants import Tenant, TenantPatch
from talentos_core.domain.users import User
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route

TAG = "Tenants and team"


def get_tenant(call: Call) -> dict[str, Any]:
    return {"tenant": call.talentos.tenants.get(call.actor)}


def update_tenant(call: Call) -> dict[str, Any]:
    return {"tenant": call.talentos.tenants.update(call.actor, call.body)}


def team(call: Call) -> dict[str, Any]:
    return {"users": call.talentos.tenants.team(call.actor, call.query(PageRequest))}


ROUTES = [
    Route(
        "GET",
        "/api/tenants/me",
        get_tenant,
        "The caller's tenant.",
        TAG,
        operation=Operation.TENANTS_READ,
        reply={"tenant": Tenant},
    ),
    Route(
        "PATCH",
        "/api/tenants/me",
        update_tenant,
        "Update branding and the AI budget.",
        TAG,
        operation=Operation.TENANTS_UPDATE,
        body=TenantPatch,
        reply={"tenant": Tenant},
    ),
    Route(
        "GET",
        "/api/team",
        team,
        "The users of the caller's tenant.",
        TAG,
        operation=Operation.TEAM_LIST,
        query=(PageRequest,),
        reply={"users": Page[User]},
    ),
]
