"""The five routes of a tenant's records (list, create, get, update, delete), as data."""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any

import attrs

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import NotFound
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route


@attrs.frozen
class Records:
    """One kind of record: where it lives, what it is called, who may manage it."""

    path: str
    tag: str
    service: str
    one: str
    many: str
    kind: type
    new: type
    patch: type
    operation: Operation
    #: What a delete may refuse with besides 404 (409 `in_use`).
    delete_raises: tuple[type[Any], ...] = ()
    notes: str = ""

    def routes(self) -> list[Route]:
        one_path = f"{self.path}/{{{self.one}_id}}"
        return [
            Route(
                "GET",
                self.path,
                self._handler(lambda s, c: s.list(c.actor, c.query(PageRequest)), self.many),
                f"List the tenant's {self.many}.",
                self.tag,
                operation=self.operation,
                query=(PageRequest,),
                # Page[...] of a type known only at run time: the docs read it like any other.
                reply={self.many: typing.cast(Any, Page)[self.kind]},
                description=self.notes,
            ),
            Route(
                "POST",
                self.path,
                self._handler(lambda s, c: s.create(c.actor, c.body), self.one),
                f"Create a {self.one}.",
                self.tag,
                operation=self.operation,
                body=self.new,
                reply={self.one: self.kind},
                status=201,
                description=self.notes,
            ),
            Route(
                "GET",
                one_path,
                self._handler(lambda s, c: s.get(c.actor, c.params[f"{self.one}_id"]), self.one),
                f"Get a {self.one}.",
                self.tag,
                operation=self.operation,
                reply={self.one: self.kind},
                raises=(NotFound,),
            ),
            Route(
                "PATCH",
                one_path,
                self._handler(
                    lambda s, c: s.update(c.actor, c.params[f"{self.one}_id"], c.body), self.one
                ),
                f"Update a {self.one}.",
                self.tag,
                operation=self.operation,
                body=self.patch,
                reply={self.one: self.kind},
                raises=(NotFound,),
                description=self.notes,
            ),
            Route(
                "DELETE",
                one_path,
                self._handler(lambda s, c: s.delete(c.actor, c.params[f"{self.one}_id"]), None),
                f"Delete a {self.one}.",
                self.tag,
                operation=self.operation,
                raises=(NotFound, *self.delete_raises),
            ),
        ]

    def _handler(
        self, call_service: Callable[[Any, Call], Any], key: str | None
    ) -> Callable[[Call], dict[str, Any]]:
        def handle(call: Call) -> dict[str, Any]:
            result = call_service(getattr(call.talentos, self.service), call)
            return {} if key is None else {key: result}

        return handle
