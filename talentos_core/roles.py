"""Roles and the one role table.

Every operation of TalentOS has a name (``"vacancies.create"``) and an entry here saying which
roles may perform it. Services enforce the table through :func:`authorize`; the HTTP adapter
reads the same table to document each route. Edit it here and both follow.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from talentos_core.errors import Forbidden, Unauthenticated

if TYPE_CHECKING:
    from talentos_core.domain.actors import Actor


class Role(enum.StrEnum):
    ADMIN = "admin"
    CHRO = "chro"
    RECRUITER = "recruiter"
    HIRING_MANAGER = "hiring_manager"
    INTERVIEWER = "interviewer"
    AGENCY_ADMIN = "agency_admin"


#: How much a role may delegate: an invite or an API key may not carry a role ranked above the
#: granter's. Only admin and chro can invite or mint keys, so in practice this stops a chro
#: from granting admin; the rest of the order keeps the check total.
ROLE_RANK: dict[Role, int] = {
    Role.ADMIN: 100,
    Role.CHRO: 80,
    Role.RECRUITER: 60,
    Role.HIRING_MANAGER: 40,
    Role.AGENCY_ADMIN: 30,
    Role.INTERVIEWER: 20,
}

ALL_ROLES: frozenset[Role] = frozenset(Role)

_A, _C, _R, _H, _I, _G = (
    Role.ADMIN,
    Role.CHRO,
    Role.RECRUITER,
    Role.HIRING_MANAGER,
    Role.INTERVIEWER,
    Role.AGENCY_ADMIN,
)
_STAFF = frozenset({_A, _C, _R, _H})
_PIPELINE_READ = frozenset({_A, _C, _R, _H, _I})
_PIPELINE_WRITE = frozenset({_A, _C, _R, _H})
_PIPELINE_DELETE = frozenset({_A, _C, _R})
_LEADERSHIP = frozenset({_A, _C})

#: operation name → the roles allowed; ``ALL_ROLES`` means any signed-in role.
ROLE_TABLE: dict[str, frozenset[Role]] = {
    "auth.me": ALL_ROLES,
    "auth.logout": ALL_ROLES,
    "auth.resend_verification": ALL_ROLES,
    "auth.invite": _LEADERSHIP,
    "tenants.read": _STAFF,
    "tenants.update": _LEADERSHIP,
    "team.list": _LEADERSHIP,
    "api_keys.list": _LEADERSHIP,
    "api_keys.create": _LEADERSHIP,
    "api_keys.revoke": _LEADERSHIP,
    "vacancies.list": ALL_ROLES,
    "vacancies.read": ALL_ROLES,
    "vacancies.create": _STAFF,
    "vacancies.update": _STAFF,
    "vacancies.delete": _STAFF,
    "candidates.list": _PIPELINE_READ,
    "candidates.read": _PIPELINE_READ,
    "candidates.update": _PIPELINE_READ,
    "candidates.delete": _PIPELINE_DELETE,
    "candidates.import": _PIPELINE_WRITE,
    "offers.list": _PIPELINE_READ,
    "offers.read": _PIPELINE_READ,
    "offers.create": _PIPELINE_WRITE,
    "offers.update": _PIPELINE_WRITE,
    "offers.delete": _PIPELINE_DELETE,
    "interviews.list": _PIPELINE_READ,
    "interviews.read": _PIPELINE_READ,
    "interviews.create": _PIPELINE_WRITE,
    "interviews.update": _PIPELINE_READ,
    "interviews.delete": _PIPELINE_DELETE,
    "subsidiaries.manage": _LEADERSHIP,
    "agencies.manage": frozenset({_A, _C, _R}),
    "integrations.manage": _LEADERSHIP,
    "ai.use": ALL_ROLES,
    "library.list": ALL_ROLES,
    "library.read": ALL_ROLES,
    "library.create": ALL_ROLES,
    "library.delete": frozenset({_A, _C, _H, _R, _G}),
    "uploads.create": ALL_ROLES,
    "uploads.read": ALL_ROLES,
    "uploads.delete": ALL_ROLES,
    "audit.list": ALL_ROLES,
    "audit.create": ALL_ROLES,
    "audit.export": _LEADERSHIP,
    "audit.spend": _STAFF,
    "insights.read": _PIPELINE_READ,
    "account.export": _LEADERSHIP,
    "account.delete": frozenset({_A}),
    "webhooks.list": _LEADERSHIP,
    "webhooks.create": _LEADERSHIP,
    "webhooks.delete": _LEADERSHIP,
}


def allowed_roles(operation: str) -> frozenset[Role]:
    """The roles that may perform ``operation``; unknown operations are a programming error."""
    return ROLE_TABLE[operation]


def authorize(actor: Actor, operation: str) -> None:
    """Raise :class:`Forbidden` unless ``actor``'s role may perform ``operation``.

    An actor with no tenant (an anonymous caller) is :class:`Unauthenticated` instead.
    """
    if actor.tenant_id is None or actor.role is None:
        raise Unauthenticated()
    if actor.role not in ROLE_TABLE[operation]:
        raise Forbidden()


def may_grant(granter: Role, granted: Role) -> bool:
    """Whether a holder of ``granter`` may give ``granted`` to someone (invite, API key)."""
    return ROLE_RANK[granted] <= ROLE_RANK[granter]
