"""The OpenAPI 3.1 document, generated from the route table, the core's types and rules, and
the role table: the same definitions that parse requests and enforce roles. Never edited by
hand."""

from __future__ import annotations

import enum
import re
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, Union

import attrs

from talentos_core.domain.paging import Page
from talentos_core.domain.rules import Length, Unset, rules_of
from talentos_core.roles import Operation, Role, allowed_roles
from talentos_core.version import VERSION
from talentos_http.errors import status_for
from talentos_http.routing import QUERY_INTEGER_DIGITS, QUERY_TEXT_PATTERN, Route
from talentos_http.schema import camel, is_secret

_PRIMITIVES: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    datetime: {"type": "string", "format": "date-time"},
    dict: {"type": "object"},
    Any: {},
}
_NOT_BLANK_PATTERN = Length(1).schema()["pattern"]


@cache
def document() -> dict[str, Any]:
    """The document for every route of the app."""
    from talentos_http.resources import ROUTES

    return build(ROUTES)


def build(routes: list[Route]) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Error": _error_schema()}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "TalentOS API",
            "version": VERSION,
            "description": "Applicant tracking: tenants, vacancies, candidates, offers, "
            "interviews. JSON in and out; errors are `{ok: false, error: {code, message}}`. "
            "Sign in with the `talentos_sid` cookie or send `Authorization: Bearer tk_…`.",
        },
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "talentos_sid"},
                "bearerAuth": {"type": "http", "scheme": "bearer"},
            },
        },
    }


def _operation(route: Route, schemas: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": _operation_id(route),
        "summary": route.summary,
        "tags": [route.tag],
        "security": [] if route.public else [{"cookieAuth": []}, {"bearerAuth": []}],
    }
    description = route.description
    if not route.public:
        assert route.operation is not None
        roles = _roles(route.operation)
        operation["x-roles"] = roles
        who = "any signed-in role" if len(roles) == len(Role) else ", ".join(roles)
        description = (description + "\n\n" if description else "") + f"Roles: {who}."
    if description:
        operation["description"] = description
    parameters = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", route.path)
    ]
    for kind in route.query:
        parameters.extend(_query_parameters(kind, schemas))
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        # A missing body reads as ``{}`` (jsonio.read_body), so it is only required when the
        # type has a required field.
        required = any(a.default is attrs.NOTHING for a in attrs.fields(route.body))
        operation["requestBody"] = {
            "required": required,
            "content": {"application/json": {"schema": _ref(route.body, schemas, "input")}},
        }
    operation["responses"] = _responses(route, schemas)
    return operation


def _operation_id(route: Route) -> str:
    words = re.sub(r"[^a-zA-Z0-9]+", "_", route.path.replace("{", "by_")).strip("_")
    return f"{route.method.lower()}_{words}"


def _roles(operation: Operation) -> list[str]:
    allowed = allowed_roles(operation)
    return [role.value for role in Role if role in allowed]


