"""Every route of ``talentos_http.resources.ROUTES``, walked from one table of example requests.

The table below says, for each route, how to build a valid request and what it answers. The
tests derive everything else from ``ROUTES`` and ``ROLE_TABLE``: reachability and response
shape (CONTRACT §3), the role-by-route matrix for cookies and API keys (SECURITY-TESTS 26, §5),
no credential → 401, cross-tenant ids in paths and bodies (SECURITY-TESTS 24), and read-only
fields refused by name (SECURITY-TESTS 27). A route added to ``ROUTES`` without an entry here
fails :class:`TestTheRequestTable`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs
import falcon.testing
import pytest

from talentos_core import TalentOS
from talentos_core.domain.actors import Actor
from talentos_core.domain.agencies import NewAgency
from talentos_core.domain.api_keys import NewApiKey
from talentos_core.domain.audit import AuditFilter
from talentos_core.domain.candidates import Application, CandidateFilter
from talentos_core.domain.integrations import NewIntegration
from talentos_core.domain.interviews import InterviewFilter, NewInterview
from talentos_core.domain.offers import NewOffer, OfferFilter
from talentos_core.domain.paging import PageRequest
from talentos_core.domain.subsidiaries import NewSubsidiary
from talentos_core.domain.users import InviteRequest
from talentos_core.domain.vacancies import NewVacancy, VacancyFilter, VacancyStatus
from talentos_core.roles import ROLE_TABLE, Role
from talentos_core.testing import DEFAULT_PASSWORD
from talentos_http.resources import ROUTES, organisation
from talentos_http.resources.records import Records
from talentos_http.routing import Route
from talentos_http.schema import camel

PAGE = frozenset({"total", "limit", "offset"})


@attrs.frozen
class Req:
    """An example request for one route, and what a permitted caller gets back."""

    status: int
    keys: frozenset[str] = frozenset()
    path_params: dict[str, str] = attrs.Factory(dict)
    json: Any = None
    params: dict[str, str] | None = None
    #: ``None``: the `{"ok": true, ...}` envelope; otherwise the response's media type.
    media: str | None = None


@attrs.frozen
class Prep:
    """What a request builder may use to set up its ids: the tenant's admin, through the core."""

    api: Any
    account: Any

    @property
    def talentos(self) -> TalentOS:
        result: TalentOS = self.api.talentos
        return result

    def vacancy(self, status: VacancyStatus = VacancyStatus.OPEN) -> str:
        form = NewVacancy(self.api.unique("Teller "), status=status)
        return self.talentos.vacancies.create(self.account.actor, form).id

    def key(self) -> str:
        return self.talentos.api_keys.mint(self.account.actor, NewApiKey("spare")).key.id

    def invite_token(self) -> str:
        form = InviteRequest(self.email(), "Invitee", Role.INTERVIEWER)
        issued = self.talentos.auth.invite(self.account.actor, form)
        return issued.invite_url.rsplit("token=", 1)[1]

    def subsidiary(self) -> str:
        form = NewSubsidiary(self.api.unique("Lagos "))
        return self.talentos.subsidiaries.create(self.account.actor, form).id

    def agency(self) -> str:
        form = NewAgency(self.api.unique("Hunters "))
        return self.talentos.agencies.create(self.account.actor, form).id

    def integration(self) -> str:
        form = NewIntegration("slack", self.api.unique("Slack "), config={"apiKey": "s3cret"})
        return self.talentos.integrations.create(self.account.actor, form).id

    def candidate(self, vacancy_id: str | None = None) -> str:
        form = Application(vacancy_id or self.vacancy(), "Kwame Mensah", self.email())
        return self.talentos.candidates.apply(Actor.public(), form).candidate.id

    def pair(self) -> tuple[str, str]:
        """A candidate and their vacancy."""
        vacancy_id = self.vacancy()
        return self.candidate(vacancy_id), vacancy_id

    def offer(self) -> str:
        candidate_id, vacancy_id = self.pair()
        form = NewOffer(candidate_id, vacancy_id, 80_000, "USD")
        return self.talentos.offers.create(self.account.actor, form).id

    def interview(self) -> str:
        candidate_id, vacancy_id = self.pair()
        form = NewInterview(candidate_id, vacancy_id, datetime(2026, 6, 1, 14, tzinfo=UTC))
        return self.talentos.interviews.schedule(self.account.actor, form).id

    def email(self) -> str:
        return f"{self.api.unique('person')}@people.example"


