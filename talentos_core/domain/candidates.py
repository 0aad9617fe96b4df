"""Candidates: people applying to one vacancy, the stage machine they move through, and the
rows an import brings in.

A candidate belongs to exactly one vacancy; the same person on another vacancy is another
candidate. Apply and import deduplicate by :func:`email_key` and vacancy id.

Import rows are parsed here rather than at the HTTP edge because each row must be able to
fail alone: the edge validates the envelope (``{rows}``), and :meth:`ImportRow.parse` turns one
row into an :class:`ImportRow` or a :class:`~talentos_core.errors.ValidationError` that the
import service records as that row's error.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Set
from datetime import datetime
from typing import Any

import attrs

from talentos_core.domain.rules import (
    EMAIL,
    UNSET,
    Length,
    Range,
    Unset,
    check,
    choice,
    field,
)
from talentos_core.domain.users import normalize_email
from talentos_core.domain.vacancies import SKILLS_RULE
from talentos_core.errors import Forbidden, InvalidTransition, ValidationError
from talentos_core.naming import camel


class Stage(enum.StrEnum):
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEW = "interview"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


#: Stages from which a candidate may move to any other stage.
ACTIVE_STAGES: frozenset[Stage] = frozenset(
    {Stage.APPLIED, Stage.SCREENING, Stage.INTERVIEW, Stage.OFFER}
)


class Source(enum.StrEnum):
    CAREERS = "careers"
    IMPORT = "import"
    MANUAL = "manual"
    AGENCY = "agency"
    REFERRAL = "referral"


NAME_RULE = Length(1, 200)
EMAIL_RULES = (EMAIL, Length(3, 254))
PHONE_RULE = Length(0, 40)
LOCATION_RULE = Length(0, 200)
EXPERIENCE_RULE = Range(0, 70)
NOTES_RULE = Length(0, 10_000)
ID_RULE = Length(1, 64)


def email_key(email: str) -> str:
    """What apply and import deduplicate on (with the vacancy id): the email, trimmed and
    lower-cased."""
    return normalize_email(email)


@attrs.frozen
class Candidate:
    """One person on one vacancy.

    Invariant: ``hired_at`` is set exactly when ``stage`` is hired, which :meth:`move_to`, the
    only way a stage changes, maintains.
    """

    id: str
    tenant_id: str
    vacancy_id: str
    name: str
    email: str
    created_at: datetime
    updated_at: datetime
    stage_changed_at: datetime
    phone: str | None = None
    location: str | None = None
    experience: int | None = None
    skills: list[str] = attrs.Factory(list)
    stage: Stage = Stage.APPLIED
    source: Source = Source.MANUAL
    agency_id: str | None = None
    resume_upload_id: str | None = None
    notes: str | None = None
    hired_at: datetime | None = None

    def move_to(self, stage: Stage, now: datetime, *, may_leave_hired: bool) -> Candidate:
        """The candidate at ``stage``, stamped ``now``; the stage machine lives here alone.

        Moving to the current stage returns ``self`` itself: callers take identity to mean
        "nothing changed" (no write, no event). From an active stage any stage is allowed;
        rejected and withdrawn candidates may only be reopened to an active stage; leaving
        hired needs ``may_leave_hired`` (admin or chro), and may then go anywhere.

        Raises :class:`InvalidTransition` for a move the machine does not allow, and
        :class:`Forbidden` for leaving hired without the privilege.
        """
        stage = Stage(stage)  # a Python caller may pass the value
        if stage == self.stage:
            return self
        if self.stage == Stage.HIRED:
            if not may_leave_hired:
                raise Forbidden("Only admin or chro may move a candidate out of hired.")
        elif self.stage not in ACTIVE_STAGES and stage not in ACTIVE_STAGES:
            raise InvalidTransition(
                f"A candidate cannot move from {self.stage} to {stage}; "
                "reopen them to an active stage first."
            )
        return attrs.evolve(
            self,
            stage=stage,
            stage_changed_at=now,
            updated_at=now,
            hired_at=now if stage == Stage.HIRED else None,
        )

    def search_text(self) -> str:
        """What the list's ``q`` searches: name, email and skills, case-folded."""
        return "\n".join((self.name, self.email, *self.skills)).casefold()


@attrs.frozen
class Application:
    """A public application to an open vacancy (careers API and site)."""

    vacancy_id: str = field(ID_RULE)
    name: str = field(NAME_RULE)
    email: str = field(*EMAIL_RULES)
    phone: str | None = field(PHONE_RULE, default=None)
    location: str | None = field(LOCATION_RULE, default=None)
    experience: int | None = field(EXPERIENCE_RULE, default=None, doc="Years.")
    skills: list[str] = field(SKILLS_RULE, default=attrs.Factory(list))
    resume_upload_id: str | None = field(default=None, doc="A document uploaded beforehand.")


