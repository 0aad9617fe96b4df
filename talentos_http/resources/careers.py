"""The public careers board."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.vacancies import CareersFilter, PublicVacancy
from talentos_core.errors import NotFound
from talentos_http.routing import Call, Route

TAG = "Careers board"


def list_open(call: Call) -> dict[str, Any]:
    where, page = call.query(CareersFilter), call.query(PageRequest)
    return {"vacancies": call.talentos.careers.list(where, page)}


def get_open(call: Call) -> dict[str, Any]:
    return {"vacancy": call.talentos.careers.get(call.params["vacancy_id"])}


ROUTES = [
    Route(
        "GET",
        "/api/careers/vacancies",
        list_open,
        "Open vacancies of every company.",
        TAG,
        query=(CareersFilter, PageRequest),
        reply={"vacancies": Page[PublicVacancy]},
    ),
    Route(
        "GET",
        "/api/careers/vacancies/{vacancy_id}",
        get_open,
        "One open vacancy.",
        TAG,
        reply={"vacancy": PublicVacancy},
        description="Anything not open answers 404.",
        raises=(NotFound,),
    ),
]