def _keys(*names: str) -> frozenset[str]:
    return frozenset(names)


def _new_offer(p: Prep, candidate_id: str, vacancy_id: str) -> Req:
    body = {"candidateId": candidate_id, "vacancyId": vacancy_id, "baseSalary": 80_000}
    return Req(201, _keys("offer"), json={**body, "currency": "USD"})


def _new_interview(p: Prep, candidate_id: str, vacancy_id: str) -> Req:
    body = {"candidateId": candidate_id, "vacancyId": vacancy_id, "kind": "video"}
    return Req(201, _keys("interview"), json={**body, "scheduledAt": "2026-06-01T14:00:00Z"})


def _record_builders(
    records: Records, make: Callable[[Prep], str]
) -> dict[tuple[str, str], Callable[[Prep], Req]]:
    """The five example requests of a kind of record (name is the one field all require)."""
    one = f"{records.path}/{{{records.one}_id}}"
    name = {"name": "Northwind"}
    new = {**name, "provider": "slack"} if records is organisation.INTEGRATIONS else name
    return {
        ("GET", records.path): lambda p: Req(200, _keys(records.many) | PAGE),
        ("POST", records.path): lambda p: Req(201, _keys(records.one), json=new),
        ("GET", one): lambda p: Req(
            200, _keys(records.one), path_params={f"{records.one}_id": make(p)}
        ),
        ("PATCH", one): lambda p: Req(
            200, _keys(records.one), path_params={f"{records.one}_id": make(p)}, json=name
        ),
        ("DELETE", one): lambda p: Req(200, path_params={f"{records.one}_id": make(p)}),
    }


