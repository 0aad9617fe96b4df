"""Fixtures for the `talentos` command: an in-process runner and databases on disk."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
from cli_support import Invoke, clean_environment, open_db
from click.testing import CliRunner, Result

from talentos_cli.main import cli
from talentos_core import NewApiKey
from talentos_core.testing import sign_up


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "talentos.db")


@pytest.fixture
def invoke(tmp_path: Path) -> Invoke:
    """Run `talentos ARGS…` in-process, in ``tmp_path``, with a clean TalentOS environment.

    Unexpected exceptions propagate, so a traceback the user would see fails the test.
    """

    def run(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        with contextlib.chdir(tmp_path):
            return CliRunner().invoke(
                cli,
                list(args),
                env=clean_environment(**(env or {})),
                input=input,
                catch_exceptions=False,
            )

    return run


@pytest.fixture(scope="session")
def populated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built once: a database whose tenant ``acme-bank`` has a chain of three events."""
    path = tmp_path_factory.mktemp("template") / "talentos.db"
    with open_db(str(path)) as talentos:
        admin = sign_up(talentos, "Acme Bank")  # seq 1: tenant.created
        talentos.api_keys.mint(admin, NewApiKey("first"))  # seq 2
        talentos.api_keys.mint(admin, NewApiKey("second"))  # seq 3
    return path


@pytest.fixture
def populated_db(populated_template: Path, db_path: str) -> str:
    """A fresh copy of the template database (and its audit key file) for one test."""
    for suffix in ("", ".audit-key"):
        shutil.copy2(f"{populated_template}{suffix}", f"{db_path}{suffix}")
    return db_path
