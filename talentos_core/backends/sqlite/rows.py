"""The SQLite edge's converter: domain objects to rows (cattrs) and back (compiled builders).

Columns are named like attributes. Times are stored as ISO 8601 text with a ``Z`` (so they
sort as text), lists and dicts as JSON, booleans as 0/1. Extra columns that exist only for
querying (``email_key``, ``search_text`` …) are added by the repositories and ignored here.
"""

from __future__ import annotations

import enum
import functools
import json
import sqlite3
import types
import typing
from collections.abc import Callable
from datetime import datetime
from types import NoneType
from typing import Any, TypeVar, Union

import attrs
import cattrs
import orjson

from talentos_core.clock import isoformat, parse_iso

T = TypeVar("T")

_converter = cattrs.Converter(detailed_validation=False)
_converter.register_unstructure_hook(datetime, isoformat)
_converter.register_unstructure_hook(enum.Enum, lambda member: member.value)


def _is_json_type(kind: Any) -> bool:
    return typing.get_origin(kind) in (list, dict)


def _is_optional(kind: Any) -> bool:
    members = typing.get_args(kind)
    return (
        typing.get_origin(kind) in (Union, types.UnionType)
        and len(members) == 2
        and NoneType in members
    )


#: What JSON columns hold: attrs objects inside lists (an interview's scorecards) become
#: objects with ISO times, the inverse of :data:`_json_reader`.
_json_writer = cattrs.Converter()
_json_writer.register_unstructure_hook(datetime, isoformat)
_json_reader = cattrs.Converter()
_json_reader.register_structure_hook(datetime, lambda value, _: parse_iso(value))
_converter.register_unstructure_hook_func(
    _is_json_type, lambda value: _dumps(_json_writer.unstructure(value))
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _text_list(text: str) -> Any:
    """A ``list[str]`` column (skills, interviewers) parsed by orjson: six times as fast as
    ``json.loads`` here, and with strings only the values are the same. (Not for other JSON:
    orjson reads integers past 64 bits as floats.) Whatever orjson refuses goes to
    ``json.loads``, which decides."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def to_row(obj: Any) -> dict[str, Any]:
    """The row for an attrs domain object."""
    row: dict[str, Any] = _converter.unstructure(obj)
    return row


Decoder = Callable[[Any], Any] | None


def from_cursor(cls: type[T], cursor: sqlite3.Cursor) -> list[T]:
    """Every row of ``cursor`` as a ``cls``: the read path of every list, so it is lean.

    Decoding is compiled once per class and query shape into a function that reads each
    tuple by position (no dict per row, no per-value dispatch): the inverse of :func:`to_row`.
    """
    build = _builder(typing.cast(Any, cls), tuple(column[0] for column in cursor.description))
    return [build(row) for row in cursor.fetchall()]


def from_values(cls: type[T], names: tuple[str, ...], values: tuple[Any, ...]) -> T:
    """One row, given as its column names and values, as a ``cls`` (see :func:`from_cursor`)."""
    built: T = _builder(typing.cast(Any, cls), names)(values)
    return built


@functools.cache
def _builder(cls: type[Any], columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], Any]:
    hints = typing.get_type_hints(cls)
    namespace: dict[str, Any] = {"cls": cls}
    arguments = []
    # Arguments go by position (cheaper to bind) until a field is missing from the row or
    # is keyword-only; by name after that.
    positional = True
    for attribute in attrs.fields(cls):
        if attribute.name not in columns or attribute.kw_only:
            positional = False
        if attribute.name not in columns:
            continue
        index = columns.index(attribute.name)
        kind = _inner(hints[attribute.name])
        value = f"row[{index}]"
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            # The member table first, as an expression: no call for a known value.
            namespace[f"members_{index}"] = kind._value2member_map_
            namespace[f"enum_{index}"] = kind
            value = (
                f"(None if (v := {value}) is None else (members_{index}.get(v) or enum_{index}(v)))"
            )
        elif (decode := _decoder(kind)) is not None:
            namespace[f"decode_{index}"] = decode
            value = f"(None if (v := {value}) is None else decode_{index}(v))"
        arguments.append(value if positional else f"{attribute.name}={value}")
    source = f"def build(row):\n    return cls({', '.join(arguments)})\n"
    exec(compile(source, f"<row builder for {cls.__name__}>", "exec"), namespace)
    build: Callable[[tuple[Any, ...]], Any] = namespace["build"]
    return build


def _inner(kind: Any) -> Any:
    """``X`` for ``X | None``, else ``kind``: a column's decoding skips None anyway."""
    if _is_optional(kind):
        return next(member for member in typing.get_args(kind) if member is not NoneType)
    return kind


def _decoder(kind: Any) -> Decoder:
    if kind is datetime:
        return parse_iso
    if _is_json_type(kind):
        if any(attrs.has(member) for member in typing.get_args(kind)):
            return lambda value: _json_reader.structure(json.loads(value), kind)
        return _text_list if typing.get_args(kind) == (str,) else json.loads
    if kind is bool:
        return bool
    return None
