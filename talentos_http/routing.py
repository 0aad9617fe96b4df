"""Routes as data: one table drives request parsing, the core call, rendering and the docs.

A :class:`Route` names its method and path, the role-table operation that guards it (``None``
for public routes), the core input type of its body, the core types of its query, what it
answers, and a handler: a small function that makes ONE core call. The generic responder here
does everything else the same way for every route.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Union

import attrs
import falcon

from talentos_core.bootstrap import TalentOS
from talentos_core.clock import parse_iso
from talentos_core.domain.actors import Actor, Origin
from talentos_core.domain.rules import check
from talentos_core.errors import (
    BadRequest,
    Forbidden,
    InvalidJSON,
    PayloadTooLarge,
    TalentOSError,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationError,
)
from talentos_core.roles import Operation, authorize
from talentos_http import credentials
from talentos_http.jsonio import read_body, send
from talentos_http.schema import TIME_PROBLEM, camel, render_reply, structure

_UNSAFE = frozenset({"POST", "PATCH", "PUT", "DELETE"})


@attrs.frozen
class Route:
    method: str
    path: str
    handler: Callable[[Call], Any]
    summary: str
    tag: str
    operation: Operation | None = None
    body: type | None = None
    query: tuple[type, ...] = ()
    reply: Mapping[str, Any] = attrs.Factory(dict)
    status: int = 200
    description: str = ""
    #: For routes that answer something other than the JSON envelope (CSV, HTML): its type.
    media_type: str | None = None
    #: The errors the core call may raise beyond those every route of its kind may
    #: (:func:`edge_errors`); the OpenAPI document lists their statuses and codes.
    raises: tuple[type[TalentOSError], ...] = ()
    #: Other success statuses the handler may choose (``call.status``), e.g. 200 beside 201.
    also: tuple[int, ...] = ()
    #: A public write that browsers on other sites may send (CORS): it carries no
    #: credential, so the cookie-CSRF origin check does not apply.
    cross_origin: bool = False

    @property
    def public(self) -> bool:
        return self.operation is None

    def errors(self) -> tuple[type[TalentOSError], ...]:
        """Every error class this route may answer with: the edge's and the core call's."""
        return (*edge_errors(self), *self.raises)


def edge_errors(route: Route) -> tuple[type[TalentOSError], ...]:
    """What :func:`_responder` itself may raise for ``route``, before the core is called."""
    found: list[type[TalentOSError]] = []
    if route.query:
        found.append(BadRequest)
    if route.method in _UNSAFE:
        # read_body runs on every write; a cookie write from another origin is refused.
        found += [InvalidJSON, PayloadTooLarge, UnsupportedMediaType]
        if not route.cross_origin:
            found.append(Forbidden)
    if route.body is not None:
        found.append(ValidationError)
    if not route.public:
        found += [Unauthenticated, Forbidden]
    return tuple(dict.fromkeys(found))


@attrs.define
class Call:
    """What a handler gets: the services, the actor, and the parsed request."""

    talentos: TalentOS
    req: falcon.Request
    resp: falcon.Response
    actor: Actor
    body: Any
    params: dict[str, str]
    queries: dict[type, Any]
    #: Set by a handler to answer one of the route's ``also`` statuses.
    status: int | None = None

    def query(self, kind: type[Any]) -> Any:
        return self.queries[kind]


def add_routes(app: falcon.App, talentos: TalentOS, routes: list[Route]) -> None:
    """Mount ``routes``; methods a path does not list answer 405."""
    by_path: dict[str, dict[str, Route]] = {}
    for route in routes:
        by_path.setdefault(route.path, {})[route.method] = route
    for path, methods in by_path.items():
        resource = types.SimpleNamespace()
        for method, route in methods.items():
            setattr(resource, "on_" + method.lower(), _responder(talentos, route))
        app.add_route(path, resource)


def _responder(talentos: TalentOS, route: Route) -> Callable[..., None]:
    read_only = _read_only_names(route)

    def respond(req: falcon.Request, resp: falcon.Response, **params: str) -> None:
        origin = Origin(
            credentials.client_ip(req, talentos.settings), req.user_agent, req.context.request_id
        )
        bearer = credentials.uses_bearer(req)
        if route.method in _UNSAFE and not bearer and not route.cross_origin:
            credentials.check_same_origin(req, talentos.settings)
        if route.public:
            actor = Actor.public(origin)
        else:
            actor = credentials.authenticate(talentos, req, origin)
            # The core checks again inside the call; asking first means a refused caller
            # learns nothing about the input the route would have taken (403, not 422).
            assert route.operation is not None
            authorize(actor, route.operation)
        queries = {kind: parse_query(req, kind) for kind in route.query}
        body = None
        if route.body is not None:
            body = structure(read_body(req), route.body, read_only=read_only)
        elif route.method in _UNSAFE:
            read_body(req)  # still refuse non-JSON bodies (CSRF) and oversized ones
        call = Call(talentos, req, resp, actor, body, params, queries)
        result = route.handler(call)
        if route.media_type is None:
            send(resp, render_reply(result or {}), call.status or route.status)

    functools.update_wrapper(respond, route.handler)
    return respond


def _read_only_names(route: Route) -> frozenset[str]:
    """Fields the route answers with but does not take: writing them is refused by name."""
    if route.body is None:
        return frozenset()
    taken = {camel(a.name) for a in attrs.fields(route.body)}
    answered: set[str] = {"id", "tenantId", "createdAt", "updatedAt"}
    for kind in route.reply.values():
        for inner in (kind, *typing.get_args(kind)):
            if attrs.has(inner):
                answered.update(camel(a.name) for a in attrs.fields(inner))
    return frozenset(answered - taken)


#: Query integers have at most this many digits (the OpenAPI document says so as bounds).
QUERY_INTEGER_DIGITS = 12
_INTEGER = re.compile(rf"-?[0-9]{{1,{QUERY_INTEGER_DIGITS}}}")
#: Characters no query value may hold, whatever its type: a NUL (SQLite leaves the result of
#: text functions on it undefined, PostgreSQL text cannot store it, C parsers stop reading at
#: it) and lone surrogates (not UTF-8; Falcon never decodes one, but a caller might pass one).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
#: What the OpenAPI document says of every free-text query value: no NUL (a lone surrogate
#: cannot be sent in a URL at all).
QUERY_TEXT_PATTERN = "^[^\\u0000]*$"


def parse_query(req: falcon.Request, kind: type) -> Any:
    """Build ``kind`` from the query string; anything malformed is a 400 naming the parameter.

    Every query value of every route is parsed here, by :func:`_query_value`: a value this
    cannot represent (a time outside years 1-9999 in UTC, an integer past the digit bound,
    text holding a NUL) is refused with the parameter's name, never passed on to fail later.
    """
    values: dict[str, Any] = {}
    for attribute, name, hint in _query_fields(kind):
        raw = req.params.get(name)
        if raw is None:
            continue
        if not isinstance(raw, str):
            raise BadRequest(f"Query parameter {name} is given more than once.")
        try:
            values[attribute] = _query_value(raw, hint)
        except ValueError as error:
            raise BadRequest(f"Query parameter {name} {error}.") from None
    try:
        parsed = kind(**values)
        check(parsed)
    except ValidationError as error:
        names = {attribute: name for attribute, name, _ in _query_fields(kind)}
        problems = "; ".join(f"{names.get(k) or camel(k)} {v}" for k, v in error.fields.items())
        raise BadRequest(f"Malformed query: {problems}.") from None
    return parsed


@functools.cache
def _query_fields(kind: type) -> tuple[tuple[str, str, Any], ...]:
    """``(attribute, query name, type hint)`` of each field: resolving hints is slow, so once.

    The query name is the attribute's camelCase unless the field names another (``from``).
    """
    hints = typing.get_type_hints(kind)
    return tuple(
        (a.name, a.metadata.get("name") or camel(a.name), hints[a.name]) for a in attrs.fields(kind)
    )


def _query_value(raw: str, hint: Any) -> Any:
    """One query value as the field's type; :class:`ValueError` says what it must be."""
    members = typing.get_args(hint) if typing.get_origin(hint) in (Union, types.UnionType) else ()
    kind = next((m for m in members if m is not type(None)), hint)
    if _UNSTORABLE.search(raw):
        raise ValueError("must not contain NUL characters or lone surrogates")
    if kind is int:
        if not _INTEGER.fullmatch(raw):
            raise ValueError(f"must be an integer of at most {QUERY_INTEGER_DIGITS} digits")
        return int(raw)
    if kind is datetime:
        try:
            return parse_iso(raw)
        except ValueError:
            raise ValueError(TIME_PROBLEM) from None
    return raw  # text, and enum values, which the field's converter and rules judge
