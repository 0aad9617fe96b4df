"""The compiled response renderer answers byte for byte what cattrs' generated functions do.

Every attrs class of the domain and every type a route replies with (and the attrs classes
inside them, such as an interview's scorecards) is generated whole by Hypothesis — optional
fields set and unset, enums, aware times in several zones, nested lists of attrs objects,
free-form JSON — and rendered by both converters; the encoded bodies must be equal bytes.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Union

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import talentos_core.domain
from talentos_core.domain.candidates import Candidate, Source, Stage
from talentos_core.domain.interviews import Interview, Recommendation, Scorecard
from talentos_core.domain.paging import Page
from talentos_core.domain.users import User
from talentos_http import schema
from talentos_http.render import render_items
from talentos_http.resources import ROUTES

REFERENCE = schema._responses(compiled=False)
COMPILED = schema._responses()

ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-7))]
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _attrs_inside(kind: Any) -> set[type]:
    found: set[type] = set()
    if isinstance(kind, type) and attrs.has(kind):
        found.add(kind)
        for hint in typing.get_type_hints(kind).values():
            found |= _attrs_inside(hint)
    for member in typing.get_args(kind):
        found |= _attrs_inside(member)
    return found


def _rendered_types() -> list[type]:
    found: set[type] = set()
    for module in pkgutil.iter_modules(talentos_core.domain.__path__):
        if module.name == "rules":  # field rules (Length, OneOf…): the schema, not data
            continue
        loaded = importlib.import_module(f"talentos_core.domain.{module.name}")
        for value in vars(loaded).values():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == loaded.__name__:
                found |= _attrs_inside(value)
    for route in ROUTES:
        for kind in route.reply.values():
            found |= _attrs_inside(kind)
    # Generic classes (Page[T]) are rendered through their items; render_reply spreads them.
    generic = {kind for kind in found if getattr(kind, "__parameters__", ())}
    return sorted(found - generic, key=lambda kind: (kind.__module__, kind.__qualname__))


TYPES = _rendered_types()


def values(kind: Any, *, full: bool) -> st.SearchStrategy[Any]:
    """Values of the type hint ``kind``; ``full`` never leaves an optional field None or a
    list empty."""
    origin, members = typing.get_origin(kind), typing.get_args(kind)
    if origin in (Union, types.UnionType):
        present = [member for member in members if member is not type(None)]
        options = [values(member, full=full) for member in present]
        if type(None) in members and not full:
            options.append(st.none())
        return st.one_of(options)
    if origin is list:
        (item,) = members or (Any,)
        return st.lists(values(item, full=full), min_size=1 if full else 0, max_size=3)
    if origin is tuple:
        return st.tuples(*(values(member, full=full) for member in members))
    if origin is dict or kind is dict:
        return st.dictionaries(st.text(max_size=6), JSON, min_size=1 if full else 0, max_size=3)
    if kind is Any:
        return JSON
    if kind is type(None):
        return st.none()
    if kind is str:
        return st.text(max_size=12)
    if kind is bool:
        return st.booleans()
    if kind is int:
        return st.integers(-(2**63), 2**63 - 1)
    if kind is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind is datetime:
        return st.datetimes(
            min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES
        )
    if kind is date:
        return st.dates()
    if kind is timedelta:
        return st.timedeltas()
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.sampled_from(list(kind))
    if attrs.has(kind):
        return whole(kind, full=full)
    raise AssertionError(f"no strategy for {kind!r}: teach values() this type")


def whole(cls: type, *, full: bool) -> st.SearchStrategy[Any]:
    """A ``cls`` with every field drawn, its own checks bypassed: renderers only read fields,
    and invariants (``ImportResult``'s counts) would reject nearly every draw."""
    hints = typing.get_type_hints(cls)
    fields = {a.name: values(hints[a.name], full=full) for a in attrs.fields(cls)}
    return st.fixed_dictionaries(fields).map(lambda drawn: _unchecked(cls, drawn))


def _unchecked(cls: type, drawn: dict[str, Any]) -> Any:
    instance = object.__new__(cls)
    for name, value in drawn.items():
        object.__setattr__(instance, name, value)
    return instance


def _bytes(converter: Any, value: Any) -> bytes | str:
    """The JSON bytes of ``value`` as ``converter`` renders it, or the name of the error that
    stops it (a ``timedelta`` is no JSON: both ways must fail alike)."""
    try:
        return orjson.dumps(converter.unstructure(value))
    except Exception as error:
        return type(error).__name__


def _reference_list(items: list[Any]) -> bytes:
    return orjson.dumps(REFERENCE.unstructure(items))


class TestTheCompiledRenderer:
    def test_the_rendered_types_include_nested_and_secret_fields(self) -> None:
        """The walk finds the classes this test is about: nested scorecards, a secret-bearing
        user, the candidate list's items."""
        assert {Candidate, Interview, Scorecard, User} <= set(TYPES)

    @pytest.mark.parametrize("cls", TYPES, ids=lambda cls: cls.__qualname__)
    @pytest.mark.parametrize("full", [True, False], ids=["full", "sparse"])
    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_every_type_renders_as_cattrs_renders_it(
        self, cls: type, full: bool, data: st.DataObject
    ) -> None:
        """Whole objects of every rendered type give the same JSON bytes both ways."""
        value = data.draw(whole(cls, full=full))
        assert _bytes(COMPILED, value) == _bytes(REFERENCE, value)

    def test_the_compiled_functions_are_in_use(self) -> None:
        """The app's converter renders attrs objects with the compiled functions."""
        hook = schema._RESPONSES.get_unstructure_hook(Candidate)
        assert hook.__code__.co_filename == "<renderer for Candidate>"

    @settings(max_examples=20, deadline=None)
    @given(user=whole(User, full=True))
    def test_secrets_are_left_out(self, user: User) -> None:
        """A user's password hash is never rendered, compiled or not."""
        assert user.password_hash is not None
        rendered = COMPILED.unstructure(user)
        assert "passwordHash" not in rendered
        assert rendered == REFERENCE.unstructure(user)

    def test_a_known_candidate_renders_exactly(self) -> None:
        """Enums become their values, times ISO with a Z in UTC, None stays null."""
        at = datetime(2025, 3, 1, 12, 30, 0, 5, tzinfo=timezone(timedelta(hours=1)))
        candidate = Candidate(
            "cand_1", "acme", "vac_1", "Ada", "ada@example.com", at, at, at,
            skills=["Go"], stage=Stage.HIRED, source=Source.AGENCY, hired_at=at,
        )  # fmt: skip
        assert COMPILED.unstructure(candidate) == {
            "id": "cand_1",
            "tenantId": "acme",
            "vacancyId": "vac_1",
            "name": "Ada",
            "email": "ada@example.com",
            "createdAt": "2025-03-01T11:30:00.000005Z",
            "updatedAt": "2025-03-01T11:30:00.000005Z",
            "stageChangedAt": "2025-03-01T11:30:00.000005Z",
            "phone": None,
            "location": None,
            "experience": None,
            "skills": ["Go"],
            "stage": "hired",
            "source": "agency",
            "agencyId": None,
            "resumeUploadId": None,
            "notes": None,
            "hiredAt": "2025-03-01T11:30:00.000005Z",
        }

    @settings(max_examples=30, deadline=None)
    @given(
        items=st.lists(
            st.one_of(
                whole(Scorecard, full=False), whole(Interview, full=True), st.just(Stage.HIRED)
            ),
            max_size=5,
        )
    )
    def test_lists_render_item_by_item_as_cattrs_does(self, items: list[Any]) -> None:
        """A page's items, of one class or several, render as cattrs renders the list."""
        assert orjson.dumps(render_items(COMPILED, items)) == _reference_list(items)

    def test_a_page_spreads_into_the_reply(self) -> None:
        """render_reply puts a page's items under its key with total, limit and offset."""
        card = Scorecard("Ada", 80, Recommendation.HIRE)
        body = schema.render_reply({"scorecards": Page([card], 7, 1, 0)})
        assert body == {
            "ok": True,
            "scorecards": [
                {
                    "interviewer": "Ada",
                    "score": 80,
                    "recommendation": "hire",
                    "notes": None,
                    "submittedAt": None,
                }
            ],
            "total": 7,
            "limit": 1,
            "offset": 0,
        }
