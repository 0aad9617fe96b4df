"""One table from error class to HTTP status, and the contract's error envelope.

Codes come from the core's error classes; this module only decides statuses. Falcon's own
errors (unknown route, wrong method) are rendered in the same envelope, and anything
unexpected becomes a 500 whose body says nothing about the code.
"""

from __future__ import annotations

import logging
from typing import Any

import falcon

from talentos_core import errors
from talentos_http.jsonio import send
from talentos_http.schema import camel

log = logging.getLogger("talentos.http")

#: Error class → status. A subclass not listed takes its nearest listed ancestor's status.
STATUS: dict[type[errors.TalentOSError], int] = {
    errors.BadRequest: 400,
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.PayloadTooLarge: 413,
    errors.UnsupportedMediaType: 415,
    errors.ValidationError: 422,
    errors.RateLimited: 429,
    errors.Unavailable: 503,
}

#: Falcon's own errors (unknown route, wrong method …): status → code; any other is "error".
FALCON_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}
#: The code of a 500: anything raised that is not a deliberate error.
INTERNAL_ERROR = "internal_error"


def status_for(kind: type[errors.TalentOSError]) -> int:
    """The status of an error class: its own entry in :data:`STATUS`, else its nearest
    listed ancestor's."""
    for ancestor in kind.__mro__:
        if ancestor in STATUS:
            return STATUS[ancestor]
    return 500


def status_of(error: errors.TalentOSError) -> int:
    return status_for(type(error))


def envelope(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"ok": False, "error": error}


def handle_talentos_error(
    req: falcon.Request, resp: falcon.Response, error: errors.TalentOSError, params: Any
) -> None:
    fields = None
    if isinstance(error, errors.ValidationError):
        # The core names attributes (admin_email); the API names fields (adminEmail).
        fields = {camel(name): why for name, why in error.fields.items()}
    if isinstance(error, errors.RateLimited):
        resp.set_header("Retry-After", str(error.retry_after))
    if isinstance(error, errors.Unauthenticated):
        resp.set_header("WWW-Authenticate", 'Bearer realm="talentos"')
    send(resp, envelope(error.code, error.message, fields), status_of(error))


def handle_falcon_error(
    req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError, params: Any
) -> None:
    status = error.status_code
    code = FALCON_CODES.get(status, "error")
    message = "No such resource." if status == 404 else (error.description or error.title)
    if error.headers:
        resp.set_headers(error.headers)
    send(resp, envelope(code, message or "Error."), status)


def handle_unexpected(
    req: falcon.Request, resp: falcon.Response, error: Exception, params: Any
) -> None:
    log.exception("unhandled error on %s %s", req.method, req.path)
    send(resp, envelope(INTERNAL_ERROR, "Internal server error."), 500)


def install(app: falcon.App) -> None:
    """Register the handlers; Falcon picks the most specific class first."""
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(falcon.HTTPError, handle_falcon_error)
    app.add_error_handler(errors.TalentOSError, handle_talentos_error)