#: (method, path) → an example request. Every route in ROUTES must have one.
BUILDERS: dict[tuple[str, str], Callable[[Prep], Req]] = {
    ("POST", "/api/auth/signup"): lambda p: Req(
        201,
        _keys("tenant", "user"),
        json={
            "companyName": p.api.unique("Initech "),
            "adminName": "Founder",
            "adminEmail": p.email(),
            "password": DEFAULT_PASSWORD,
        },
    ),
    ("POST", "/api/auth/login"): lambda p: Req(
        200, _keys("tenant", "user"), json={"email": p.account.email, "password": DEFAULT_PASSWORD}
    ),
    ("POST", "/api/auth/logout"): lambda p: Req(200),
    ("GET", "/api/auth/me"): lambda p: Req(200, _keys("user")),
    ("POST", "/api/auth/invite"): lambda p: Req(
        201, _keys("invite"), json={"email": p.email(), "name": "Invitee", "role": "interviewer"}
    ),
    ("POST", "/api/auth/accept-invite"): lambda p: Req(
        200, _keys("tenant", "user"), json={"token": p.invite_token(), "password": DEFAULT_PASSWORD}
    ),
    ("GET", "/api/tenants/me"): lambda p: Req(200, _keys("tenant")),
    ("PATCH", "/api/tenants/me"): lambda p: Req(
        200, _keys("tenant"), json={"tagline": "We hire kind people."}
    ),
    ("GET", "/api/team"): lambda p: Req(200, _keys("users") | PAGE),
    ("GET", "/api/tenants/me/api-keys"): lambda p: Req(200, _keys("keys") | PAGE),
    ("POST", "/api/tenants/me/api-keys"): lambda p: Req(
        201, _keys("key", "rawToken"), json={"name": "ci", "role": "interviewer"}
    ),
    ("DELETE", "/api/tenants/me/api-keys/{key_id}"): lambda p: Req(
        200, path_params={"key_id": p.key()}
    ),
    ("GET", "/api/vacancies"): lambda p: Req(200, _keys("vacancies") | PAGE),
    ("POST", "/api/vacancies"): lambda p: Req(201, _keys("vacancy"), json={"title": "Teller"}),
    ("GET", "/api/vacancies/{vacancy_id}"): lambda p: Req(
        200, _keys("vacancy"), path_params={"vacancy_id": p.vacancy()}
    ),
    ("PATCH", "/api/vacancies/{vacancy_id}"): lambda p: Req(
        200,
        _keys("vacancy"),
        path_params={"vacancy_id": p.vacancy()},
        json={"title": "Head Teller"},
    ),
    ("DELETE", "/api/vacancies/{vacancy_id}"): lambda p: Req(
        200, path_params={"vacancy_id": p.vacancy()}
    ),
    ("GET", "/api/careers/vacancies"): lambda p: Req(200, _keys("vacancies") | PAGE),
    ("GET", "/api/careers/vacancies/{vacancy_id}"): lambda p: Req(
        200, _keys("vacancy"), path_params={"vacancy_id": p.vacancy()}
    ),
    ("POST", "/api/careers/apply"): lambda p: Req(
        201,
        _keys("candidate"),
        json={"vacancyId": p.vacancy(), "name": "Kwame M.", "email": p.email(), "experience": 7},
    ),
    ("GET", "/api/candidates"): lambda p: Req(200, _keys("candidates") | PAGE),
    ("POST", "/api/candidates/import"): lambda p: Req(
        200,
        _keys("total", "created", "updated", "skipped", "errors"),
        json={"rows": [{"vacancyId": p.vacancy(), "name": "Ama", "email": p.email()}]},
    ),
    ("GET", "/api/candidates/{candidate_id}"): lambda p: Req(
        200, _keys("candidate"), path_params={"candidate_id": p.candidate()}
    ),
    ("PATCH", "/api/candidates/{candidate_id}"): lambda p: Req(
        200,
        _keys("candidate"),
        path_params={"candidate_id": p.candidate()},
        json={"stage": "screening"},
    ),
    ("DELETE", "/api/candidates/{candidate_id}"): lambda p: Req(
        200, path_params={"candidate_id": p.candidate()}
    ),
    ("GET", "/api/offers"): lambda p: Req(200, _keys("offers") | PAGE),
    ("POST", "/api/offers"): lambda p: _new_offer(p, *p.pair()),
    ("GET", "/api/offers/{offer_id}"): lambda p: Req(
        200, _keys("offer"), path_params={"offer_id": p.offer()}
    ),
    ("PATCH", "/api/offers/{offer_id}"): lambda p: Req(
        200, _keys("offer"), path_params={"offer_id": p.offer()}, json={"baseSalary": 90_000}
    ),
    ("DELETE", "/api/offers/{offer_id}"): lambda p: Req(200, path_params={"offer_id": p.offer()}),
    ("GET", "/api/interviews"): lambda p: Req(200, _keys("interviews") | PAGE),
    ("POST", "/api/interviews"): lambda p: _new_interview(p, *p.pair()),
    ("GET", "/api/interviews/{interview_id}"): lambda p: Req(
        200, _keys("interview"), path_params={"interview_id": p.interview()}
    ),
    # What an interviewer may do too: file a scorecard.
    ("PATCH", "/api/interviews/{interview_id}"): lambda p: Req(
        200,
        _keys("interview"),
        path_params={"interview_id": p.interview()},
        json={"addScorecard": {"interviewer": "Jane", "score": 80, "recommendation": "hire"}},
    ),
    ("DELETE", "/api/interviews/{interview_id}"): lambda p: Req(
        200, path_params={"interview_id": p.interview()}
    ),
    **{
        key: builder
        for records, make in (
            (organisation.SUBSIDIARIES, Prep.subsidiary),
            (organisation.AGENCIES, Prep.agency),
            (organisation.INTEGRATIONS, Prep.integration),
        )
        for key, builder in _record_builders(records, make).items()
    },
    ("GET", "/api/audit"): lambda p: Req(200, _keys("events") | PAGE),
    ("POST", "/api/audit"): lambda p: Req(
        201, _keys("event"), json={"type": "note.added", "summary": "Called the candidate"}
    ),
    ("GET", "/api/audit/export"): lambda p: Req(200, media="text/csv"),
    ("GET", "/api/health"): lambda p: Req(
        200, _keys("version", "storage", "ai", "integrations", "audit", "webhooks")
    ),
    ("GET", "/api/openapi.json"): lambda p: Req(200, media="application/json"),
    ("GET", "/docs"): lambda p: Req(200, media="text/html"),
    ("GET", "/accept-invite"): lambda p: Req(200, media="text/html", params={"token": "x"}),
}


def route_id(route: Route) -> str:
    return f"{route.method} {route.path}"


def build(route: Route, prep: Prep) -> Req:
    builder = BUILDERS.get((route.method, route.path))
    if builder is None:
        pytest.fail(f"{route_id(route)} has no example request in BUILDERS")
    return builder(prep)


