"""Bearer API keys of the caller's tenant."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.api_keys import ApiKey, NewApiKey
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import NotFound
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route

TAG = "Tenants and team"


def list_keys(call: Call) -> dict[str, Any]:
    return {"keys": call.talentos.api_keys.list(call.actor, call.query(PageRequest))}


def mint(call: Call) -> dict[str, Any]:
    minted = call.talentos.api_keys.mint(call.actor, call.body)
    return {"key": minted.key, "rawToken": minted.raw_token}


def revoke(call: Call) -> dict[str, Any]:
    call.talentos.api_keys.revoke(call.actor, call.params["key_id"])
    return {}


ROUTES = [
    Route(
        "GET",
        "/api/tenants/me/api-keys",
        list_keys,
        "List API keys (prefixes only).",
        TAG,
        operation=Operation.API_KEYS_LIST,
        query=(PageRequest,),
        reply={"keys": Page[ApiKey]},
    ),
    Route(
        "POST",
        "/api/tenants/me/api-keys",
        mint,
        "Mint an API key; the token is shown once.",
        TAG,
        operation=Operation.API_KEYS_CREATE,
        body=NewApiKey,
        reply={"key": ApiKey, "rawToken": str},
        status=201,
        description="Only a scrypt hash is kept. The role defaults to admin for an admin "
        "and to the minter's own role otherwise.",
    ),
    Route(
        "DELETE",
        "/api/tenants/me/api-keys/{key_id}",
        revoke,
        "Revoke an API key; it answers 401 from the next request on.",
        TAG,
        operation=Operation.API_KEYS_REVOKE,
        raises=(NotFound,),
    ),
]
