"""Field rules declared once on attrs fields, checked by services and documented by OpenAPI.

A rule lives in a field's metadata under ``"rules"``. :func:`check` applies every rule of an
input object and raises one :class:`~talentos_core.errors.ValidationError` naming each field
that broke one; the HTTP adapter turns the same rules into JSON Schema keywords, so what the
documentation promises is what the core enforces.

A rule that spans fields (two filters that must agree, a status allowed only at creation)
is a ``validate()`` method on the input type, which :func:`check` calls once every field
obeys its own rules; see :func:`check`.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import attrs

from talentos_core.errors import ValidationError


class Unset(enum.Enum):
    """The type of :data:`UNSET`: a field a partial update leaves alone."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET = Unset.UNSET


@attrs.frozen
class Length:
    """A string (or list) of ``minimum`` to ``maximum`` characters (items)."""

    minimum: int = 0
    maximum: int | None = None

    def problem(self, value: Any) -> str | None:
        size = len(value)
        if size < self.minimum:
            if self.minimum == 1:
                return "must not be empty"
            return f"must be at least {self.minimum} characters"
        if self.maximum is not None and size > self.maximum:
            return f"must be at most {self.maximum} characters"
        if self.minimum and isinstance(value, str) and not _NOT_BLANK.search(value):
            return "must not be blank"
        return None

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"minLength": self.minimum} if self.minimum else {}
        if self.maximum is not None:
            out["maxLength"] = self.maximum
        if self.minimum:
            out["pattern"] = _NOT_BLANK.pattern  # unanchored: "has a non-space character"
        return out


@attrs.frozen
class Range:
    """A number from ``minimum`` to ``maximum`` inclusive."""

    minimum: float | None = None
    maximum: float | None = None

    def problem(self, value: Any) -> str | None:
        if isinstance(value, float) and not math.isfinite(value):
            return "must be a finite number"
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {_number(self.minimum)}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {_number(self.maximum)}"
        return None

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        return out


@attrs.frozen
class Pattern:
    """A string matching ``regex`` in full; ``explanation`` is what the caller reads."""

    regex: str
    explanation: str

    def problem(self, value: Any) -> str | None:
        return None if re.fullmatch(self.regex, value) else self.explanation

    def schema(self) -> dict[str, Any]:
        return {"pattern": f"^(?:{self.regex})$"}


@attrs.frozen
class IsoDate:
    """A calendar date written ``YYYY-MM-DD`` that exists (no 2024-02-30)."""

    def problem(self, value: Any) -> str | None:
        # The pattern first: date.fromisoformat also takes "20240101" and "2024-W01-1".
        if not isinstance(value, str) or not re.fullmatch(_DATE_PATTERN, value):
            return "must be a date like 2024-05-31"
        try:
            date.fromisoformat(value)
        except ValueError:
            return "must be a real calendar date"
        return None

    def schema(self) -> dict[str, Any]:
        return {"format": "date", "pattern": f"^(?:{_DATE_PATTERN})$"}


_DATE_PATTERN = "[0-9]{4}-[0-9]{2}-[0-9]{2}"


@attrs.frozen
class HasTimeZone:
    """A time that says which time zone it is in (a naive ``datetime`` is ambiguous)."""

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, datetime) or value.utcoffset() is None:
            return "must be a time with a time zone"
        return None

    def schema(self) -> dict[str, Any]:
        return {}  # JSON Schema's "date-time" (RFC 3339) already requires an offset


@attrs.frozen
class Items:
    """A list of at most ``maximum`` items, each obeying ``rules``."""

    maximum: int
    rules: tuple[Any, ...] = ()

    def problem(self, value: Any) -> str | None:
        if len(value) > self.maximum:
            return f"must have at most {self.maximum} items"
        for index, item in enumerate(value):
            for rule in self.rules:
                why = rule.problem(item)
                if why:
                    return f"item {index} {why}"
        return None

    def schema(self) -> dict[str, Any]:
        item_schema: dict[str, Any] = {}
        for rule in self.rules:
            item_schema.update(rule.schema())
        return {"maxItems": self.maximum, "items": item_schema}


@attrs.frozen
class OneOf:
    """A member of ``choices`` (an enum), or of its ``allowed`` members only; a plain string
    naming a member is converted."""

    choices: type[enum.Enum]
    allowed: tuple[enum.Enum, ...] = ()

    def problem(self, value: Any) -> str | None:
        members = self.allowed or tuple(self.choices)
        if isinstance(value, self.choices) and value in members:
            return None
        return "must be one of " + ", ".join(str(member.value) for member in members)

    def schema(self) -> dict[str, Any]:
        # The type already documents every member; a narrower field says which it takes.
        return {"enum": [member.value for member in self.allowed]} if self.allowed else {}


