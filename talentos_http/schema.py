"""The HTTP edge's converter: strict JSON → core input types, core types → JSON.

Requests are structured with no coercion (``"1"`` is not an int, ``1`` is not a bool),
unknown and read-only keys refused by name, every problem reported per field in one 422.
Responses use the API's camelCase names, ISO times with ``Z``, and never carry a field the
core marks ``secret`` (password and key hashes).
"""

from __future__ import annotations

import enum
import math
import types
import typing
from datetime import datetime
from typing import Any, Union

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from talentos_core.clock import isoformat, parse_iso
from talentos_core.domain.paging import Page
from talentos_core.domain.rules import Unset
from talentos_core.errors import ValidationError
from talentos_core.naming import camel
from talentos_http.render import compile_renderer, enum_value, render_items


def is_secret(attribute: attrs.Attribute[Any]) -> bool:
    return bool(attribute.metadata.get("secret"))


class _FieldProblem(ValueError):
    """A value of the wrong JSON type; the message is what the caller reads."""


def _strict(kind: type, label: str) -> Any:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is bool and kind is not bool:
            raise _FieldProblem(f"must be {label}")
        if not isinstance(value, kind):
            raise _FieldProblem(f"must be {label}")
        return value

    return structure


def _integer(value: Any, _: Any) -> int:
    # JSON Schema calls 52.0 an integer too, and the OpenAPI document promises JSON Schema.
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is not int:
        raise _FieldProblem("must be an integer")
    return value


def _number(value: Any, _: Any) -> float:
    if type(value) is bool or not isinstance(value, int | float):
        raise _FieldProblem("must be a number")
    if not math.isfinite(value):
        raise _FieldProblem("must be a finite number")
    return float(value)


#: What a time in a body or a query must be; ``parse_iso`` decides, for both.
TIME_PROBLEM = "must be an ISO 8601 time with a time zone, within years 1-9999 in UTC"


def _time(value: Any, _: Any) -> datetime:
    if not isinstance(value, str):
        raise _FieldProblem(TIME_PROBLEM)
    try:
        return parse_iso(value)
    except ValueError:
        raise _FieldProblem(TIME_PROBLEM) from None


def _enum(kind: type[enum.Enum]) -> Any:
    def structure(value: Any, _: Any) -> Any:
        try:
            if isinstance(value, str):
                return kind(value)
        except ValueError:
            pass
        raise _FieldProblem("must be one of " + ", ".join(str(m.value) for m in kind))

    return structure


def _members(kind: Any) -> tuple[Any, ...]:
    return typing.get_args(kind) if typing.get_origin(kind) in (Union, types.UnionType) else ()


def _requests() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(str, _strict(str, "a string"))
    converter.register_structure_hook(int, _integer)
    converter.register_structure_hook(bool, _strict(bool, "true or false"))
    converter.register_structure_hook(float, _number)
    converter.register_structure_hook(datetime, _time)
    converter.register_structure_hook_factory(
        lambda kind: isinstance(kind, type) and issubclass(kind, enum.Enum), _enum
    )

    def is_optional_or_unset(kind: Any) -> bool:
        members = _members(kind)
        return bool(members) and (Unset in members or type(None) in members)

    def optional_hook(kind: Any) -> Any:
        rest = [m for m in _members(kind) if m is not Unset and m is not type(None)]
        nullable = type(None) in _members(kind)
        inner: Any = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007

        def structure(value: Any, _: Any) -> Any:
            if value is None:
                if nullable:
                    return None
                raise _FieldProblem("must not be null")
            return converter.structure(value, inner)

        return structure

    converter.register_structure_hook_factory(is_optional_or_unset, optional_hook)

    def list_hook(kind: Any) -> Any:
        (item,) = typing.get_args(kind) or (Any,)

        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, list):
                raise _FieldProblem("must be a list")
            return [converter.structure(entry, item) for entry in value]

        return structure

    converter.register_structure_hook_factory(lambda k: typing.get_origin(k) is list, list_hook)

    def dict_hook(kind: Any) -> Any:
        def structure(value: Any, _: Any) -> Any:
            if not isinstance(value, dict):
                raise _FieldProblem("must be an object")
            return value

        return structure

    converter.register_structure_hook_factory(
        lambda k: k is dict or typing.get_origin(k) is dict, dict_hook
    )

    def attrs_hook(cls: Any) -> Any:
        renames: dict[str, Any] = {
            a.name: override(rename=camel(a.name)) for a in attrs.fields(cls)
        }
        return make_dict_structure_fn(cls, converter, **renames)

    converter.register_structure_hook_factory(attrs.has, attrs_hook)
    return converter