def send(
    api: Any,
    route: Route,
    req: Req,
    headers: dict[str, str] | None = None,
    path_params: dict[str, str] | None = None,
) -> falcon.testing.Result:
    path = route.path.format(**(path_params if path_params is not None else req.path_params))
    return api.request(route.method, path, json=req.json, params=req.params, headers=headers)


PROTECTED = [route for route in ROUTES if not route.public]
PUBLIC = [route for route in ROUTES if route.public]
ID_ROUTES = [route for route in PROTECTED if "{" in route.path]
BODY_ROUTES = [route for route in ROUTES if route.body is not None]


class TestTheRequestTable:
    """The example table keeps up with the app: no route can be left out of these tests."""

    def test_every_route_has_exactly_one_example_request(self) -> None:
        """The table's (method, path) pairs are exactly those of ROUTES."""
        assert {(route.method, route.path) for route in ROUTES} == set(BUILDERS)

    def test_every_protected_route_names_an_operation_of_the_role_table(self) -> None:
        """Every non-public route is guarded by an operation the role table knows."""
        assert [r.operation for r in PROTECTED if r.operation not in ROLE_TABLE] == []


class TestEveryRouteAnswers:
    """Each route answers its example with the contract's status and keys (CONTRACT §3)."""

    @pytest.mark.parametrize("route", ROUTES, ids=route_id)
    def test_the_admin_gets_the_documented_shape(self, api: Any, acme: Any, route: Route) -> None:
        """A permitted caller gets the success status the route documents (201 for a POST that
        creates) and exactly the reference's keys."""
        req = build(route, Prep(api, acme))
        result = send(api, route, req, None if route.public else acme.headers)
        assert (result.status_code, route.status) == (req.status, req.status), result.text
        if req.media is None:
            body = result.json
            assert body["ok"] is True
            assert set(body) - {"ok"} == req.keys
        else:
            assert result.headers["content-type"].split(";")[0] == req.media

    def test_invite_answers_an_invite_url(self, api: Any, acme: Any) -> None:
        """POST /api/auth/invite answers `invite.inviteUrl` leading to the accept page."""
        result = api.client.simulate_post(
            "/api/auth/invite",
            headers=acme.headers,
            json={"email": "new@acme.example", "name": "New", "role": "recruiter"},
        )
        assert result.status_code == 201
        assert re.search(r"/accept-invite\?token=[0-9a-f]{64}$", result.json["invite"]["inviteUrl"])

    def test_minting_answers_the_raw_token_once(self, api: Any, acme: Any) -> None:
        """POST api-keys answers `key` and a `rawToken` of tk_ + 64 hex."""
        result = api.client.simulate_post(
            "/api/tenants/me/api-keys", headers=acme.headers, json={"name": "ci"}
        )
        assert re.fullmatch(r"tk_[0-9a-f]{64}", result.json["rawToken"])
        assert result.json["key"]["tokenPrefix"] == result.json["rawToken"][:11]
        assert "keyHash" not in result.json["key"]

    def test_health_has_the_contract_shape(self, api: Any, backend: str) -> None:
        """GET /api/health answers every block the contract lists."""
        body = api.client.simulate_get("/api/health").json
        assert body["ok"] is True
        assert set(body["storage"]) == {"backend", "ok", "latencyMs"}
        assert body["storage"]["backend"] == backend
        assert set(body["ai"]) == {"live", "model"}
        assert set(body["integrations"]) == {"mail", "blob"}
        assert set(body["audit"]) == {"events"}
        assert set(body["webhooks"]) == {"pending", "dead"}

    def test_audit_export_is_csv_with_the_contract_columns(self, api: Any, acme: Any) -> None:
        """GET /api/audit/export streams CSV whose header is the contract's 17 columns."""
        result = api.client.simulate_get("/api/audit/export", headers=acme.headers)
        assert result.text.splitlines()[0] == (
            "id,ts,tenant_id,type,actor_type,actor_id,actor_email,actor_role,entity_type,"
            "entity_id,summary,ip,user_agent,request_id,cost_usd,prev_hash,hash"
        )
        assert "attachment" in result.headers["content-disposition"]


def _allowed(route: Route, role: Role) -> bool:
    assert route.operation is not None
    return role in ROLE_TABLE[route.operation]


