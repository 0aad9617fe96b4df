"""The API's own documents: the OpenAPI JSON, the reference page, the token pages."""

from __future__ import annotations

import falcon

from talentos_http import openapi
from talentos_http.jsonio import send
from talentos_http.pages import token_page
from talentos_http.reference import render_reference
from talentos_http.routing import Call, Route

TAG = "Documentation"


def openapi_json(call: Call) -> None:
    send(call.resp, openapi.document())


def reference(call: Call) -> None:
    html, policy = render_reference(openapi.document())
    _html(call, html, policy)


def accept_invite_page(call: Call) -> None:
    _html(call, *token_page("accept-invite"))


def _html(call: Call, html: str, policy: str) -> None:
    call.resp.content_type = falcon.MEDIA_HTML
    call.resp.set_header("Content-Security-Policy", policy)
    call.resp.text = html


ROUTES = [
    Route(
        "GET",
        "/api/openapi.json",
        openapi_json,
        "This document (OpenAPI 3.1).",
        TAG,
        media_type="application/json",
    ),
    Route(
        "GET", "/docs", reference, "The API reference as a web page.", TAG, media_type="text/html"
    ),
    Route(
        "GET",
        "/accept-invite",
        accept_invite_page,
        "The page an invite link opens; its form posts to /api/auth/accept-invite.",
        TAG,
        media_type="text/html",
        description="Takes `?token=` in the address; showing the page consumes nothing.",
    ),
]
