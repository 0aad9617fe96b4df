"""What every response carries: a request id and the security headers."""

from __future__ import annotations

import re
import secrets
from typing import Any

import falcon

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)
_JSON_CSP = "default-src 'none'; frame-ancestors 'none'"


class RequestContext:
    """Echo a well-formed incoming ``X-Request-Id`` (else mint one) and add safe headers."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        incoming = req.get_header("X-Request-Id")
        if incoming is None or not _REQUEST_ID.fullmatch(incoming):
            incoming = secrets.token_hex(12)
        req.context.request_id = incoming

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, req_succeeded: bool
    ) -> None:
        resp.set_header("X-Request-Id", req.context.get("request_id") or secrets.token_hex(12))
        for name, value in _HEADERS:
            resp.set_header(name, value)
        if resp.get_header("Content-Security-Policy") is None:
            resp.set_header("Content-Security-Policy", _JSON_CSP)
