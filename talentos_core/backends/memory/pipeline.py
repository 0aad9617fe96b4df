"""In-memory pipeline repositories: candidates, offers, interviews."""

from __future__ import annotations

import builtins

from talentos_core.backends.memory.base import (
    MemoryRecords,
    MemoryRepository,
    newest_first,
    page_of,
)
from talentos_core.domain.candidates import Candidate, CandidateFilter, email_key
from talentos_core.domain.interviews import Interview, InterviewFilter
from talentos_core.domain.offers import Offer, OfferFilter, OfferStatus
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.errors import Conflict


def _contains(candidate: Candidate, term: str) -> bool:
    """Whether the case-folded ``term`` is in the name, the email or one skill: never across
    two of them, as a search of the joined ``search_text`` would allow."""
    return any(
        term in part.casefold() for part in (candidate.name, candidate.email, *candidate.skills)
    )


class MemoryCandidates(MemoryRepository[Candidate]):
    table = "candidates"
    references = (("tenant_id", "tenants"), ("vacancy_id", "vacancies"), ("agency_id", "agencies"))
    referenced_by = (("offers", "candidate_id"), ("interviews", "candidate_id"))

    def _check_unique(self, candidate: Candidate) -> None:
        """One candidate per (vacancy, email), like SQLite's unique index."""
        wanted = email_key(candidate.email)
        for row in self._t.table(self.table).values():
            if (
                row.id != candidate.id
                and row.vacancy_id == candidate.vacancy_id
                and email_key(row.email) == wanted
            ):
                raise Conflict("that record already exists")

    def add(self, candidate: Candidate) -> None:
        with self._t.lock:
            self._check_unique(candidate)
            self._insert(candidate.id, candidate)

    def get(self, tenant_id: str, candidate_id: str) -> Candidate:
        return self._scoped(tenant_id, candidate_id)

    def find_by_email(self, tenant_id: str, vacancy_id: str, email: str) -> Candidate | None:
        wanted = email_key(email)
        found = self._t.select(
            self.table,
            lambda row: (
                row.tenant_id == tenant_id
                and row.vacancy_id == vacancy_id
                and email_key(row.email) == wanted
            ),
        )
        return found[0] if found else None

    def update(self, candidate: Candidate) -> None:
        with self._t.lock:
            self._scoped(candidate.tenant_id, candidate.id)
            self._check_unique(candidate)
            self._replace_scoped(candidate.tenant_id, candidate.id, candidate)

    def delete(self, tenant_id: str, candidate_id: str) -> None:
        self._delete_scoped(tenant_id, candidate_id)

    def list(self, tenant_id: str, where: CandidateFilter, page: PageRequest) -> Page[Candidate]:
        vacancy_ids = where.vacancy_ids()
        q = where.q.casefold() if where.q is not None else None
        rows = self._t.select(
            self.table,
            lambda row: (
                row.tenant_id == tenant_id
                and all(row.vacancy_id == vacancy_id for vacancy_id in vacancy_ids)
                and (where.stage is None or row.stage == where.stage)
                and (where.source is None or row.source == where.source)
                and (where.agency_id is None or row.agency_id == where.agency_id)
                and (q is None or _contains(row, q))
            ),
        )
        return page_of(newest_first(rows), page)


class MemoryOffers(MemoryRecords[Offer]):
    table = "offers"
    references = (
        ("tenant_id", "tenants"),
        ("candidate_id", "candidates"),
        ("vacancy_id", "vacancies"),
    )

    def _check_one_accepted(self, offer: Offer) -> None:
        """At most one accepted offer per candidate, like SQLite's partial unique index."""
        if offer.status != OfferStatus.ACCEPTED:
            return
        for row in self._t.table(self.table).values():
            if (
                row.id != offer.id
                and row.candidate_id == offer.candidate_id
                and row.status == OfferStatus.ACCEPTED
            ):
                raise Conflict("that record already exists")

    def add(self, offer: Offer) -> None:
        with self._t.lock:
            self._check_one_accepted(offer)
            self._insert(offer.id, offer)

    def update(self, offer: Offer) -> None:
        with self._t.lock:
            self._scoped(offer.tenant_id, offer.id)
            self._check_one_accepted(offer)
            self._replace_scoped(offer.tenant_id, offer.id, offer)

    def list(self, tenant_id: str, where: OfferFilter, page: PageRequest) -> Page[Offer]:
        rows = self._matching(
            tenant_id,
            (
                ("candidate_id", where.candidate_id),
                ("vacancy_id", where.vacancy_id),
                ("status", where.status),
            ),
        )
        return page_of(newest_first(rows), page)

    def of_candidate(self, tenant_id: str, candidate_id: str) -> builtins.list[Offer]:
        return newest_first(self._matching(tenant_id, (("candidate_id", candidate_id),)))


def _by_schedule(interview: Interview) -> tuple[object, str]:
    return (interview.scheduled_at, interview.id)


class MemoryInterviews(MemoryRecords[Interview]):
    table = "interviews"
    references = (
        ("tenant_id", "tenants"),
        ("candidate_id", "candidates"),
        ("vacancy_id", "vacancies"),
    )

    def list(self, tenant_id: str, where: InterviewFilter, page: PageRequest) -> Page[Interview]:
        rows = [
            row
            for row in self._matching(
                tenant_id,
                (
                    ("candidate_id", where.candidate_id),
                    ("vacancy_id", where.vacancy_id),
                    ("status", where.status),
                ),
            )
            if (where.since is None or row.scheduled_at >= where.since)
            and (where.until is None or row.scheduled_at < where.until)
        ]
        return page_of(sorted(rows, key=_by_schedule), page)

    def of_candidate(self, tenant_id: str, candidate_id: str) -> builtins.list[Interview]:
        return sorted(
            self._matching(tenant_id, (("candidate_id", candidate_id),)), key=_by_schedule
        )