def _responses(route: Route, schemas: dict[str, Any]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Success."}
    if route.media_type in (None, "application/json") and route.reply:
        success["content"] = {"application/json": {"schema": _reply(route, schemas)}}
    elif route.media_type is None:
        success["content"] = {"application/json": {"schema": _ok_only()}}
    elif route.media_type != "application/json":
        success["content"] = {route.media_type: {"schema": {"type": "string"}}}
    else:
        success["content"] = {"application/json": {"schema": {"type": "object"}}}
    responses: dict[str, Any] = {str(route.status): success}
    for status in route.also:
        responses[str(status)] = success
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for status, description in _error_responses(route).items():
        responses[str(status)] = {"description": description, **error}
    responses["default"] = {"description": "Any other error, in the same envelope.", **error}
    return responses


def _error_responses(route: Route) -> dict[int, str]:
    """Status → description naming each code the route may answer with at that status."""
    codes: dict[int, dict[str, str]] = {}
    for kind in route.errors():
        codes.setdefault(status_for(kind), {})[kind.code] = kind.default_message
    return {
        status: " ".join(f"`{code}`: {message}" for code, message in sorted(found.items()))
        for status, found in sorted(codes.items())
    }


def _ok_only() -> dict[str, Any]:
    return {"type": "object", "properties": {"ok": {"const": True}}, "required": ["ok"]}


def _reply(route: Route, schemas: dict[str, Any]) -> dict[str, Any]:
    schema = _ok_only()
    properties, required = schema["properties"], schema["required"]
    for key, kind in route.reply.items():
        if key == "":  # the type's own fields stand at the top level
            inner = _object_schema(kind, schemas, "output")
            properties.update(inner["properties"])
            required.extend(name for name in inner["required"] if name not in required)
            continue
        if typing.get_origin(kind) is Page:
            (item,) = typing.get_args(kind)
            properties[key] = {"type": "array", "items": _ref(item, schemas, "output")}
            for counter in ("total", "limit", "offset"):
                properties[counter] = {"type": "integer", "minimum": 0}
                required.append(counter)
        else:
            properties[key] = _type_schema(kind, schemas, "output")
        required.append(key)
    return schema


def _query_parameters(kind: type, schemas: dict[str, Any]) -> list[dict[str, Any]]:
    hints = typing.get_type_hints(kind)
    parameters = []
    for attribute in attrs.fields(kind):
        schema = _field_schema(attribute, hints[attribute.name], schemas, "input")
        schema.pop("description", None)
        schema = _non_null(schema)
        if schema.get("type") == "integer":  # the query parser's own bounds (digit count)
            bound = 10**QUERY_INTEGER_DIGITS - 1
            schema["minimum"] = max(schema.get("minimum", -bound), -bound)
            schema["maximum"] = min(schema.get("maximum", bound), bound)
        elif schema.get("type") == "string" and not {"enum", "format"} & set(schema):
            # The query parser refuses a NUL in any text; the field's own pattern still holds.
            if "pattern" in schema:
                schema["allOf"] = [{"pattern": schema.pop("pattern")}]
            schema["pattern"] = QUERY_TEXT_PATTERN
        parameter: dict[str, Any] = {
            "name": attribute.metadata.get("name") or camel(attribute.name),
            "in": "query",
            "required": False,
            "schema": schema,
        }
        if attribute.metadata.get("doc"):
            parameter["description"] = attribute.metadata["doc"]
        parameters.append(parameter)
    return parameters


def _non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent rather than null."""
    if isinstance(schema.get("type"), list):
        schema["type"] = next(kind for kind in schema["type"] if kind != "null")
    if "enum" in schema:
        schema["enum"] = [value for value in schema["enum"] if value is not None]
    if "anyOf" in schema:
        options = [option for option in schema.pop("anyOf") if option != {"type": "null"}]
        schema.update(options[0])
    return schema


def _ref(kind: type, schemas: dict[str, Any], mode: str) -> dict[str, Any]:
    name = kind.__name__
    if name not in schemas:
        schemas[name] = {}  # reserve first: types may refer to each other
        schemas[name] = _object_schema(kind, schemas, mode)
    return {"$ref": f"#/components/schemas/{name}"}


def _object_schema(kind: type, schemas: dict[str, Any], mode: str) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for attribute in attrs.fields(kind):
        if mode == "output" and is_secret(attribute):
            continue
        name = camel(attribute.name)
        properties[name] = _field_schema(attribute, hints[attribute.name], schemas, mode)
        if mode == "output" or attribute.default is attrs.NOTHING:
            required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    if mode == "input":
        schema["additionalProperties"] = False
    if kind.__doc__ and not kind.__doc__.startswith(kind.__name__ + "("):
        schema["description"] = " ".join(kind.__doc__.split())
    return schema


def _field_schema(
    attribute: attrs.Attribute[Any], hint: Any, schemas: dict[str, Any], mode: str
) -> dict[str, Any]:
    schema = _type_schema(hint, schemas, mode)
    target = schema
    if "anyOf" in schema:  # put the rules on the non-null branch
        target = next(option for option in schema["anyOf"] if option != {"type": "null"})
        if "$ref" in target:
            target = schema
    for rule in rules_of(attribute):
        keywords = rule.schema()
        # Two patterns on one field: the specific one (email, URL …) implies "not blank".
        if "pattern" in target and keywords.get("pattern") == _NOT_BLANK_PATTERN:
            keywords.pop("pattern")
        if "items" in keywords and "items" in target:
            keywords = {**keywords, "items": {**target["items"], **keywords["items"]}}
        target.update(keywords)
    if attribute.metadata.get("doc"):
        schema["description"] = attribute.metadata["doc"]
    return schema


def _type_schema(hint: Any, schemas: dict[str, Any], mode: str) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        members = [m for m in typing.get_args(hint) if m is not Unset]
        nullable = type(None) in members
        rest = [m for m in members if m is not type(None)]
        inner: dict[str, Any] = (
            _type_schema(rest[0], schemas, mode)
            if len(rest) == 1
            else {"anyOf": [_type_schema(m, schemas, mode) for m in rest]}
        )
        if not nullable:
            return inner
        if isinstance(inner.get("type"), str) and "$ref" not in inner:
            inner = {**inner, "type": [inner["type"], "null"]}
            if "enum" in inner:
                inner["enum"] = [*inner["enum"], None]
            return inner
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return {"type": "array", "items": _type_schema(item, schemas, mode)}
    if origin is dict:
        return {"type": "object"}
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"type": "string", "enum": [member.value for member in hint]}
    if isinstance(hint, type) and attrs.has(hint):
        return _ref(hint, schemas, mode)
    return dict(_PRIMITIVES[hint])


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "ok": {"const": False},
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "required": ["code", "message"],
            },
        },
        "required": ["ok", "error"],
    }
