"""Pipeline ports: candidates, their offers and their interviews."""

from __future__ import annotations

import builtins
from typing import Protocol

from talentos_core.domain.candidates import Candidate, CandidateFilter
from talentos_core.domain.interviews import Interview, InterviewFilter
from talentos_core.domain.offers import Offer, OfferFilter
from talentos_core.domain.paging import Page, PageRequest


class CandidateRepository(Protocol):
    def add(self, candidate: Candidate) -> None:
        """Store a new candidate; :class:`Conflict` if the vacancy already has one with this
        email (compared case-insensitively), :class:`NotFound` for an unknown vacancy or
        agency."""
        ...

    def get(self, tenant_id: str, candidate_id: str) -> Candidate: ...

    def find_by_email(self, tenant_id: str, vacancy_id: str, email: str) -> Candidate | None:
        """The vacancy's candidate with this email (any case): the dedupe key."""
        ...

    def update(self, candidate: Candidate) -> None:
        """Replace a candidate of its tenant; :class:`Conflict` if the new email is taken on
        the vacancy."""
        ...

    def delete(self, tenant_id: str, candidate_id: str) -> None: ...

    def list(self, tenant_id: str, where: CandidateFilter, page: PageRequest) -> Page[Candidate]:
        """Newest first; ``where.q`` is a case-insensitive substring of name, email and
        skills."""
        ...


class OfferRepository(Protocol):
    def add(self, offer: Offer) -> None:
        """Store a new offer; :class:`Conflict` for a second accepted offer of a candidate."""
        ...

    def get(self, tenant_id: str, offer_id: str) -> Offer: ...

    def update(self, offer: Offer) -> None:
        """Replace an offer of its tenant; :class:`Conflict` for a second accepted offer."""
        ...

    def delete(self, tenant_id: str, offer_id: str) -> None: ...

    def list(self, tenant_id: str, where: OfferFilter, page: PageRequest) -> Page[Offer]: ...

    def of_candidate(self, tenant_id: str, candidate_id: str) -> builtins.list[Offer]:
        """Every offer of the candidate, newest first."""
        ...


class InterviewRepository(Protocol):
    def add(self, interview: Interview) -> None: ...

    def get(self, tenant_id: str, interview_id: str) -> Interview: ...

    def update(self, interview: Interview) -> None: ...

    def delete(self, tenant_id: str, interview_id: str) -> None: ...

    def list(self, tenant_id: str, where: InterviewFilter, page: PageRequest) -> Page[Interview]:
        """By ``scheduled_at`` then id, earliest first; ``since`` (inclusive) and ``until``
        (exclusive) bound ``scheduled_at``."""
        ...

    def of_candidate(self, tenant_id: str, candidate_id: str) -> builtins.list[Interview]:
        """Every interview of the candidate, earliest first."""
        ...
