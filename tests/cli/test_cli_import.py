"""`talentos import candidates FILE.csv`: good rows in, bad rows out to a CSV beside it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from cli_support import Invoke, open_db

from talentos_core import Actor, NewVacancy, VacancyFilter
from talentos_core.domain.candidates import CandidateFilter
from talentos_core.domain.paging import PageRequest
from talentos_core.testing import sign_up

HEADER = "name,email,phone,experience,skills,vacancyId\n"


def _tenant_with_vacancy(db_path: str) -> tuple[str, str]:
    with open_db(db_path) as talentos:
        admin = sign_up(talentos, "Acme Bank")
        vacancy = talentos.vacancies.create(admin, NewVacancy("Teller"))
    assert admin.tenant_id is not None
    return admin.tenant_id, vacancy.id


def _candidates(db_path: str, tenant_id: str) -> dict[str, str]:
    """The tenant's candidates by email; the vacancy's counter must agree with them."""
    with open_db(db_path) as talentos:
        reader = talentos.store.reader()
        page = reader.candidates.list(tenant_id, CandidateFilter(), PageRequest(limit=200))
        vacancies = reader.vacancies.list(tenant_id, VacancyFilter(), PageRequest())
    assert [vacancy.applicants for vacancy in vacancies.items] == [page.total]
    return {candidate.email: candidate.name for candidate in page.items}


class TestImportCandidates:
    def test_good_rows_are_imported_and_bad_rows_written_beside_the_file(
        self, invoke: Invoke, db_path: str, tmp_path: Path
    ) -> None:
        """Valid rows become candidates; each bad row lands in FILE.errors.csv with its line,
        code and reason, and the summary counts both."""
        tenant_id, vacancy_id = _tenant_with_vacancy(db_path)
        source = tmp_path / "people.csv"
        source.write_text(
            HEADER
            + "Ama Owusu,ama@example.com,+233 20,7,Go;SQL,\n"
            + "No Email,,,,,\n"
            + "Kofi,kofi@example.com,,seven,,\n"
            + "Yaw,yaw@example.com,,,,vac_someone_elses\n"
            + "Efua,EFUA@example.com,,3,,\n",
            encoding="utf-8",
        )
        result = invoke(
            "import",
            "candidates",
            str(source),
            "--tenant",
            tenant_id,
            "--vacancy",
            vacancy_id,
            "--db",
            db_path,
        )
        assert result.exit_code == 0, result.output
        assert "5 rows into acme-bank: 2 created, 0 updated, 3 skipped" in result.output
        assert _candidates(db_path, tenant_id) == {
            "ama@example.com": "Ama Owusu",
            "EFUA@example.com": "Efua",
        }
        with (tmp_path / "people.errors.csv").open(newline="", encoding="utf-8") as f:
            failed = list(csv.DictReader(f))
        assert [(row["line"], row["code"], row["name"]) for row in failed] == [
            ("3", "validation_error", "No Email"),
            ("4", "validation_error", "Kofi"),
            ("5", "not_found", "Yaw"),
        ]
        assert "email" in failed[0]["message"]
        assert "experience" in failed[1]["message"]

    def test_importing_again_updates_instead_of_duplicating(
        self, invoke: Invoke, db_path: str, tmp_path: Path
    ) -> None:
        """A second run with the same emails (any case) updates, and leaves no errors file."""
        tenant_id, vacancy_id = _tenant_with_vacancy(db_path)
        source = tmp_path / "people.csv"
        source.write_text(HEADER + "Ama,ama@example.com,,,,\n", encoding="utf-8")
        args = ("--tenant", tenant_id, "--vacancy", vacancy_id, "--db", db_path, "--json")
        invoke("import", "candidates", str(source), *args)
        source.write_text(HEADER + "Ama Owusu,AMA@example.com,,,,\n", encoding="utf-8")
        result = invoke("import", "candidates", str(source), *args)
        assert json.loads(result.stdout) == {
            "total": 1,
            "created": 0,
            "updated": 1,
            "skipped": 0,
            "errorsFile": None,
        }
        assert _candidates(db_path, tenant_id) == {"ama@example.com": "Ama Owusu"}
        assert not (tmp_path / "people.errors.csv").exists()

    def test_a_file_larger_than_one_batch_is_imported_in_batches(
        self, invoke: Invoke, db_path: str, tmp_path: Path
    ) -> None:
        """1,201 rows (three batches of at most 500) are all imported and counted."""
        tenant_id, vacancy_id = _tenant_with_vacancy(db_path)
        source = tmp_path / "many.csv"
        rows = "".join(f"Person {n},p{n}@example.com,,,,\n" for n in range(1201))
        source.write_text(HEADER + rows, encoding="utf-8")
        result = invoke(
            "import",
            "candidates",
            str(source),
            "--tenant",
            tenant_id,
            "--vacancy",
            vacancy_id,
            "--db",
            db_path,
            "--json",
        )
        assert json.loads(result.stdout)["created"] == 1201
        with open_db(db_path) as talentos:
            vacancy = talentos.vacancies.get(Actor.system(tenant_id), vacancy_id)
        assert vacancy.applicants == 1201

    def test_an_unknown_tenant_is_one_line(
        self, invoke: Invoke, db_path: str, tmp_path: Path
    ) -> None:
        """A tenant that does not exist ends the command with one error line, exit 1."""
        source = tmp_path / "people.csv"
        source.write_text(HEADER, encoding="utf-8")
        result = invoke("import", "candidates", str(source), "--tenant", "nope", "--db", db_path)
        assert (result.exit_code, result.output.strip()) == (1, "error: no tenant 'nope'")
