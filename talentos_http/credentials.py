"""Reading credentials off a request: the session cookie, Bearer keys, and the CSRF check.

Who a credential belongs to is decided by the core (``AuthService.authenticate_*``); this
module only finds the credential, and sets or clears the cookie.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import falcon

from talentos_core.bootstrap import TalentOS
from talentos_core.domain.actors import Actor, Origin
from talentos_core.domain.users import SESSION_LIFETIME
from talentos_core.errors import Forbidden, Unauthenticated
from talentos_core.settings import Settings

COOKIE = "talentos_sid"
MAX_AGE = int(SESSION_LIFETIME / timedelta(seconds=1))


def uses_bearer(req: falcon.Request) -> bool:
    return req.get_header("Authorization") is not None


def authenticate(talentos: TalentOS, req: falcon.Request, origin: Origin) -> Actor:
    """The actor behind the request's Bearer key or session cookie; 401 without either."""
    header = req.get_header("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated()
        return talentos.auth.authenticate_api_key(token.strip(), origin)
    cookie = session_token(req)
    if cookie is None:
        raise Unauthenticated()
    return talentos.auth.authenticate_session(cookie, origin)


def session_token(req: falcon.Request) -> str | None:
    values = req.get_cookie_values(COOKIE)
    return values[0] if values else None


def set_session_cookie(resp: falcon.Response, token: str, settings: Settings) -> None:
    resp.set_cookie(
        COOKIE,
        token,
        max_age=MAX_AGE,
        path="/",
        secure=settings.secure_cookies,
        http_only=True,
        same_site="Lax",
    )


def clear_session_cookie(resp: falcon.Response, settings: Settings) -> None:
    # Falcon's ``unset_cookie`` takes no ``secure``/``http_only``, and ``set_cookie`` drops a
    # ``max_age`` of 0: expire it by date, with the attributes it was set with.
    resp.set_cookie(
        COOKIE,
        "",
        expires=datetime(1970, 1, 1, tzinfo=UTC),
        path="/",
        secure=settings.secure_cookies,
        http_only=True,
        same_site="Lax",
    )


def check_same_origin(req: falcon.Request, settings: Settings) -> None:
    """Refuse a state-changing request a browser sent from another site (CSRF).

    Requests with a Bearer key are exempt: a browser never adds one on its own.
    """
    if (req.get_header("Sec-Fetch-Site") or "").lower() == "cross-site":
        raise Forbidden("Cross-site requests are refused.")
    origin = req.get_header("Origin")
    if origin is None:
        return
    allowed = {f"{req.scheme}://{req.netloc}"}
    if settings.public_url:
        allowed.add(settings.public_url)
    if origin not in allowed:
        raise Forbidden("Cross-origin requests are refused.")


def client_ip(req: falcon.Request, settings: Settings) -> str | None:
    """The caller's address: the socket's, or behind a trusted proxy the last hop it added.

    The last ``X-Forwarded-For`` entry is the one the proxy appended; earlier ones are
    whatever the client sent and prove nothing.
    """
    if settings.trust_proxy:
        forwarded = req.get_header("X-Forwarded-For")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip() or None
    return req.remote_addr