def choice(
    choices: type[enum.Enum],
    *,
    default: Any = attrs.NOTHING,
    doc: str = "",
    allowed: tuple[enum.Enum, ...] = (),
) -> Any:
    """A field holding a member of ``choices`` (only the ``allowed`` ones, when given);
    Python callers may pass its value instead."""

    def convert(value: Any) -> Any:
        try:
            return choices(value)
        except ValueError:
            return value  # left for check() to report as a ValidationError

    return attrs.field(
        default=default,
        converter=convert,
        metadata={"rules": (OneOf(choices, allowed),), "doc": doc},
    )


#: Whitespace spelled out: ``\s`` means different sets in Python, ECMA-262 (JSON Schema) and
#: Rust regexes, and a published pattern must accept exactly what :meth:`Pattern.problem` does.
#: This is the union of them all.
_SPACE = r"\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_NOT_BLANK = re.compile("[^" + _SPACE + "]")
EMAIL = Pattern(
    "[^@" + _SPACE + "]{1,64}@[^@" + _SPACE + "]+\\.[^@." + _SPACE + "]{2,}",
    "must be an email address",
)
HTTPS_URL = Pattern(
    "https://[^/?#@" + _SPACE + "]+(?:[/?#][^" + _SPACE + "]*)?", "must be an https:// URL"
)
HEX_COLOR = Pattern(r"#[0-9a-fA-F]{6}", "must be a colour like #7c3aed")
DATE = IsoDate()
TIME_ZONE = HasTimeZone()


def field(
    *rules: Any,
    default: Any = attrs.NOTHING,
    doc: str = "",
    secret: bool = False,
    name: str | None = None,
) -> Any:
    """An attrs field carrying ``rules`` (and a description for the API reference).

    A ``secret`` field (a password, a token) is left out of ``repr``, so it never reaches a log.
    ``name`` overrides the query parameter's name where the camelCase of the attribute will not
    do (``from`` is a Python keyword); only query parsing and its documentation read it.
    """
    metadata: dict[str, Any] = {"rules": rules, "doc": doc}
    if name is not None:
        metadata["name"] = name
    return attrs.field(default=default, repr=not secret, metadata=metadata)


def rules_of(attribute: attrs.Attribute[Any]) -> Sequence[Any]:
    return attribute.metadata.get("rules", ())


def check(instance: Any) -> None:
    """Raise :class:`ValidationError` naming every field of ``instance`` that breaks a rule.

    Unset and ``None`` values are not checked: whether a field may be absent or null is a
    matter of its type, which the edge that built the object has already enforced. A field
    holding another attrs object (a scorecard inside an interview patch) is checked too, its
    problems named ``outer.inner``.

    When every field obeys its rules and the type has a ``validate()`` method, that method runs
    last and may raise :class:`ValidationError` for rules that span fields. It runs only then so
    that it may rely on each field's own rules (a valid enum member, a number in range).
    """
    problems = _problems(instance)
    if problems:
        raise ValidationError(problems)


def _problems(instance: Any) -> dict[str, str]:
    problems: dict[str, str] = {}
    for attribute in attrs.fields(type(instance)):
        value = getattr(instance, attribute.name)
        if value is UNSET or value is None:
            continue
        for rule in rules_of(attribute):
            why = rule.problem(value)
            if why:
                problems[attribute.name] = why
                break
        else:
            if attrs.has(type(value)):
                inner = _problems(value)
                problems.update({f"{attribute.name}.{k}": why for k, why in inner.items()})
    validate = getattr(instance, "validate", None)
    if not problems and callable(validate):
        try:
            validate()
        except ValidationError as error:
            if not error.fields:
                raise  # nothing to merge: a hook should name fields, but lose nothing
            problems.update(error.fields)
    return problems


def changes(patch: Any, current: Any = None) -> dict[str, Any]:
    """The fields a partial update sets, by name; given ``current``, only those it changes."""
    return {
        attribute.name: value
        for attribute in attrs.fields(type(patch))
        if (value := getattr(patch, attribute.name)) is not UNSET
        and (current is None or getattr(current, attribute.name) != value)
    }


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
