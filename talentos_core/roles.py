"""Roles and the one role table.

Every operation of TalentOS is a member of :class:`Operation`, declared once here with its name
(``"vacancies.create"``) and the roles that may perform it. Services enforce it through
:func:`authorize`; HTTP routes name the same member, so the route's early check, the service's
check and the documented ``x-roles`` cannot drift apart. Edit it here and all follow.
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


class Operation(enum.StrEnum):
    """Every operation of TalentOS, declared once with the roles that may perform it.

    Services pass the member to :func:`authorize`; HTTP routes name the same member, and the
    OpenAPI document reads :attr:`roles` for ``x-roles``. The value is the operation's public
    name (``"vacancies.create"``).
    """

    roles: frozenset[Role]

    def __new__(cls, name: str, roles: frozenset[Role]) -> Operation:
        member = str.__new__(cls, name)
        member._value_ = name
        member.roles = roles
        return member

    AUTH_ME = "auth.me", ALL_ROLES
    AUTH_LOGOUT = "auth.logout", ALL_ROLES
    AUTH_RESEND_VERIFICATION = "auth.resend_verification", ALL_ROLES
    AUTH_INVITE = "auth.invite", _LEADERSHIP
    TENANTS_READ = "tenants.read", _STAFF
    TENANTS_UPDATE = "tenants.update", _LEADERSHIP
    TEAM_LIST = "team.list", _LEADERSHIP
    API_KEYS_LIST = "api_keys.list", _LEADERSHIP
    API_KEYS_CREATE = "api_keys.create", _LEADERSHIP
    API_KEYS_REVOKE = "api_keys.revoke", _LEADERSHIP
    VACANCIES_LIST = "vacancies.list", ALL_ROLES
    VACANCIES_READ = "vacancies.read", ALL_ROLES
    VACANCIES_CREATE = "vacancies.create", _STAFF
    VACANCIES_UPDATE = "vacancies.update", _STAFF
    VACANCIES_DELETE = "vacancies.delete", _STAFF
    CANDIDATES_LIST = "candidates.list", _PIPELINE_READ
    CANDIDATES_READ = "candidates.read", _PIPELINE_READ
    CANDIDATES_UPDATE = "candidates.update", _PIPELINE_READ
    CANDIDATES_DELETE = "candidates.delete", _PIPELINE_DELETE
    CANDIDATES_IMPORT = "candidates.import", _PIPELINE_WRITE
    OFFERS_LIST = "offers.list", _PIPELINE_READ
    OFFERS_READ = "offers.read", _PIPELINE_READ
    OFFERS_CREATE = "offers.create", _PIPELINE_WRITE
    OFFERS_UPDATE = "offers.update", _PIPELINE_WRITE
    OFFERS_DELETE = "offers.delete", _PIPELINE_DELETE
    INTERVIEWS_LIST = "interviews.list", _PIPELINE_READ
    INTERVIEWS_READ = "interviews.read", _PIPELINE_READ
    INTERVIEWS_CREATE = "interviews.create", _PIPELINE_WRITE
    INTERVIEWS_UPDATE = "interviews.update", _PIPELINE_READ
    INTERVIEWS_DELETE = "interviews.delete", _PIPELINE_DELETE
    SUBSIDIARIES_MANAGE = "subsidiaries.manage", _LEADERSHIP
    AGENCIES_MANAGE = "agencies.manage", frozenset({_A, _C, _R})
    INTEGRATIONS_MANAGE = "integrations.manage", _LEADERSHIP
    AI_USE = "ai.use", ALL_ROLES
    LIBRARY_LIST = "library.list", ALL_ROLES
    LIBRARY_READ = "library.read", ALL_ROLES
    LIBRARY_CREATE = "library.create", ALL_ROLES
    LIBRARY_DELETE = "library.delete", frozenset({_A, _C, _H, _R, _G})
    UPLOADS_CREATE = "uploads.create", ALL_ROLES
    UPLOADS_READ = "uploads.read", ALL_ROLES
    UPLOADS_DELETE = "uploads.delete", ALL_ROLES
    AUDIT_LIST = "audit.list", ALL_ROLES
    AUDIT_CREATE = "audit.create", ALL_ROLES
    AUDIT_EXPORT = "audit.export", _LEADERSHIP
    AUDIT_SPEND = "audit.spend", _STAFF
    INSIGHTS_READ = "insights.read", _PIPELINE_READ
    ACCOUNT_EXPORT = "account.export", _LEADERSHIP
    ACCOUNT_DELETE = "account.delete", frozenset({_A})
    WEBHOOKS_LIST = "webhooks.list", _LEADERSHIP
    WEBHOOKS_CREATE = "webhooks.create", _LEADERSHIP
    WEBHOOKS_DELETE = "webhooks.delete", _LEADERSHIP


#: The role table as a mapping: operation → the roles allowed (``ALL_ROLES`` = any signed-in
#: role). Derived from :class:`Operation`, never edited by hand.
ROLE_TABLE: dict[Operation, frozenset[Role]] = {op: op.roles for op in Operation}


def allowed_roles(operation: Operation) -> frozenset[Role]:
    """The roles that may perform ``operation``."""
    return operation.roles


def authorize(actor: Actor, operation: Operation) -> None:
    """Raise :class:`Forbidden` unless ``actor``'s role may perform ``operation``.

    An actor with no tenant (an anonymous caller) is :class:`Unauthenticated` instead.
    """
    if actor.tenant_id is None or actor.role is None:
        raise Unauthenticated()
    if actor.role not in operation.roles:
        raise Forbidden()


def may_grant(granter: Role, granted: Role) -> bool:
    """Whether a holder of ``granter`` may give ``granted`` to someone (invite, API key)."""
    return ROLE_RANK[granted] <= ROLE_RANK[granter]
