"""Users, their sessions and invitations."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from talentos_core.domain.rules import EMAIL, Length, choice, field
from talentos_core.roles import Role

SESSION_LIFETIME = timedelta(days=14)
INVITE_LIFETIME = timedelta(days=7)
PASSWORD_RULE = Length(10, 256)


class UserStatus(enum.StrEnum):
    ACTIVE = "active"
    INVITED = "invited"


def normalize_email(email: str) -> str:
    """Emails are unique and compared case-insensitively, ignoring surrounding space."""
    return email.strip().lower()


@attrs.frozen
class User:
    id: str
    tenant_id: str
    email: str
    name: str
    role: Role
    created_at: datetime
    password_hash: str | None = attrs.field(default=None, repr=False, metadata={"secret": True})
    email_verified: bool = False
    status: UserStatus = UserStatus.ACTIVE
    updated_at: datetime | None = None


@attrs.frozen
class Session:
    """A signed-in browser. Only the SHA-256 of the cookie value is kept."""

    token_hash: str
    user_id: str
    tenant_id: str
    created_at: datetime
    expires_at: datetime


@attrs.frozen
class Invite:
    """A one-time invitation to set a password on an invited user."""

    token_hash: str
    user_id: str
    tenant_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@attrs.frozen
class Signup:
    company_name: str = field(Length(1, 200))
    admin_name: str = field(Length(1, 200))
    admin_email: str = field(EMAIL, Length(3, 254))
    password: str = field(PASSWORD_RULE, secret=True)


@attrs.frozen
class Credentials:
    email: str = field(Length(1, 254))
    password: str = field(Length(1, 1024), secret=True)


@attrs.frozen
class InviteRequest:
    email: str = field(EMAIL, Length(3, 254))
    name: str = field(Length(1, 200))
    role: Role = choice(Role, default=Role.RECRUITER)


@attrs.frozen
class AcceptInvite:
    token: str = field(Length(1, 256), secret=True)
    password: str = field(PASSWORD_RULE, secret=True)
