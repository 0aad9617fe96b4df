"""Sign-up, sign-in, sign-out, invitations."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.tenants import Tenant
from talentos_core.domain.users import AcceptInvite, Credentials, InviteRequest, Signup, User
from talentos_core.errors import EmailTaken, InvalidCredentials, InvalidToken, RateLimited
from talentos_core.roles import Operation
from talentos_core.services.auth import IssuedInvite, SignedIn
from talentos_http import credentials
from talentos_http.routing import Call, Route

TAG = "Authentication"


def _signed_in(call: Call, signed_in: SignedIn) -> dict[str, Any]:
    credentials.set_session_cookie(call.resp, signed_in.session_token, call.talentos.settings)
    return {"tenant": signed_in.tenant, "user": signed_in.user}


def signup(call: Call) -> dict[str, Any]:
    return _signed_in(call, call.talentos.auth.signup(call.actor, call.body))


def login(call: Call) -> dict[str, Any]:
    replaces = credentials.session_token(call.req)
    return _signed_in(call, call.talentos.auth.login(call.actor, call.body, replaces=replaces))


def logout(call: Call) -> dict[str, Any]:
    call.talentos.auth.logout(call.actor)
    credentials.clear_session_cookie(call.resp, call.talentos.settings)
    return {}


def me(call: Call) -> dict[str, Any]:
    return {"user": call.talentos.auth.me(call.actor)}


def invite(call: Call) -> dict[str, Any]:
    return {"invite": call.talentos.auth.invite(call.actor, call.body)}


def accept_invite(call: Call) -> dict[str, Any]:
    return _signed_in(call, call.talentos.auth.accept_invite(call.actor, call.body))


_SIGNED_IN = {"tenant": Tenant, "user": User}

ROUTES = [
    Route(
        "POST",
        "/api/auth/signup",
        signup,
        "Create a tenant and its admin, and sign in.",
        TAG,
        body=Signup,
        reply=_SIGNED_IN,
        status=201,
        description="Sets the `talentos_sid` session cookie. The admin starts with "
        "`emailVerified: false`.",
        raises=(EmailTaken,),
    ),
    Route(
        "POST",
        "/api/auth/login",
        login,
        "Sign in; sets the session cookie.",
        TAG,
        body=Credentials,
        reply=_SIGNED_IN,
        description="5 failures for one email within 15 minutes lock it for the rest of "
        "the window (429 with Retry-After).",
        raises=(
            InvalidCredentials,
            RateLimited,
        ),
    ),
    Route(
        "POST",
        "/api/auth/logout",
        logout,
        "End the current session.",
        TAG,
        operation=Operation.AUTH_LOGOUT,
    ),
    Route(
        "GET",
        "/api/auth/me",
        me,
        "The signed-in user.",
        TAG,
        operation=Operation.AUTH_ME,
        reply={"user": User},
    ),
    Route(
        "POST",
        "/api/auth/invite",
        invite,
        "Invite a teammate.",
        TAG,
        operation=Operation.AUTH_INVITE,
        body=InviteRequest,
        reply={"invite": IssuedInvite},
        status=201,
        description="The role may not be above the inviter's. `inviteUrl` opens the "
        "accept page; the token in it is valid for 7 days, once.",
        raises=(EmailTaken,),
    ),
    Route(
        "POST",
        "/api/auth/accept-invite",
        accept_invite,
        "Set a password on an invited account and sign in.",
        TAG,
        body=AcceptInvite,
        reply=_SIGNED_IN,
        raises=(InvalidToken,),
    ),
]
