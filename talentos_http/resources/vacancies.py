"""Vacancies of the caller's tenant."""

from __future__ import annotations

from typing import Any

from talentos_core.domain.paging import Page, PageRequest
from talentos_core.domain.vacancies import NewVacancy, Vacancy, VacancyFilter, VacancyPatch
from talentos_core.errors import InUse, NotFound
from talentos_core.roles import Operation
from talentos_http.routing import Call, Route

TAG = "Vacancies"


def list_vacancies(call: Call) -> dict[str, Any]:
    where, page = call.query(VacancyFilter), call.query(PageRequest)
    return {"vacancies": call.talentos.vacancies.list(call.actor, where, page)}


def create(call: Call) -> dict[str, Any]:
    return {"vacancy": call.talentos.vacancies.create(call.actor, call.body)}


def get(call: Call) -> dict[str, Any]:
    return {"vacancy": call.talentos.vacancies.get(call.actor, call.params["vacancy_id"])}


def update(call: Call) -> dict[str, Any]:
    vacancy_id = call.params["vacancy_id"]
    return {"vacancy": call.talentos.vacancies.update(call.actor, vacancy_id, call.body)}


def delete(call: Call) -> dict[str, Any]:
    call.talentos.vacancies.delete(call.actor, call.params["vacancy_id"])
    return {}


ROUTES = [
    Route(
        "GET",
        "/api/vacancies",
        list_vacancies,
        "List the tenant's vacancies.",
        TAG,
        operation=Operation.VACANCIES_LIST,
        query=(VacancyFilter, PageRequest),
        reply={"vacancies": Page[Vacancy]},
    ),
    Route(
        "POST",
        "/api/vacancies",
        create,
        "Create a vacancy.",
        TAG,
        operation=Operation.VACANCIES_CREATE,
        body=NewVacancy,
        reply={"vacancy": Vacancy},
        status=201,
        description="A vacancy created `open` fires `vacancy.published`.",
        raises=(NotFound,),
    ),
    Route(
        "GET",
        "/api/vacancies/{vacancy_id}",
        get,
        "Get a vacancy.",
        TAG,
        operation=Operation.VACANCIES_READ,
        reply={"vacancy": Vacancy},
        raises=(NotFound,),
    ),
    Route(
        "PATCH",
        "/api/vacancies/{vacancy_id}",
        update,
        "Update a vacancy.",
        TAG,
        operation=Operation.VACANCIES_UPDATE,
        body=VacancyPatch,
        reply={"vacancy": Vacancy},
        description="Becoming `open` fires `vacancy.published`. `applicants` and `hired` "
        "are maintained by the server.",
        raises=(NotFound,),
    ),
    Route(
        "DELETE",
        "/api/vacancies/{vacancy_id}",
        delete,
        "Delete a vacancy.",
        TAG,
        operation=Operation.VACANCIES_DELETE,
        description="409 `in_use` while it has candidates.",
        raises=(
            NotFound,
            InUse,
        ),
    ),
]