@attrs.frozen
class ImportRow:
    """One row of a candidate import: an application without a résumé, perhaps via an agency.

    Build one with :meth:`parse` (a JSON object) or :meth:`from_csv` (a CSV record); both raise
    :class:`ValidationError` for that row alone.
    """

    vacancy_id: str = field(ID_RULE)
    name: str = field(NAME_RULE)
    email: str = field(*EMAIL_RULES)
    phone: str | None = field(PHONE_RULE, default=None)
    location: str | None = field(LOCATION_RULE, default=None)
    experience: int | None = field(EXPERIENCE_RULE, default=None, doc="Years.")
    skills: list[str] = field(SKILLS_RULE, default=attrs.Factory(list))
    agency_id: str | None = None

    @classmethod
    def parse(cls, raw: object) -> ImportRow:
        """One row of an import body, strictly: the JSON types the API takes, nothing coerced.

        Keys are spelled as the API spells them (``vacancyId``, ``agencyId``), camelCase only:
        ``vacancy_id`` is refused like any unknown key (with a hint), so a row means the same
        thing here as in every other body. ``null`` leaves an optional field absent.

        Raises :class:`ValidationError` naming each offending field by attribute name (an
        unknown key by the key itself), with a message that lists the problems in the API's
        spelling, ready to be a row error's message.
        """
        if not isinstance(raw, dict):
            raise ValidationError({}, "The row must be a JSON object.")
        problems: dict[str, str] = {}
        unknown: set[str] = set()
        values: dict[str, Any] = {}
        for key, value in raw.items():
            name = _ROW_KEYS.get(key) if isinstance(key, str) else None
            if name is None:
                shown = _shown(key)
                # vacancy_id beside a bad vacancyId: one entry, the first problem found.
                if shown not in problems:
                    spelling = _API_NAMES.get(key) if isinstance(key, str) else None
                    hint = f" (write {spelling})" if spelling else ""
                    problems[shown] = "is not a known field" + hint
                    unknown.add(shown)
                continue
            why = _json_type_problem(name, value)
            if why:
                problems.setdefault(name, why)
            elif value is not None:
                values[name] = value
        for name in _ROW_REQUIRED:
            if name not in values and name not in problems:
                problems[name] = "is required"
        if problems:
            raise _row_error(problems, unknown)
        row = cls(**values)
        try:
            check(row)
        except ValidationError as error:
            raise _row_error(error.fields) from None
        return row

    @classmethod
    def from_csv(cls, record: Mapping[str | None, str | None]) -> ImportRow:
        """One CSV record (a ``csv.DictReader`` row, headers spelled like :meth:`parse` keys).

        CSV has only text, so: cells are trimmed and an empty cell is an absent field;
        ``skills`` is split on ``;`` or ``,``; ``experience`` must be ASCII digits. Cells a
        short record lacks (``None``) are absent; cells beyond the header (the ``None`` key
        ``csv.DictReader`` gives them) are refused, and so is a column :meth:`parse` does not
        know, even where its cell is empty (the file is read as the API would read it).

        Raises :class:`ValidationError` as :meth:`parse` does.
        """
        problems: dict[str, str] = {}
        raw: dict[str, Any] = {}
        for key, cell in record.items():
            if key is None:
                problems["row"] = "has more cells than the header has columns"
                continue
            text = cell.strip() if isinstance(cell, str) else ""
            if _ROW_KEYS.get(key) is None:
                raw[key] = text  # left for parse() to refuse by name, empty or not
            elif not text:
                continue
            elif key == "skills":
                raw[key] = [skill.strip() for skill in _SKILL_SEPARATOR.split(text)]
                raw[key] = [skill for skill in raw[key] if skill]
            elif key == "experience":
                if not re.fullmatch("[0-9]+", text):
                    problems["experience"] = "must be a whole number of years"
                    continue
                # int() refuses over 4,300 digits; any number of 10 digits breaks the range.
                digits = text.lstrip("0") or "0"
                raw[key] = int(digits) if len(digits) < 10 else 10**10
            else:
                raw[key] = text
        try:
            row = cls.parse(raw)
        except ValidationError as error:
            if not problems:
                raise
            # Every problem of the row at once: the cells' own, then parse()'s.
            message = _row_error(problems).message[:-1] + "; " + error.message
            raise ValidationError({**error.fields, **problems}, message[:1001]) from None
        if problems:
            raise _row_error(problems)
        return row


#: API key → attribute name, for the keys an import row takes, and back.
_ROW_KEYS = {camel(a.name): a.name for a in attrs.fields(ImportRow)}
_API_NAMES = {name: key for key, name in _ROW_KEYS.items() if key != name}
_ROW_REQUIRED = tuple(a.name for a in attrs.fields(ImportRow) if a.default is attrs.NOTHING)
_ROW_TYPES: dict[str, tuple[type, str]] = {
    "vacancy_id": (str, "a string"),
    "name": (str, "a string"),
    "email": (str, "a string"),
    "phone": (str, "a string"),
    "location": (str, "a string"),
    "experience": (int, "an integer"),
    "agency_id": (str, "a string"),
}
_ROW_NULLABLE = frozenset({"phone", "location", "experience", "agency_id"})
_SKILL_SEPARATOR = re.compile("[;,]")


