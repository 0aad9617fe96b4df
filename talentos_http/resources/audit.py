"""The audit trail: list, record, export."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.audit import AuditEvent, AuditFilter, ClientEvent
from talentos_core.domain.paging import Page, PageRequest
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route

TAG = "Audit"


def list_events(call: Call) -> dict[str, Any]:
    where, page = call.query(AuditFilter), call.query(PageRequest)
    return {"events": call.talentos.audit.list(call.actor, where, page)}


def record(call: Call) -> dict[str, Any]:
    return {"event": call.talentos.audit.record(call.actor, call.body)}


def export(call: Call) -> None:
    chunks = call.talentos.audit.export_csv(call.actor)
    call.resp.content_type = "text/csv; charset=utf-8"
    filename = f"audit-{call.actor.tenant_id}.csv"
    call.resp.set_header("Content-Disposition", f'attachment; filename="{filename}"')
    call.resp.stream = (chunk.encode() for chunk in chunks)


ROUTES = [
    Route(
        "GET",
        "/api/audit",
        list_events,
        "List audit events, newest first.",
        TAG,
        operation=Operation.AUDIT_LIST,
        query=(AuditFilter, PageRequest),
        reply={"events": Page[AuditEvent]},
    ),
    Route(
        "POST",
        "/api/audit",
        record,
        "Record a client event (typed `client.<type>`).",
        TAG,
        operation=Operation.AUDIT_CREATE,
        body=ClientEvent,
        reply={"event": AuditEvent},
        status=201,
    ),
    Route(
        "GET",
        "/api/audit/export",
        export,
        "Download the whole trail as CSV (17 columns).",
        TAG,
        operation=Operation.AUDIT_EXPORT,
        media_type="text/csv",
        description="Streamed oldest first; columns id, ts, tenant_id, type, actor_type, "
        "actor_id, actor_email, actor_role, entity_type, entity_id, summary, ip, "
        "user_agent, request_id, cost_usd, prev_hash, hash.",
    ),
]
