"""The routes of the API, one module per area; :data:`ROUTES` is all of them in doc order."""

from talentos_http.resources import (
    api_keys,
    audit,
    auth,
    candidates,
    careers,
    docs,
    health,
    interviews,
    offers,
    organisation,
    tenants,
    vacancies,
)
from talentos_http.routing import Route

ROUTES: list[Route] = [
    *auth.ROUTES,
    *tenants.ROUTES,
    *api_keys.ROUTES,
    *vacancies.ROUTES,
    *careers.ROUTES,
    *candidates.ROUTES,
    *offers.ROUTES,
    *interviews.ROUTES,
    *organisation.ROUTES,
    *audit.ROUTES,
    *health.ROUTES,
    *docs.ROUTES,
]
