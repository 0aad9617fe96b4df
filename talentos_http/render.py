"""Domain objects → JSON-ready dicts through a function compiled once per attrs class.

The read path of every list renders dozens of objects per request, so this is lean in the
way :mod:`talentos_core.backends.sqlite.rows` is: for each class, the source of one function
is written and compiled (as attrs and cattrs generate theirs), reading each attribute once
and building the dict in one display. Beyond what cattrs' generated function does, it
inlines what the response converter's hooks would do for the commonest fields: an enum
becomes ``member._value_`` (an attribute read, not a call), and ``X | None`` tests for None
in place (not a wrapper calling X's hook). Every other field calls the converter's own hook
for its type, so the result is the converter's, value for value; a test compares the two
over every domain type.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import attrs
import cattrs
from cattrs.fns import identity

Renderer = Callable[[Any], dict[str, Any]]


def enum_value(member: enum.Enum) -> Any:
    """An enum member as JSON: its value. (``_value_`` is what ``.value`` returns, without the
    descriptor call.) The response converter's hook for enums; compiled renderers inline it."""
    return member._value_


def compile_renderer(
    cls: type[Any], converter: cattrs.Converter, key: Callable[[attrs.Attribute[Any]], str | None]
) -> Renderer | None:
    """The compiled renderer of ``cls``: ``key(attribute)`` names each field in the output
    (None leaves the field out). None when a field's type is generic (a ``TypeVar``): cattrs
    resolves those per use, so they stay with it."""
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {}
    entries = []
    for index, attribute in enumerate(attrs.fields(cls)):
        name = key(attribute)
        if name is None:
            continue
        kind = hints[attribute.name]
        if _has_type_var(kind):
            return None
        value = f"o.{attribute.name}"
        inner = _optional_of(kind)
        if inner is None:
            expression = _expression(value, kind, converter, namespace, index)
        elif converter.get_unstructure_hook(kind) is identity:
            expression = value
        else:
            inline = _expression(f"v{index}", inner, converter, namespace, index)
            expression = f"(None if (v{index} := {value}) is None else {inline})"
        entries.append(f"        {name!r}: {expression},")
    source = "def render(o):\n    return {\n" + "\n".join(entries) + "\n    }\n"
    exec(compile(source, f"<renderer for {cls.__name__}>", "exec"), namespace)
    render: Renderer = namespace["render"]
    return render


def _expression(
    value: str, kind: Any, converter: cattrs.Converter, namespace: dict[str, Any], index: int
) -> str:
    hook = converter.get_unstructure_hook(kind)
    if hook is identity:
        return value
    if hook is enum_value:
        return f"{value}._value_"
    namespace[f"hook_{index}"] = hook
    return f"hook_{index}({value})"


def _optional_of(kind: Any) -> Any:
    """``X`` for ``X | None``, else None."""
    if typing.get_origin(kind) not in (Union, types.UnionType):
        return None
    members = typing.get_args(kind)
    if len(members) != 2 or type(None) not in members:
        return None
    return next(member for member in members if member is not type(None))


def _has_type_var(kind: Any) -> bool:
    if isinstance(kind, typing.TypeVar):
        return True
    return any(_has_type_var(member) for member in typing.get_args(kind))


def render_items(converter: cattrs.Converter, items: list[Any]) -> list[Any]:
    """A list of core values, as the converter renders a list, but looking each item's hook
    up once per run of items of one class rather than once per item."""
    rendered = []
    kind: type | None = None
    hook: Callable[[Any], Any] = identity
    for item in items:
        if item.__class__ is not kind:
            kind = item.__class__
            hook = converter.get_unstructure_hook(kind)
        rendered.append(hook(item))
    return rendered