class TestFunctionLevelAuthorization:
    """Role by route: a caller is answered 403 exactly when the role table says no (§5)."""

    @pytest.mark.parametrize("route", PROTECTED, ids=route_id)
    def test_a_cookie_of_each_role_gets_exactly_what_the_role_table_allows(
        self, api: Any, acme: Any, route: Route
    ) -> None:
        """A signed-in user of each role gets the success status if the role table allows the
        route's operation and 403 forbidden otherwise."""
        expected, answered = {}, {}
        for role in Role:
            headers = api.credential(acme, role, "cookie")
            req = build(route, Prep(api, acme))
            result = send(api, route, req, headers)
            expected[role.value] = (
                (req.status, None) if _allowed(route, role) else (403, "forbidden")
            )
            code = result.json["error"]["code"] if result.status_code >= 400 else None
            answered[role.value] = (result.status_code, code)
        assert answered == expected

    @pytest.mark.parametrize("role", list(Role), ids=str)
    def test_an_api_key_of_each_role_behaves_like_a_cookie(
        self, api: Any, acme: Any, role: Role
    ) -> None:
        """A Bearer key minted with a role gets the same answer as that role's cookie, route by
        route."""
        headers = api.credential(acme, role, "bearer")
        wrong = []
        for route in PROTECTED:
            req = build(route, Prep(api, acme))
            result = send(api, route, req, headers)
            expected = req.status if _allowed(route, role) else 403
            if result.status_code != expected:
                wrong.append((route_id(route), expected, result.status_code))
        assert wrong == []

    @pytest.mark.parametrize("route", PROTECTED, ids=route_id)
    def test_no_credential_is_401_on_every_protected_route(
        self, api: Any, acme: Any, route: Route
    ) -> None:
        """Without a cookie or key every non-public route answers 401 unauthenticated."""
        req = build(route, Prep(api, acme))
        api.assert_error(send(api, route, req), 401, "unauthenticated")

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer tk_" + "0" * 64,
            "Bearer nonsense",
            "Basic YTpi",
            "Bearer ",
        ],
    )
    def test_a_bad_authorization_header_is_401(self, api: Any, header: str) -> None:
        """An unknown, malformed or non-Bearer Authorization header is 401."""
        result = api.client.simulate_get("/api/vacancies", headers={"Authorization": header})
        api.assert_error(result, 401, "unauthenticated")

    def test_an_unknown_session_cookie_is_401(self, api: Any) -> None:
        """A cookie value the server never issued is 401."""
        result = api.client.simulate_get("/api/auth/me", headers=api.cookie_header("f" * 64))
        api.assert_error(result, 401, "unauthenticated")

    @pytest.mark.parametrize("route", PUBLIC, ids=route_id)
    def test_public_routes_need_no_credential(self, api: Any, acme: Any, route: Route) -> None:
        """A public route answers its success status to an anonymous caller."""
        req = build(route, Prep(api, acme))
        assert send(api, route, req).status_code == req.status


# -- tenant isolation ------------------------------------------------------------------------

#: Path parameter → how another tenant comes to own such an id.
OWNED: dict[str, Callable[[Prep], str]] = {
    "key_id": Prep.key,
    "vacancy_id": Prep.vacancy,
    "candidate_id": Prep.candidate,
    "offer_id": Prep.offer,
    "interview_id": Prep.interview,
    "subsidiary_id": Prep.subsidiary,
    "agency_id": Prep.agency,
    "integration_id": Prep.integration,
}


#: Body id field → how another tenant comes to own such an id. Uploads arrive with the files
#: issue; until then no upload id is anyone's, and a made-up one must still be a 404.
BODY_OWNED: dict[str, Callable[[Prep], str]] = {
    "vacancyId": Prep.vacancy,
    "candidateId": Prep.candidate,
    "subsidiaryId": Prep.subsidiary,
    "agencyId": Prep.agency,
    "resumeUploadId": lambda p: p.api.unique("upl_nobodys"),
}
BODY_IDS = [
    (route, camel(a.name))
    for route in BODY_ROUTES
    for a in attrs.fields(route.body)
    if camel(a.name) in BODY_OWNED and not route.public
]


def _body_id(value: Any) -> str:
    return route_id(value) if isinstance(value, Route) else str(value)


