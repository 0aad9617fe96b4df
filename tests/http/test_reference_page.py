"""The /docs reference page: complete, readable, escaped and locked down by its CSP."""

from __future__ import annotations

import re
from typing import Any

import pytest
from html_support import csp_hash, parse

from talentos_http.reference import render_reference

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_IMG = '"><img src=x>'
ERROR = {"$ref": "#/components/schemas/Error"}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _document() -> dict[str, Any]:
    """A small document shaped like the app's: refs, a cycle, roles, public and hostile text."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "TalentOS", "version": "1.2.3", "description": "The API."},
        "paths": {
            "/api/vacancies": {
                "get": {
                    "operationId": "listVacancies",
                    "summary": "List vacancies",
                    "tags": ["Vacancies"],
                    "security": [{"cookieAuth": []}, {"bearerAuth": []}],
                    "x-roles": ["admin", "recruiter"],
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 200},
                            "description": "Page size",
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The page",
                            **_body(
                                {
                                    "type": "object",
                                    "required": ["ok"],
                                    "properties": {
                                        "ok": {"type": "boolean"},
                                        "vacancies": {
                                            "type": "array",
                                            "items": {"$ref": "#/components/schemas/Vacancy"},
                                        },
                                    },
                                }
                            ),
                        }
                    },
                },
                "post": {
                    "operationId": "createVacancy",
                    "summary": HOSTILE_SCRIPT,
                    "description": HOSTILE_IMG,
                    "tags": ["Vacancies"],
                    "security": [{"cookieAuth": []}],
                    "requestBody": {
                        "required": True,
                        **_body({"$ref": "#/components/schemas/VacancyInput"}),
                    },
                    "responses": {
                        "201": {
                            "description": "Created",
                            **_body({"$ref": "#/components/schemas/Vacancy"}),
                        },
                        "422": {"description": "Invalid fields", **_body(ERROR)},
                    },
                },
            },
            "/api/auth/login": {
                "post": {
                    "operationId": "login",
                    "summary": "Sign in",
                    "tags": ["Auth"],
                    "security": [],
                    "requestBody": _body(
                        {
                            "type": "object",
                            "required": ["email", "password"],
                            "properties": {
                                "email": {"type": "string", "format": "email"},
                                "password": {"type": "string", "minLength": 10, "maxLength": 256},
                            },
                        }
                    ),
                    "responses": {"200": {"description": "Signed in"}},
                }
            },
            "/api/vacancies/{id}": {
                "delete": {
                    "operationId": "deleteVacancy",
                    "summary": "Delete a vacancy",
                    "tags": ["Vacancies"],
                    "security": [{"cookieAuth": []}],
                    "x-roles": ["admin"],
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {"description": "Deleted"},
                        "404": {"description": "No such vacancy", **_body(ERROR)},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Vacancy": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^vac_"},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "parent": {
                            "anyOf": [{"$ref": "#/components/schemas/Vacancy"}, {"type": "null"}]
                        },
                        "owner": {"$ref": "#/components/schemas/User"},
                    },
                },
                "User": {
                    "type": "object",
                    "properties": {"email": {"type": "string", "description": "Sign-in email"}},
                },
                "Error": {
                    "type": "object",
                    "required": ["ok", "error"],
                    "properties": {
                        "ok": {"const": False},
                        "error": {
                            "type": "object",
                            "properties": {"code": {"type": "string"}},
                        },
                    },
                },
                "Status": {"type": "string", "enum": ["draft", "open", "closed"]},
                "VacancyInput": {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 200,
                            "description": HOSTILE_IMG,
                        }
                    },
                },
            },
            "securitySchemes": {
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "talentos_sid"},
                "bearerAuth": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def _article(html: str, anchor: str) -> str:
    match = re.search(rf'<article id="{anchor}">(.*?)</article>', html, re.S)
    assert match, anchor
    return match.group(1)


@pytest.fixture(scope="module")
def page() -> str:
    return render_reference(_document())[0]


class TestReferenceContent:
    def test_every_path_and_method_appears(self, page: str) -> None:
        """Each operation of the document has its method and path on the page."""
        for path, item in _document()["paths"].items():
            for method in item:
                assert f"{method.upper()}</span><code>{path}</code>" in page

    def test_table_of_contents_links_resolve_to_anchors(self, page: str) -> None:
        """Every contents link points at an id on the page, one per operation and per tag."""
        parsed = parse(page)
        ids = {attrs["id"] for _, attrs in parsed.tags if attrs.get("id")}
        links = {attrs["href"] for tag, attrs in parsed.tags if tag == "a"}
        assert {f"#{i}" for i in ids if i.startswith(("op-", "tag-"))} <= links
        assert all(link[1:] in ids for link in links if link)
        assert len([i for i in ids if i.startswith("op-")]) == 4

    def test_endpoints_are_grouped_by_tag_in_first_seen_order(self, page: str) -> None:
        """Tags are sections in the order first seen, holding all of their operations."""
        assert page.index('id="tag-vacancies"') < page.index('id="tag-auth"')
        vacancies = page.split('id="tag-vacancies"')[1].split('id="tag-auth"')[0]
        assert 'id="op-deletevacancy"' in vacancies

    def test_who_may_call_is_shown(self, page: str) -> None:
        """Listed roles, any signed-in role and public access are each stated."""
        assert "<code>admin</code>, <code>recruiter</code>" in _article(page, "op-listvacancies")
        assert "any signed-in role" in _article(page, "op-createvacancy")
        assert "public" in _article(page, "op-login")
        assert "recruiter" not in _article(page, "op-deletevacancy")

    def test_parameters_are_tabulated_with_constraints(self, page: str) -> None:
        """A parameter shows its name, location, type, constraints and description."""
        listing = _article(page, "op-listvacancies")
        for text in ("<code>limit</code>", "query", "integer", "minimum: 1", "maximum: 200"):
            assert text in listing
        assert "Page size" in listing

    def test_refs_are_resolved_into_fields(self, page: str) -> None:
        """Referenced schemas are expanded, nested fields flattened, enums and rules listed."""
        created = _article(page, "op-createvacancy")
        expected = ["<code>title</code>", "minLength: 1", "maxLength: 200", "pattern"]
        expected += ["<code>owner.email</code>", "Sign-in email", "&quot;draft&quot;, &quot;open"]
        for text in expected:
            assert text in created
        assert "<code>vacancies[].owner.email</code>" in _article(page, "op-listvacancies")

    def test_required_fields_are_marked(self, page: str) -> None:
        """A required body field is marked required and an optional one is not."""
        login = _article(page, "op-login")
        assert re.search(r"<code>password</code></td><td>string</td><td class=\"req\">yes", login)
        assert "<code>status</code></td><td>Status</td><td>no" in _article(page, "op-createvacancy")

    def test_a_cyclic_ref_is_expanded_once(self, page: str) -> None:
        """A schema that refers to itself is named at the loop, not expanded forever."""
        created = _article(page, "op-createvacancy")
        assert "<code>parent</code>" in created
        assert "parent.id" not in created

    def test_shared_error_responses_are_listed_and_described_once(self, page: str) -> None:
        """Error statuses are listed per endpoint, linking to one description of their schema."""
        assert "<code>404</code> No such vacancy" in _article(page, "op-deletevacancy")
        assert "<code>422</code> Invalid fields" in _article(page, "op-createvacancy")
        assert page.count('href="#schema-error"') == 2
        assert page.count('id="schema-error"') == 1
        assert page.count("<code>error.code</code>") == 1

    def test_odd_documents_still_render(self) -> None:
        """An empty document or an unresolvable ref renders a page instead of raising."""
        assert "<h1>API reference</h1>" in render_reference({})[0]
        broken = _document()
        broken["paths"]["/api/auth/login"]["post"]["requestBody"] = _body({"$ref": "#/nope/X"})
        assert "<code>/api/auth/login</code>" in render_reference(broken)[0]


class TestReferenceSafety:
    @pytest.mark.parametrize("hostile", [HOSTILE_SCRIPT, HOSTILE_IMG])
    def test_hostile_text_appears_only_escaped(self, hostile: str) -> None:
        """Hostile text in any document string appears escaped and never as markup."""
        document = _document()
        document["info"]["title"] = hostile
        document["components"]["schemas"]["User"]["properties"][hostile] = {"enum": [hostile]}
        document["paths"]["/api/auth/login"]["post"]["tags"] = [hostile]
        document["paths"]["/api/auth/login"]["post"]["x-roles"] = [hostile]
        html = render_reference(document)[0]
        assert hostile not in html
        assert "&lt;" in html
        parsed = parse(html)
        assert not parsed.blocks["script"]
        assert not [tag for tag, _ in parsed.tags if tag in {"script", "img"}]

    def test_no_external_resources(self, page: str) -> None:
        """The page links only to its own anchors and loads nothing at all."""
        parsed = parse(page)
        assert "http://" not in page and "https://" not in page
        for tag, attrs in parsed.tags:
            assert "src" not in attrs and "style" not in attrs
            assert tag not in {"link", "script", "img", "iframe", "object"}
            if "href" in attrs:
                assert str(attrs["href"]).startswith("#")

    def test_csp_hash_matches_the_inline_style(self) -> None:
        """The policy allows exactly the one inline style block by its hash, and no script."""
        html, csp = render_reference(_document())
        styles = parse(html).blocks["style"]
        assert len(styles) == 1
        assert f"style-src '{csp_hash(styles[0])}'" in csp
        assert "script-src" not in csp

    def test_csp_is_strict(self) -> None:
        """The policy denies everything by default and forbids framing, forms and base changes."""
        directives = {d.split()[0]: d.split()[1:] for d in render_reference({})[1].split("; ")}
        assert directives["default-src"] == ["'none'"]
        for name in ("img-src", "base-uri", "form-action", "frame-ancestors"):
            assert directives[name] == ["'none'"]
        assert "'unsafe-inline'" not in str(directives)
