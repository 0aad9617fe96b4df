"""The SQLite edge's converter: domain objects to rows and back.

Columns are named like attributes. Times are stored as ISO 8601 text with a ``Z`` (so they
sort as text), lists and dicts as JSON, booleans as 0/1. Extra columns that exist only for
querying (``email_key``, ``search_text`` …) are added by the repositories and ignored here.
"""

from __future__ import annotations

import enum
import json
import typing
from datetime import datetime
from typing import Any, TypeVar

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