def _snapshot(talentos: TalentOS, tenant_id: str) -> Any:
    """Everything a tenant has, read through the core."""
    reader = talentos.store.reader()
    page = PageRequest(limit=200)
    return (
        reader.tenants.get(tenant_id),
        reader.users.list(tenant_id, page),
        reader.api_keys.list(tenant_id, page),
        reader.vacancies.list(tenant_id, VacancyFilter(), page),
        reader.candidates.list(tenant_id, CandidateFilter(), page),
        reader.offers.list(tenant_id, OfferFilter(), page),
        reader.interviews.list(tenant_id, InterviewFilter(), page),
        reader.subsidiaries.list(tenant_id, page),
        reader.agencies.list(tenant_id, page),
        reader.integrations.list(tenant_id, page),
        reader.audit.list(tenant_id, AuditFilter(), page),
    )


def _nonexistent(owned_id: str) -> str:
    prefix = owned_id.split("_", 1)[0]
    return f"{prefix}_{'z' * 20}"


class TestObjectLevelAuthorization:
    """Another tenant's id is a 404 indistinguishable from a missing one (SECURITY-TESTS 24)."""

    def test_every_id_route_has_an_owner_maker(self) -> None:
        """Each path parameter of ROUTES names a kind of record this module can create."""
        names = {name for r in ID_ROUTES for name in re.findall(r"{(\w+)}", r.path)}
        assert names <= set(OWNED)

    @pytest.mark.parametrize("route", ID_ROUTES, ids=route_id)
    def test_another_tenants_id_is_404_like_a_missing_one_and_changes_nothing(
        self, api: Any, acme: Any, globex: Any, route: Route
    ) -> None:
        """Acme's admin using Globex's id gets the same 404 body as for a nonexistent id, and
        Globex's records stay exactly as they were."""
        req = build(route, Prep(api, acme))
        (name,) = re.findall(r"{(\w+)}", route.path)
        foreign = OWNED[name](Prep(api, globex))
        before = _snapshot(api.talentos, globex.tenant_id)
        crossed = send(api, route, req, acme.headers, {name: foreign})
        missing = send(api, route, req, acme.headers, {name: _nonexistent(foreign)})
        api.assert_error(crossed, 404, "not_found")
        assert crossed.json == missing.json
        assert _snapshot(api.talentos, globex.tenant_id) == before

    @pytest.mark.parametrize(("route", "field"), BODY_IDS, ids=_body_id)
    def test_another_tenants_id_in_a_body_is_404_like_a_missing_one(
        self, api: Any, acme: Any, globex: Any, route: Route, field: str
    ) -> None:
        """A body's id of another tenant's record is answered like a nonexistent one, and
        the caller's tenant is left exactly as it was."""
        req = build(route, Prep(api, acme))
        foreign = BODY_OWNED[field](Prep(api, globex))
        before = _snapshot(api.talentos, acme.tenant_id)
        answers = []
        for value in (foreign, _nonexistent(foreign)):
            body = {**req.json, field: value}
            path = route.path.format(**req.path_params)
            answers.append(api.request(route.method, path, json=body, headers=acme.headers))
        api.assert_error(answers[0], 404, "not_found")
        assert answers[0].json == answers[1].json
        assert _snapshot(api.talentos, acme.tenant_id) == before

    @pytest.mark.parametrize(
        "status", [VacancyStatus.DRAFT, VacancyStatus.CLOSED, VacancyStatus.ON_HOLD]
    )
    def test_the_careers_board_hides_a_vacancy_that_is_not_open_like_a_missing_one(
        self, api: Any, acme: Any, status: VacancyStatus
    ) -> None:
        """A vacancy that is not open is a 404 on the public board, the same as no vacancy."""
        hidden = Prep(api, acme).vacancy(status)
        answers = [
            api.client.simulate_get(f"/api/careers/vacancies/{vacancy_id}")
            for vacancy_id in (hidden, _nonexistent(hidden))
        ]
        api.assert_error(answers[0], 404, "not_found")
        assert answers[0].json == answers[1].json

    def test_the_careers_board_shows_no_internal_fields(self, api: Any, acme: Any) -> None:
        """A public vacancy has no counters, creator, tenant or notes; its company is public."""
        vacancy_id = api.client.simulate_post(
            "/api/vacancies",
            headers=acme.headers,
            json={"title": "Teller", "internalNotes": "pay band B"},
        ).json["vacancy"]["id"]
        result = api.client.simulate_get(f"/api/careers/vacancies/{vacancy_id}")
        vacancy = result.json["vacancy"]
        assert not {
            "internalNotes",
            "applicants",
            "hired",
            "createdBy",
            "tenantId",
            "status",
        } & set(vacancy)
        assert set(vacancy["company"]) == {"id", "name", "logoUrl", "brandColor"}
        assert "pay band B" not in result.text

    def test_body_ids_are_all_covered(self) -> None:
        """Every *Id field a body takes is checked above, or is a free-form label, or is the
        public apply's vacancy (any company's open vacancy: that is the point)."""
        found = {
            (route_id(r), camel(a.name))
            for r in BODY_ROUTES
            for a in attrs.fields(r.body)
            if a.name.endswith("_id")
        }
        checked = {(route_id(route), field) for route, field in BODY_IDS}
        assert found - checked == {
            ("POST /api/audit", "entityId"),  # the client's own reference, not a lookup
            ("POST /api/careers/apply", "vacancyId"),
            # Public: no caller tenant; tests/http/test_apply.py checks it is a 404.
            ("POST /api/careers/apply", "resumeUploadId"),
        }