def _responses(*, compiled: bool = True) -> cattrs.Converter:
    """The response converter. Attrs objects render through a function compiled per class
    (:mod:`talentos_http.render`); ``compiled=False`` gives cattrs' generated functions
    instead, the reference the compiled ones are tested against."""
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, isoformat)
    # StrEnum before str in the MRO: otherwise members would pass through as str subclasses.
    converter.register_unstructure_hook(enum.StrEnum, enum_value)
    converter.register_unstructure_hook(enum.Enum, enum_value)

    def optional_hook(kind: Any) -> Any:
        # cattrs' own hook, except that ``X | None`` with a pass-through X is a pass-through
        # too, which the generated functions inline as a plain attribute read.
        inner = next(m for m in _members(kind) if m is not type(None))
        if isinstance(inner, typing.TypeVar):
            return converter.gen_unstructure_optional(kind)
        hook = converter.get_unstructure_hook(inner)
        if hook is identity:
            return identity
        return lambda value: None if value is None else hook(value)

    converter.register_unstructure_hook_factory(
        lambda kind: len(_members(kind)) == 2 and type(None) in _members(kind), optional_hook
    )

    def attrs_hook(cls: Any) -> Any:
        if compiled:
            render = compile_renderer(cls, converter, _response_key)
            if render is not None:
                return render
        keys = {a.name: _response_key(a) for a in attrs.fields(cls)}
        spellings: dict[str, Any] = {
            name: override(omit=True) if key is None else override(rename=key)
            for name, key in keys.items()
        }
        return make_dict_unstructure_fn(cls, converter, **spellings)

    converter.register_unstructure_hook_factory(attrs.has, attrs_hook)
    return converter


def _response_key(attribute: attrs.Attribute[Any]) -> str | None:
    """A field's name in responses: camelCase, and none for a secret (it is never sent)."""
    return None if is_secret(attribute) else camel(attribute.name)


_REQUESTS = _requests()
_RESPONSES = _responses()


def structure(payload: Any, cls: type[Any], *, read_only: frozenset[str] = frozenset()) -> Any:
    """``payload`` (decoded JSON) as a ``cls``; :class:`ValidationError` names each bad field."""
    if not isinstance(payload, dict):
        raise ValidationError({}, "The body must be a JSON object.")
    try:
        return _REQUESTS.structure(payload, cls)
    except (ClassValidationError, ForbiddenExtraKeysError, _FieldProblem) as error:
        raise ValidationError(_problems(error, "", read_only)) from None


def _problems(error: BaseException, path: str, read_only: frozenset[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    if isinstance(error, ForbiddenExtraKeysError):
        for key in sorted(error.extra_fields):
            where = f"{path}{key}"
            found[where] = "is read-only" if key in read_only else "is not a known field"
    elif isinstance(error, ClassValidationError | IterableValidationError):
        with_notes, without = error.group_exceptions()
        for inner, note in with_notes:
            label = camel(note.name) if hasattr(note, "name") else str(getattr(note, "index", ""))
            found.update(_problems(inner, f"{path}{label}.", read_only))
        for inner in without:
            found.update(_problems(inner, path, read_only))
    else:
        where = path.rstrip(".") or "body"
        found[where] = "is required" if isinstance(error, KeyError) else _reason(error)
    return found


def _reason(error: BaseException) -> str:
    if isinstance(error, _FieldProblem):
        return str(error)
    return "has the wrong type"


def render(value: Any) -> Any:
    """A core value (attrs object, page, list, enum, time…) as JSON-ready data."""
    return _RESPONSES.unstructure(value)


def render_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """``{"ok": true, ...}`` with each value rendered; a :class:`Page` spreads into its items
    plus ``total``, ``limit`` and ``offset``; the value under ``""`` spreads its fields."""
    body: dict[str, Any] = {"ok": True}
    for key, value in reply.items():
        if key == "":  # the value's own fields stand at the top level
            body.update(_RESPONSES.unstructure(value))
        elif isinstance(value, Page):
            body[key] = render_items(_RESPONSES, value.items)
            body.update(total=value.total, limit=value.limit, offset=value.offset)
        else:
            body[key] = _RESPONSES.unstructure(value)
    return body
