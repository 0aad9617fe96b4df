"""Health, for monitors."""

from __future__ import annotations

from talentos_core.services.health import Health
from talentos_http.jsonio import send
from talentos_http.routing import Call, Route
from talentos_http.schema import render

TAG = "Health"


def health(call: Call) -> None:
    report = call.talentos.health.check()
    send(call.resp, render(report), 200 if report.ok else 503)


ROUTES = [
    Route(
        "GET",
        "/api/health",
        health,
        "Platform health; 503 when the store fails.",
        TAG,
        reply={"": Health},
        media_type="application/json",
    ),
]