# -- mass assignment -------------------------------------------------------------------------

FORBIDDEN_FIELDS = (
    "tenantId",
    "role",
    "id",
    "createdAt",
    "emailVerified",
    "passwordHash",
    "applicants",
    "hired",
)
_FIELD_VALUES: dict[str, Any] = {
    "tenantId": "globex",
    "role": "admin",
    "id": "vac_chosen",
    "createdAt": "2020-01-01T00:00:00Z",
    "emailVerified": True,
    "passwordHash": "$argon2id$v=19$x",
    "applicants": 99,
    "hired": 7,
}


def _refused_fields(route: Route) -> list[str]:
    taken = {camel(a.name) for a in attrs.fields(route.body)}
    return [field for field in FORBIDDEN_FIELDS if field not in taken]


class TestMassAssignment:
    """Read-only and unknown fields are refused by name and change nothing (SECURITY-TESTS 27)."""

    def test_role_is_the_only_listed_field_any_body_takes(self) -> None:
        """Only invites and API keys take `role` (capped by the granter's); no body takes the
        other server-maintained fields."""
        taken = {
            (route_id(r), camel(a.name))
            for r in BODY_ROUTES
            for a in attrs.fields(r.body)
            if camel(a.name) in FORBIDDEN_FIELDS
        }
        assert taken == {
            ("POST /api/auth/invite", "role"),
            ("POST /api/tenants/me/api-keys", "role"),
        }

    @pytest.mark.parametrize("route", BODY_ROUTES, ids=route_id)
    def test_a_server_field_in_a_body_is_422_by_name_and_persists_nothing(
        self, api: Any, acme: Any, route: Route
    ) -> None:
        """Each server-maintained field added to a valid body is 422 with `fields` naming it,
        and no record of any tenant changed."""
        req = build(route, Prep(api, acme))
        before = (
            _snapshot(api.talentos, acme.tenant_id),
            api.talentos.store.reader().tenants.all_ids(),
        )
        answers = {}
        for field in _refused_fields(route):
            body = {**req.json, field: _FIELD_VALUES[field]}
            result = api.request(
                route.method,
                route.path.format(**req.path_params),
                json=body,
                headers=None if route.public else acme.headers,
            )
            error = api.assert_error(result, 422, "validation_error")
            answers[field] = field in error["fields"]
        assert answers == dict.fromkeys(_refused_fields(route), True)
        assert (
            _snapshot(api.talentos, acme.tenant_id),
            api.talentos.store.reader().tenants.all_ids(),
        ) == before

    def test_accept_invite_cannot_raise_the_role_and_the_token_still_works(
        self, api: Any, acme: Any
    ) -> None:
        """Accepting with `role: admin` is 422; the token then signs in as the invited role."""
        token = Prep(api, acme).invite_token()
        refused = api.client.simulate_post(
            "/api/auth/accept-invite",
            json={"token": token, "password": DEFAULT_PASSWORD, "role": "admin"},
        )
        api.assert_error(refused, 422, "validation_error")
        accepted = api.client.simulate_post(
            "/api/auth/accept-invite", json={"token": token, "password": DEFAULT_PASSWORD}
        )
        assert accepted.json["user"]["role"] == "interviewer"