def _json_type_problem(name: str, value: Any) -> str | None:
    """Why ``value`` is not the JSON type of field ``name``, or None (no coercion at all)."""
    if value is None:
        return None if name in _ROW_NULLABLE else "must not be null"
    if name == "skills":
        if not isinstance(value, list):
            return "must be a list"
        for index, item in enumerate(value):
            if not isinstance(item, str):
                return f"item {index} must be a string"
        return None
    kind, label = _ROW_TYPES[name]
    # bool is an int in Python, never in JSON: true is not 1 year of experience.
    if isinstance(value, bool) or not isinstance(value, kind):
        return f"must be {label}"
    return None


def _shown(key: object) -> str:
    """An unknown key as an error names it: hostile rows may send megabyte-long keys."""
    text = str(key)
    return text if len(text) <= 100 else text[:100] + "…"


def _row_error(problems: Mapping[str, str], unknown: Set[str] = frozenset()) -> ValidationError:
    """The row's error; its message names attributes in the API's spelling and ``unknown``
    keys as sent. (Not with naming.camel: its cache would grow with whatever clients send.)"""
    message = "; ".join(
        f"{name if name in unknown else _API_NAMES.get(name, name)} {why}"
        for name, why in problems.items()
    )
    return ValidationError(problems, message[:1000] + ".")


@attrs.frozen
class CandidatePatch:
    """Fields left :data:`UNSET` stay; ``None`` clears an optional field.

    The stage changes through :meth:`Candidate.move_to`; the vacancy never changes (moving a
    person to another vacancy is a new candidate).
    """

    name: str | Unset = field(NAME_RULE, default=UNSET)
    email: str | Unset = field(*EMAIL_RULES, default=UNSET)
    phone: str | Unset | None = field(PHONE_RULE, default=UNSET)
    location: str | Unset | None = field(LOCATION_RULE, default=UNSET)
    experience: int | Unset | None = field(EXPERIENCE_RULE, default=UNSET, doc="Years.")
    skills: list[str] | Unset = field(SKILLS_RULE, default=UNSET)
    stage: Stage | Unset = choice(Stage, default=UNSET)
    source: Source | Unset = choice(Source, default=UNSET)
    agency_id: str | Unset | None = UNSET
    resume_upload_id: str | Unset | None = UNSET
    notes: str | Unset | None = field(NOTES_RULE, default=UNSET)


@attrs.frozen
class CandidateFilter:
    """Which candidates a list shows; ``jobId`` and ``vacancyId`` are one filter."""

    job_id: str | None = field(default=None, doc="The vacancy's id.")
    vacancy_id: str | None = field(default=None, doc="The same filter as jobId (an alias).")
    stage: Stage | None = choice(Stage, default=None)
    source: Source | None = choice(Source, default=None)
    agency_id: str | None = None
    q: str | None = field(
        Length(1, 200), default=None, doc="Case-insensitive substring of name, email and skills."
    )

    def vacancy_ids(self) -> tuple[str, ...]:
        """The vacancy ids filtered on, whichever spelling gave them. Like every filter they
        all must hold: two different ones match no candidate."""
        return tuple(dict.fromkeys(v for v in (self.job_id, self.vacancy_id) if v is not None))


@attrs.frozen
class RowError:
    """Why one import row failed: ``row`` is its 0-based index in the request's rows."""

    row: int
    code: str
    message: str


@attrs.frozen
class ImportResult:
    """What an import did.

    Invariant: ``created + updated + skipped == total`` and ``skipped == len(errors)``; a
    result breaking it is a bug, refused with :class:`ValueError` on construction.
    """

    total: int
    created: int
    updated: int
    skipped: int
    errors: list[RowError] = attrs.Factory(list)

    def __attrs_post_init__(self) -> None:
        if self.created + self.updated + self.skipped != self.total:
            raise ValueError("created + updated + skipped must equal total")
        if self.skipped != len(self.errors):
            raise ValueError("skipped must equal the number of errors")


@attrs.frozen
class ApplyResult:
    """The candidate an application made, or found: ``dedup`` when it already existed."""

    candidate: Candidate
    dedup: bool


@attrs.frozen
class CandidateImport:
    """A bulk import: each row is validated on its own, so any JSON value is taken here."""

    rows: list[Any] = field(
        doc="Up to 500 objects `{vacancyId, name, email, phone?, location?, experience?, "
        "skills?, agencyId?}`; a row that is not one fails alone."
    )
