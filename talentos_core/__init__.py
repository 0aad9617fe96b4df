"""TalentOS: an embeddable applicant-tracking core.

Build the services with :class:`TalentOS` and call them with an explicit :class:`Actor`::

    from talentos_core import Actor, Settings, Signup, TalentOS

    with TalentOS.open(Settings(db=":memory:")) as talentos:
        signed_in = talentos.auth.signup(Actor.public(), Signup(...))

Tenancy and roles are enforced here, in the services, whoever calls them.
"""

from talentos_core.bootstrap import TalentOS
from talentos_core.domain.actors import Actor, ActorType, Origin
from talentos_core.domain.api_keys import ApiKey, NewApiKey
from talentos_core.domain.audit import AuditEvent, AuditFilter, ClientEvent
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import UNSET
from talentos_core.domain.tenants import Tenant, TenantPatch
from talentos_core.domain.users import AcceptInvite, Credentials, InviteRequest, Signup, User
from talentos_core.domain.vacancies import (
    CareersFilter,
    EmploymentType,
    Level,
    NewVacancy,
    Vacancy,
    VacancyFilter,
    VacancyPatch,
    VacancyStatus,
)
from talentos_core.errors import (
    BadRequest,
    Conflict,
    EmailTaken,
    Forbidden,
    InUse,
    InvalidCredentials,
    InvalidToken,
    NotFound,
    RateLimited,
    TalentOSError,
    Unauthenticated,
    ValidationError,
)
from talentos_core.roles import Role
from talentos_core.settings import Settings
from talentos_core.version import VERSION

__all__ = [
    "UNSET",
    "VERSION",
    "AcceptInvite",
    "Actor",
    "ActorType",
    "ApiKey",
    "AuditEvent",
    "AuditFilter",
    "BadRequest",
    "CareersFilter",
    "ClientEvent",
    "Conflict",
    "Credentials",
    "EmailTaken",
    "EmploymentType",
    "Forbidden",
    "InUse",
    "InvalidCredentials",
    "InvalidToken",
    "InviteRequest",
    "Level",
    "NewApiKey",
    "NewVacancy",
    "NotFound",
    "Origin",
    "Page",
    "PageRequest",
    "RateLimited",
    "Role",
    "Settings",
    "Signup",
    "TalentOS",
    "TalentOSError",
    "Tenant",
    "TenantPatch",
    "Unauthenticated",
    "User",
    "Vacancy",
    "VacancyFilter",
    "VacancyPatch",
    "VacancyStatus",
    "ValidationError",
]
