"""SQLite pipeline repositories: candidates, offers, interviews."""

from __future__ import annotations

import builtins
import json
from typing import Any

from talentos_core.backends.sqlite.base import (
    NEWEST,
    SQLiteRecords,
    SQLiteRepository,
    columns_equal,
    equal_to,
)
from talentos_core.backends.sqlite.rows import to_row
from talentos_core.clock import isoformat
from talentos_core.domain.candidates import Candidate, CandidateFilter, email_key
from talentos_core.domain.interviews import Interview, InterviewFilter
from talentos_core.domain.offers import Offer, OfferFilter
from talentos_core.domain.paging import Page, PageRequest

#: Terms this long or longer are narrowed by the trigram index; shorter ones scan the
#: tenant's rows (a trigram index cannot answer them).
TRIGRAM = 3
#: What ``search_text`` holds between fields: the newline that joins them, and the newline
#: stored for each NUL (FTS5 reads text only up to a NUL, so the rest would go unindexed). A
#: term holding one of these would match across fields there, so it tests each field itself.
SEPARATORS = ("\n", "\x00")


def fields_contain(name: str, email: str, skills: str, term: str) -> bool:
    """Whether the case-folded ``term`` is in the name, the email or one skill (a JSON list):
    the SQL function ``fields_contain`` every store connection registers."""
    return any(term in part.casefold() for part in (name, email, *json.loads(skills)))


def fts_phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: the trigram index matches it as a substring."""
    return '"' + text.replace('"', '""') + '"'


class SQLiteCandidates(SQLiteRepository[Candidate]):
    table, kind = "candidates", Candidate

    @staticmethod
    def _row(candidate: Candidate) -> dict[str, Any]:
        return {
            **to_row(candidate),
            "email_key": email_key(candidate.email),
            "search_text": candidate.search_text().replace("\x00", "\n"),
        }

    def add(self, candidate: Candidate) -> None:
        self._insert(self._row(candidate))

    def get(self, tenant_id: str, candidate_id: str) -> Candidate:
        return self._scoped(tenant_id, candidate_id)

    def find_by_email(self, tenant_id: str, vacancy_id: str, email: str) -> Candidate | None:
        return self._one(
            f"{self._select} WHERE vacancy_id = ? AND email_key = ? AND tenant_id = ?",
            (vacancy_id, email_key(email), tenant_id),
        )

    def update(self, candidate: Candidate) -> None:
        self._update_scoped(self._row(candidate))

    def delete(self, tenant_id: str, candidate_id: str) -> None:
        self._delete_scoped(tenant_id, candidate_id)

    def list(self, tenant_id: str, where: CandidateFilter, page: PageRequest) -> Page[Candidate]:
        # The tenant comes last here: _search puts it where its plan needs it.
        clauses, params = columns_equal(
            (
                *(("vacancy_id", vacancy_id) for vacancy_id in where.vacancy_ids()),
                ("stage", where.stage),
                ("source", where.source),
                ("agency_id", where.agency_id),
            )
        )
        if where.q is not None:
            term = where.q.casefold()
            if any(separator in term for separator in SEPARATORS):
                # The search text joins the fields with newlines: only a per-field check can
                # tell whether such a term is in one field.
                clauses.append("fields_contain(name, email, skills, ?)")
                params.append(term)
            else:
                # instr() decides; the trigram index (terms of 3+ characters) only narrows.
                clauses.append("instr(search_text, ?) > 0")
                params.append(term)
                if len(term) >= TRIGRAM:
                    return self._search(tenant_id, fts_phrase(term), clauses, params, page)
        return self._page(
            " AND ".join(["tenant_id = ?", *clauses]), [tenant_id, *params], page, NEWEST
        )

    def _search(
        self,
        tenant_id: str,
        phrase: str,
        clauses: builtins.list[str],
        params: builtins.list[Any],
        page: PageRequest,
    ) -> Page[Candidate]:
        """A page of the rows the trigram index matches, with the exact total.

        The count starts from the index's matches and reads only their rows (the planner,
        left to itself, walked a tenant index and read every row of the tenant: at 100,000
        candidates 42 ms instead of 24 for a skill a fifth of them have, 23 ms instead of
        0.6 for an email). The same pass counts the matches of every tenant, which says how
        common the term is. Then the page, read the cheaper of two ways: nothing past the
        total; the matching rows read and sorted, which costs per match; or the newest-first
        index walked, probing the matches, until the page is full, which costs per index
        entry passed, about ``(offset + limit) / (share of rows matching)`` of them.
        """
        checks = " AND ".join(["tenant_id = ?", *clauses])
        matches, total = self._c.execute(
            f"SELECT COUNT(*), COALESCE(SUM({checks}), 0) FROM candidates WHERE {_MATCHES}",
            (tenant_id, *params, phrase),
        ).fetchone()
        items: builtins.list[Candidate] = []
        if total > page.offset:
            rows = self._c.execute("SELECT MAX(rowid) FROM candidates").fetchone()[0]
            walked = (page.offset + page.limit) * rows / matches
            if total * SORT_COST < walked:
                where = f"{_MATCHES} AND +tenant_id = ? AND {' AND '.join(clauses)}"
                values = (phrase, tenant_id, *params)
            else:
                where = f"{checks} AND {_MATCHES}"
                values = (tenant_id, *params, phrase)
            items = self._all(
                f"{self._select} WHERE {where} ORDER BY {NEWEST} LIMIT ? OFFSET ?",
                (*values, page.limit, page.offset),
            )
        return Page(items, int(total), page.limit, page.offset)


_MATCHES = "rowid IN (SELECT rowid FROM candidates_search WHERE candidates_search MATCH ?)"
#: Reading and sorting a matching row costs about this many index entries walked (measured
#: at 100,000 candidates: 3 us a row, 0.13 us an entry).
SORT_COST = 20


class SQLiteOffers(SQLiteRecords[Offer]):
    table, kind = "offers", Offer

    def list(self, tenant_id: str, where: OfferFilter, page: PageRequest) -> Page[Offer]:
        clauses, params = equal_to(
            tenant_id,
            (
                ("candidate_id", where.candidate_id),
                ("vacancy_id", where.vacancy_id),
                ("status", where.status),
            ),
        )
        return self._page(" AND ".join(clauses), params, page, NEWEST)

    def of_candidate(self, tenant_id: str, candidate_id: str) -> builtins.list[Offer]:
        return self._all(
            f"SELECT * FROM offers WHERE tenant_id = ? AND candidate_id = ? ORDER BY {NEWEST}",
            (tenant_id, candidate_id),
        )


_BY_SCHEDULE = "scheduled_at, id"


class SQLiteInterviews(SQLiteRecords[Interview]):
    table, kind = "interviews", Interview

    def list(self, tenant_id: str, where: InterviewFilter, page: PageRequest) -> Page[Interview]:
        clauses, params = equal_to(
            tenant_id,
            (
                ("candidate_id", where.candidate_id),
                ("vacancy_id", where.vacancy_id),
                ("status", where.status),
            ),
        )
        if where.since is not None:
            clauses.append("scheduled_at >= ?")
            params.append(isoformat(where.since))
        if where.until is not None:
            clauses.append("scheduled_at < ?")
            params.append(isoformat(where.until))
        return self._page(" AND ".join(clauses), params, page, _BY_SCHEDULE)

    def of_candidate(self, tenant_id: str, candidate_id: str) -> builtins.list[Interview]:
        return self._all(
            "SELECT * FROM interviews WHERE tenant_id = ? AND candidate_id = ? "
            f"ORDER BY {_BY_SCHEDULE}",
            (tenant_id, candidate_id),
        )
