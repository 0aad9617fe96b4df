"""Cross-origin access for company websites (CONTRACT §6 careers).

The careers board is public data: its GET routes answer any origin, never with credentials.
Applications are writes, so a browser first asks (a preflight): it passes for an origin some
tenant lists in ``careerSiteOrigins``, and the application's own answer allows the origin only
when the vacancy's tenant lists it. Every other route stays same-origin.
"""

from __future__ import annotations

from typing import Any

import falcon

from talentos_core.bootstrap import TalentOS

BOARD_PREFIX = "/api/careers/vacancies"
APPLY_PATH = "/api/careers/apply"
PREFLIGHT_MAX_AGE = "600"


def allow_apply(
    req: falcon.Request, resp: falcon.Response, talentos: TalentOS, tenant_id: str | None
) -> None:
    """Let the page read the answer when ``tenant_id`` (or, unknown, any tenant) lists it."""
    origin = req.get_header("Origin")
    resp.append_header("Vary", "Origin")
    if origin and talentos.careers.origin_allowed(origin, tenant_id):
        resp.set_header("Access-Control-Allow-Origin", origin)
        # Not a CORS-safelisted header: without this a page cannot see when to retry a 429.
        resp.set_header("Access-Control-Expose-Headers", "Retry-After")


class Cors:
    """Middleware: the board's public CORS headers, the apply preflight, and apply errors."""

    def __init__(self, talentos: TalentOS) -> None:
        self._talentos = talentos

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        if req.method != "OPTIONS" or req.path != APPLY_PATH:
            return
        allow_apply(req, resp, self._talentos, None)
        resp.set_header("Allow", "POST, OPTIONS")
        if resp.get_header("Access-Control-Allow-Origin") is not None:
            resp.set_header("Access-Control-Allow-Methods", "POST")
            resp.set_header("Access-Control-Allow-Headers", "Content-Type")
            resp.set_header("Access-Control-Max-Age", PREFLIGHT_MAX_AGE)
        resp.status = falcon.HTTP_204
        resp.complete = True

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, req_succeeded: bool
    ) -> None:
        if req.path.startswith(BOARD_PREFIX) and req.method in ("GET", "HEAD"):
            resp.set_header("Access-Control-Allow-Origin", "*")
        elif (
            req.path == APPLY_PATH
            and req.method == "POST"
            and resp.get_header("Access-Control-Allow-Origin") is None
            and not req_succeeded
        ):
            # An error names no tenant: let a listed page read why its application failed.
            allow_apply(req, resp, self._talentos, None)
