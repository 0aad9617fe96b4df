"""Subsidiaries, agencies and integrations: the same five routes each."""

from __future__ import annotations

from talentos_core.domain.agencies import Agency, AgencyPatch, NewAgency
from talentos_core.domain.integrations import Integration, IntegrationPatch, NewIntegration
from talentos_core.domain.subsidiaries import NewSubsidiary, Subsidiary, SubsidiaryPatch
from talentos_core.errors import InUse
from talentos_core.roles import Operation
from talentos_http.resources.records import Records

TAG = "Subsidiaries, agencies, integrations"

SUBSIDIARIES = Records(
    "/api/subsidiaries",
    TAG,
    "subsidiaries",
    "subsidiary",
    "subsidiaries",
    Subsidiary,
    NewSubsidiary,
    SubsidiaryPatch,
    Operation.SUBSIDIARIES_MANAGE,
    delete_raises=(InUse,),
    notes="A subsidiary a vacancy belongs to cannot be deleted (409 `in_use`).",
)
AGENCIES = Records(
    "/api/agencies",
    TAG,
    "agencies",
    "agency",
    "agencies",
    Agency,
    NewAgency,
    AgencyPatch,
    Operation.AGENCIES_MANAGE,
    delete_raises=(InUse,),
    notes="An agency a candidate came through cannot be deleted (409 `in_use`).",
)
INTEGRATIONS = Records(
    "/api/integrations",
    TAG,
    "integrations",
    "integration",
    "integrations",
    Integration,
    NewIntegration,
    IntegrationPatch,
    Operation.INTEGRATIONS_MANAGE,
    notes="Config values under keys containing secret, token, password or key (any case) "
    "are write-only: reads show `••••`, and sending `••••` back keeps the stored value.",
)

ROUTES = [*SUBSIDIARIES.routes(), *AGENCIES.routes(), *INTEGRATIONS.routes()]
