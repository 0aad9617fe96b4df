"""The OpenAPI document and the reference page match the routes the app serves (CONTRACT §3,
SECURITY-TESTS 33: OpenAPI paths and router paths match exactly)."""

from __future__ import annotations

import re
from typing import Any

from talentos_core.roles import ROLE_TABLE, Role
from talentos_http.errors import status_for
from talentos_http.resources import ROUTES

METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def _document(api: Any) -> dict[str, Any]:
    result = api.client.simulate_get("/api/openapi.json")
    assert result.status_code == 200
    assert result.headers["content-type"].startswith("application/json")
    document: dict[str, Any] = result.json
    return document


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


class TestTheDocument:
    """GET /api/openapi.json describes exactly ROUTES, with the role table's roles."""

    def test_it_is_openapi_3_1(self, api: Any) -> None:
        """The document declares OpenAPI 3.1 and names the API."""
        document = _document(api)
        assert document["openapi"].startswith("3.1")
        assert document["info"]["title"]

    def test_its_operations_are_exactly_the_routes(self, api: Any) -> None:
        """Every (method, path) of ROUTES is documented, and nothing else."""
        assert set(_operations(_document(api))) == {(r.method, r.path) for r in ROUTES}

    def test_every_protected_operation_lists_the_role_tables_roles(self, api: Any) -> None:
        """`x-roles` of each non-public operation equals ROLE_TABLE's roles for it."""
        operations = _operations(_document(api))
        documented = {
            (r.method, r.path): set(operations[(r.method, r.path)]["x-roles"])
            for r in ROUTES
            if not r.public
        }
        expected = {
            (r.method, r.path): {role.value for role in ROLE_TABLE[r.operation]}
            for r in ROUTES
            if r.operation is not None
        }
        assert documented == expected

    def test_error_statuses_come_from_the_errors_a_route_raises(self, api: Any) -> None:
        """Each operation documents exactly the statuses of its route's errors, each naming
        the codes it may carry, resolved through the one status table."""
        operations = _operations(_document(api))
        for route in ROUTES:
            responses = operations[(route.method, route.path)]["responses"]
            documented = {int(key) for key in responses if key.isdigit() and int(key) >= 400}
            assert documented == {status_for(kind) for kind in route.errors()}, route.path
            for kind in route.errors():
                assert f"`{kind.code}`" in responses[str(status_for(kind))]["description"]

    def test_a_few_routes_document_the_errors_a_client_must_handle(self, api: Any) -> None:
        """Delete-in-use is 409 `in_use`, a locked login 429, health has no auth errors."""
        operations = _operations(_document(api))
        vacancy_delete = operations[("DELETE", "/api/vacancies/{vacancy_id}")]["responses"]
        assert "`in_use`" in vacancy_delete["409"]["description"]
        assert "`not_found`" in vacancy_delete["404"]["description"]
        assert (
            "`rate_limited`"
            in operations[("POST", "/api/auth/login")]["responses"]["429"]["description"]
        )
        assert {"401", "403", "404"}.isdisjoint(operations[("GET", "/api/health")]["responses"])

    def test_public_operations_need_no_security_and_list_no_roles(self, api: Any) -> None:
        """Public operations have empty security and no x-roles; the rest take cookie or key."""
        operations = _operations(_document(api))
        for route in ROUTES:
            operation = operations[(route.method, route.path)]
            if route.public:
                assert (operation["security"], "x-roles" in operation) == ([], False)
            else:
                assert operation["security"] == [{"cookieAuth": []}, {"bearerAuth": []}]

    def test_path_parameters_are_declared(self, api: Any) -> None:
        """Each {name} in a path is a required path parameter of its operation."""
        for (_, path), operation in _operations(_document(api)).items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{(\w+)}", path)), path

    def test_the_success_status_is_documented(self, api: Any) -> None:
        """Each operation documents its route's success status (201 for creators)."""
        operations = _operations(_document(api))
        for route in ROUTES:
            assert str(route.status) in operations[(route.method, route.path)]["responses"]

    def test_every_reference_is_defined(self, api: Any) -> None:
        """Every $ref points at a schema that the document defines."""
        document = _document(api)
        refs = set(
            re.findall(
                r'"\$ref": ?"#/components/schemas/([^"]+)"',
                api.client.simulate_get("/api/openapi.json").text,
            )
        )
        assert refs
        assert refs <= set(document["components"]["schemas"])

    def test_the_roles_are_the_contracts_six(self, api: Any) -> None:
        """x-roles only ever names the six roles of the contract."""
        named = {
            role for op in _operations(_document(api)).values() for role in op.get("x-roles", [])
        }
        assert named <= {role.value for role in Role}


class TestTheReferencePage:
    """GET /docs is a page with a Content-Security-Policy."""

    def test_docs_is_html_with_a_csp(self, api: Any) -> None:
        """The reference page is HTML and restricts what it may load."""
        result = api.client.simulate_get("/docs")
        assert result.status_code == 200
        assert result.headers["content-type"].startswith("text/html")
        policy = result.headers["content-security-policy"]
        assert "default-src 'none'" in policy or "default-src 'self'" in policy
        assert "<html" in result.text.lower()
