"""TalentOS: an embeddable applicant-tracking core.

Build the services with :class:`TalentOS` and call them with an explicit :class:`Actor`::

    from talentos_core import Actor, Settings, Signup, TalentOS

    with TalentOS.open(Settings(db=":memory:")) as talentos:
        signed_in = talentos.auth.signup(Actor.public(), Signup(...))

Tenancy and roles are enforced here, in the services, whoever calls them.
"""

from talentos_core.bootstrap import TalentOS
from talentos_core.domain.actors import Actor, ActorType, Origin
from talentos_core.domain.agencies import Agency, AgencyPatch, AgencyStatus, NewAgency
from talentos_core.domain.api_keys import ApiKey, NewApiKey
from talentos_core.domain.audit import AuditEvent, AuditFilter, ClientEvent
from talentos_core.domain.candidates import (
    Application,
    ApplyResult,
    Candidate,
    CandidateFilter,
    CandidatePatch,
    ImportResult,
    ImportRow,
    RowError,
    Source,
    Stage,
)
from talentos_core.domain.integrations import Integration, IntegrationPatch, NewIntegration
from talentos_core.domain.interviews import (
    Interview,
    InterviewFilter,
    InterviewKind,
    InterviewPatch,
    InterviewStatus,
    NewInterview,
    NewScorecard,
    Recommendation,
    Scorecard,
)
from talentos_core.domain.offers import NewOffer, Offer, OfferFilter, OfferPatch, OfferStatus
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.rules import UNSET
from talentos_core.domain.subsidiaries import NewSubsidiary, Subsidiary, SubsidiaryPatch
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
    InvalidTransition,
    NotFound,
    RateLimited,
    TalentOSError,
    TooManyRows,
    Unauthenticated,
    Unavailable,
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
    "Agency",
    "AgencyPatch",
    "AgencyStatus",
    "ApiKey",
    "Application",
    "ApplyResult",
    "AuditEvent",
    "AuditFilter",
    "BadRequest",
    "Candidate",
    "CandidateFilter",
    "CandidatePatch",
    "CareersFilter",
    "ClientEvent",
    "Conflict",
    "Credentials",
    "EmailTaken",
    "EmploymentType",
    "Forbidden",
    "ImportResult",
    "ImportRow",
    "InUse",
    "Integration",
    "IntegrationPatch",
    "Interview",
    "InterviewFilter",
    "InterviewKind",
    "InterviewPatch",
    "InterviewStatus",
    "InvalidCredentials",
    "InvalidToken",
    "InvalidTransition",
    "InviteRequest",
    "Level",
    "NewAgency",
    "NewApiKey",
    "NewIntegration",
    "NewInterview",
    "NewOffer",
    "NewScorecard",
    "NewSubsidiary",
    "NewVacancy",
    "NotFound",
    "Offer",
    "OfferFilter",
    "OfferPatch",
    "OfferStatus",
    "Origin",
    "Page",
    "PageRequest",
    "RateLimited",
    "Recommendation",
    "Role",
    "RowError",
    "Scorecard",
    "Settings",
    "Signup",
    "Source",
    "Stage",
    "Subsidiary",
    "SubsidiaryPatch",
    "TalentOS",
    "TalentOSError",
    "Tenant",
    "TenantPatch",
    "TooManyRows",
    "Unauthenticated",
    "Unavailable",
    "User",
    "Vacancy",
    "VacancyFilter",
    "VacancyPatch",
    "VacancyStatus",
    "ValidationError",
]
