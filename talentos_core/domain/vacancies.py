"""Vacancies (job postings) and what the public careers board shows of them."""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from talentos_core.domain.rules import UNSET, Items, Length, Unset, choice, field
from talentos_core.domain.tenants import PublicCompany


class Level(enum.StrEnum):
    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"
    PRINCIPAL = "principal"
    EXECUTIVE = "executive"


class EmploymentType(enum.StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    INTERNSHIP = "internship"
    TEMPORARY = "temporary"


class VacancyStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


SKILLS_RULE = Items(50, (Length(1, 60),))


@attrs.frozen
class Vacancy:
    id: str
    tenant_id: str
    title: str
    created_at: datetime
    updated_at: datetime
    description: str | None = None
    location: str | None = None
    level: Level | None = None
    employment_type: EmploymentType | None = None
    skills: list[str] = attrs.Factory(list)
    status: VacancyStatus = VacancyStatus.OPEN
    subsidiary_id: str | None = None
    internal_notes: str | None = None
    applicants: int = 0
    hired: int = 0
    created_by: str | None = None

    def search_text(self) -> str:
        """What ``q`` searches: title, description and location, case-folded."""
        parts = (self.title, self.description or "", self.location or "")
        return "\n".join(parts).casefold()


@attrs.frozen
class NewVacancy:
    title: str = field(Length(1, 200))
    description: str | None = field(Length(0, 20_000), default=None)
    location: str | None = field(Length(0, 200), default=None)
    level: Level | None = choice(Level, default=None)
    employment_type: EmploymentType | None = choice(EmploymentType, default=None)
    skills: list[str] = field(SKILLS_RULE, default=attrs.Factory(list))
    status: VacancyStatus = choice(VacancyStatus, default=VacancyStatus.OPEN)
    subsidiary_id: str | None = None
    internal_notes: str | None = field(
        Length(0, 20_000), default=None, doc="Never shown on the careers board."
    )


@attrs.frozen
class VacancyPatch:
    """Fields left :data:`UNSET` stay; ``None`` clears an optional field."""

    title: str | Unset = field(Length(1, 200), default=UNSET)
    description: str | Unset | None = field(Length(0, 20_000), default=UNSET)
    location: str | Unset | None = field(Length(0, 200), default=UNSET)
    level: Level | Unset | None = choice(Level, default=UNSET)
    employment_type: EmploymentType | Unset | None = choice(EmploymentType, default=UNSET)
    skills: list[str] | Unset = field(SKILLS_RULE, default=UNSET)
    status: VacancyStatus | Unset = choice(VacancyStatus, default=UNSET)
    subsidiary_id: str | Unset | None = UNSET
    internal_notes: str | Unset | None = field(Length(0, 20_000), default=UNSET)


@attrs.frozen
class VacancyFilter:
    q: str | None = field(Length(1, 200), default=None, doc="Case-insensitive substring.")
    status: VacancyStatus | None = choice(VacancyStatus, default=None)
    subsidiary_id: str | None = None


@attrs.frozen
class CareersFilter:
    q: str | None = field(Length(1, 200), default=None, doc="Case-insensitive substring.")
    tenant: str | None = field(default=None, doc="A company's id, e.g. acme-bank.")
    location: str | None = field(Length(1, 200), default=None, doc="Exact, ignoring case.")


@attrs.frozen
class PublicVacancy:
    """A vacancy as the careers board shows it: no counters, creator or internal notes."""

    id: str
    title: str
    description: str | None
    location: str | None
    level: Level | None
    employment_type: EmploymentType | None
    skills: list[str]
    created_at: datetime
    company: PublicCompany
