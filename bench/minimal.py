"""Hand-written list endpoints: the work of TalentOS's list routes done with raw ``sqlite3``.

Each endpoint does what the real route does and no more, as a careful engineer would write
it by hand on the same file: the session looked up by its SHA-256 (joined with its user, whose
status and role are checked), the exact ``COUNT(*)`` and the page query on the same indexes,
the rows turned into camelCase dicts (JSON columns decoded) and encoded with the standard
library's ``json``, like the bench's first hand-written endpoint. The answers equal the real
ones (the bench compares them) except for the order of keys.

Used by ``http_list.py`` (the ``minimal`` target) and ``pipeline.py`` (the ``hand`` target).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, datetime
from typing import Any

import falcon

from talentos_core.roles import Operation

VACANCY_COLUMNS = (
    "id",
    "tenant_id",
    "title",
    "created_at",
    "updated_at",
    "description",
    "location",
    "level",
    "employment_type",
    "skills",
    "status",
    "subsidiary_id",
    "internal_notes",
    "applicants",
    "hired",
    "created_by",
)
CANDIDATE_COLUMNS = (
    "id",
    "tenant_id",
    "vacancy_id",
    "name",
    "email",
    "created_at",
    "updated_at",
    "stage_changed_at",
    "phone",
    "location",
    "experience",
    "skills",
    "stage",
    "source",
    "agency_id",
    "resume_upload_id",
    "notes",
    "hired_at",
)
#: Filters of the candidate list: query parameter → column (jobId is vacancyId's alias).
CANDIDATE_FILTERS = (
    ("jobId", "vacancy_id"),
    ("vacancyId", "vacancy_id"),
    ("stage", "stage"),
    ("source", "source"),
    ("agencyId", "agency_id"),
)
_FTS = "rowid IN (SELECT rowid FROM candidates_search WHERE candidates_search MATCH ?)"


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class Handwritten:
    """The endpoints over one database file, a connection per thread."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.local = threading.local()
        self.vacancy_names = [camel(column) for column in VACANCY_COLUMNS]
        self.candidate_names = [camel(column) for column in CANDIDATE_COLUMNS]
        self.skills_at = CANDIDATE_COLUMNS.index("skills")
        # Who may list (the role table, read once: configuration, not work per request).
        self.vacancy_roles = frozenset(role.value for role in Operation.VACANCIES_LIST.roles)
        self.candidate_roles = frozenset(role.value for role in Operation.CANDIDATES_LIST.roles)

    def connection(self) -> sqlite3.Connection:
        found: sqlite3.Connection | None = getattr(self.local, "connection", None)
        if found is None:
            found = sqlite3.connect(
                self.db, isolation_level=None, check_same_thread=False, timeout=10
            )
            found.execute("PRAGMA journal_mode = WAL")
            found.execute("PRAGMA synchronous = FULL")
            found.execute("PRAGMA busy_timeout = 10000")
            self.local.connection = found
        return found

    def tenant(self, c: sqlite3.Connection, req: falcon.Request, roles: frozenset[str]) -> str:
        values = req.get_cookie_values("talentos_sid")
        if not values:
            raise falcon.HTTPUnauthorized()
        token_hash = hashlib.sha256(values[0].encode()).hexdigest()
        found = c.execute(
            "SELECT s.expires_at, u.tenant_id, u.status, u.role FROM sessions s "
            "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
            (token_hash,),
        ).fetchone()
        now = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        if found is None or found[0] <= now or found[2] != "active":
            raise falcon.HTTPUnauthorized()
        if found[3] not in roles:
            raise falcon.HTTPForbidden()
        tenant_id: str = found[1]
        return tenant_id

    @staticmethod
    def paging(req: falcon.Request) -> tuple[int, int]:
        return min(int(req.get_param("limit") or 50), 200), int(req.get_param("offset") or 0)

    def vacancies(self, req: falcon.Request, resp: falcon.Response) -> None:
        c = self.connection()
        tenant_id = self.tenant(c, req, self.vacancy_roles)
        limit, offset = self.paging(req)
        total = c.execute(
            "SELECT COUNT(*) FROM vacancies WHERE tenant_id = ?", (tenant_id,)
        ).fetchone()[0]
        rows = c.execute(
            f"SELECT {', '.join(VACANCY_COLUMNS)} FROM vacancies WHERE tenant_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
            (tenant_id, limit, offset),
        ).fetchall()
        items = []
        for row in rows:
            item = dict(zip(self.vacancy_names, row, strict=True))
            item["skills"] = json.loads(item["skills"])
            items.append(item)
        self.send(resp, "vacancies", items, total, limit, offset)

    def candidates(self, req: falcon.Request, resp: falcon.Response) -> None:
        c = self.connection()
        tenant_id = self.tenant(c, req, self.candidate_roles)
        limit, offset = self.paging(req)
        clauses, params = [], []
        for name, column in CANDIDATE_FILTERS:
            value = req.get_param(name)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        q = req.get_param("q")
        select = f"SELECT {', '.join(CANDIDATE_COLUMNS)} FROM candidates"
        order = "ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        if q is None:
            where = " AND ".join(["tenant_id = ?", *clauses])
            total = c.execute(
                f"SELECT COUNT(*) FROM candidates WHERE {where}", (tenant_id, *params)
            ).fetchone()[0]
            rows = c.execute(
                f"{select} WHERE {where} {order}", (tenant_id, *params, limit, offset)
            ).fetchall()
        else:
            term = q.casefold()
            # The trigram index finds the rows (3 characters or more), instr() decides. The
            # count is driven by the index's matches (``+tenant_id`` keeps the planner from
            # walking the tenant's whole index instead); the page walks the tenant's newest
            # first index, probing the matches, and stops after the page.
            phrase = '"' + term.replace('"', '""') + '"'
            narrow = [_FTS] if len(term) >= 3 else []
            narrow_params = [phrase] if narrow else []
            checks = [*clauses, "instr(search_text, ?) > 0"]
            count_where = " AND ".join([*narrow, "+tenant_id = ?", *checks])
            total = c.execute(
                f"SELECT COUNT(*) FROM candidates WHERE {count_where}",
                (*narrow_params, tenant_id, *params, term),
            ).fetchone()[0]
            rows = []
            if total > offset:
                page_where = " AND ".join(["tenant_id = ?", *narrow, *checks])
                rows = c.execute(
                    f"{select} WHERE {page_where} {order}",
                    (tenant_id, *narrow_params, *params, term, limit, offset),
                ).fetchall()
        items = []
        skills = self.skills_at
        for row in rows:
            item = dict(zip(self.candidate_names, row, strict=True))
            item["skills"] = json.loads(row[skills])
            items.append(item)
        self.send(resp, "candidates", items, total, limit, offset)

    @staticmethod
    def send(
        resp: falcon.Response, key: str, items: list[Any], total: int, limit: int, offset: int
    ) -> None:
        body = {"ok": True, key: items, "total": total, "limit": limit, "offset": offset}
        resp.content_type = falcon.MEDIA_JSON
        resp.data = json.dumps(body).encode()


def app(db: str) -> falcon.App:
    """The hand-written endpoints as a bare Falcon app."""
    handwritten = Handwritten(db)

    class Route:
        def __init__(self, handler: Any) -> None:
            self.on_get = handler

    application = falcon.App()
    application.add_route("/api/vacancies", Route(handwritten.vacancies))
    application.add_route("/api/candidates", Route(handwritten.candidates))
    return application
