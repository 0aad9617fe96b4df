"""The SQLite edge's converter: domain objects to rows and back.

Columns are named like attributes. Times are stored as ISO 8601 text with a ``Z`` (so they
sort as text), lists and dicts as JSON, booleans as 0/1. Extra columns that exist only for
querying (``email_key``, ``search_text`` …) are added by the repositories and ignored here.
"""

from __future__ import annotations

import enum
import json
import types
import typing
from datetime import datetime
from types import NoneType
from typing import Any, TypeVar, Union

import cattrs

from talentos_core.clock import isoformat, parse_iso

T = TypeVar("T")

_converter = cattrs.Converter(detailed_validation=False)
_converter.register_unstructure_hook(datetime, isoformat)
_converter.register_structure_hook(datetime, lambda value, _: parse_iso(value))
_converter.register_unstructure_hook(enum.Enum, lambda member: member.value)


def _is_json_type(kind: Any) -> bool:
    return typing.get_origin(kind) in (list, dict)


_converter.register_unstructure_hook_func(_is_json_type, lambda value: _dumps(value))
_converter.register_structure_hook_func(
    _is_json_type, lambda value, _: json.loads(value) if isinstance(value, str) else value
)


def _optional(kind: Any) -> Any:
    """``X | None`` with X's hook looked up once, not on every value (cattrs' default)."""
    inner = next(member for member in typing.get_args(kind) if member is not NoneType)
    hook = _converter.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _str_enum(value: Any, kind: type[enum.StrEnum]) -> Any:
    """``kind(value)``, taking the by-value table first as ``Enum.__new__`` does, but cheaper."""
    try:
        return kind._value2member_map_[value]
    except (KeyError, TypeError):
        return kind(value)


def _is_optional(kind: Any) -> bool:
    members = typing.get_args(kind)
    return (
        typing.get_origin(kind) in (Union, types.UnionType)
        and len(members) == 2
        and NoneType in members
    )


_converter.register_structure_hook_factory(_is_optional, _optional)
# StrEnum comes before str in the MRO, whose hook (``kind(value)``) its members got before.
_converter.register_structure_hook(enum.StrEnum, _str_enum)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_row(obj: Any) -> dict[str, Any]:
    """The row for an attrs domain object."""
    row: dict[str, Any] = _converter.unstructure(obj)
    return row


def from_row(cls: type[T], row: dict[str, Any]) -> T:
    """The domain object stored as ``row`` (extra columns are ignored)."""
    return _converter.structure(row, cls)


def dumps(value: Any) -> str:
    return _dumps(value)
