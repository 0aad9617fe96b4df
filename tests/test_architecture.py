"""The shape of the code: dependencies point inward, and the public API is deliberate."""

from __future__ import annotations

import ast
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import talentos_core
import talentos_core.testing

ROOT = Path(__file__).resolve().parent.parent


class TestLayering:
    def test_import_linter_contracts_hold(self) -> None:
        """lint-imports (contracts in pyproject.toml) keeps frameworks out of the core."""
        lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
        assert lint is not None
        done = subprocess.run(
            [lint], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert "0 broken" in done.stdout

    def test_no_core_module_imports_a_framework_or_adapter(self) -> None:
        """No file under talentos_core names falcon, waitress, click or the adapters."""
        forbidden = {"falcon", "waitress", "click", "talentos_http", "talentos_cli"}
        offenders = []
        for path in (ROOT / "talentos_core").rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                offenders += [f"{path}: {n}" for n in names if n.split(".")[0] in forbidden]
        assert offenders == []


class TestPublicApi:
    def test_core_exports_are_pinned(self) -> None:
        """``talentos_core.__all__`` changes only on purpose (update this list with it)."""
        assert sorted(talentos_core.__all__) == sorted(
            [
                "UNSET",
                "VERSION",
                "AcceptInvite",
                "Actor",
                "ActorType",
                "Agency",
                "AgencyPatch",
                "AgencyStatus",
                "ApiKey",
                "Application",
                "ApplyResult",
                "AuditEvent",
                "AuditFilter",
                "BadRequest",
                "Candidate",
                "CandidateFilter",
                "CandidatePatch",
                "CareersFilter",
                "ClientEvent",
                "Conflict",
                "Credentials",
                "EmailTaken",
                "EmploymentType",
                "Forbidden",
                "ImportResult",
                "ImportRow",
                "InUse",
                "Integration",
                "IntegrationPatch",
                "Interview",
                "InterviewFilter",
                "InterviewKind",
                "InterviewPatch",
                "InterviewStatus",
                "InvalidCredentials",
                "InvalidToken",
                "InvalidTransition",
                "InviteRequest",
                "Level",
                "NewAgency",
                "NewApiKey",
                "NewIntegration",
                "NewInterview",
                "NewOffer",
                "NewScorecard",
                "NewSubsidiary",
                "NewVacancy",
                "NotFound",
                "Offer",
                "OfferFilter",
                "OfferPatch",
                "OfferStatus",
                "Origin",
                "Page",
                "PageRequest",
                "RateLimited",
                "Recommendation",
                "Role",
                "RowError",
                "Scorecard",
                "Settings",
                "Signup",
                "Source",
                "Stage",
                "Subsidiary",
                "SubsidiaryPatch",
                "TalentOS",
                "TalentOSError",
                "Tenant",
                "TenantPatch",
                "TooManyRows",
                "Unauthenticated",
                "Unavailable",
                "User",
                "Vacancy",
                "VacancyFilter",
                "VacancyPatch",
                "VacancyStatus",
                "ValidationError",
            ]
        )

    def test_every_export_exists(self) -> None:
        """Each name in ``__all__`` of the core and its testing module resolves."""
        for module in (talentos_core, talentos_core.testing):
            missing = [name for name in module.__all__ if not hasattr(module, name)]
            assert missing == []

    def test_importing_the_core_does_no_work(self) -> None:
        """Importing talentos_core opens no database and starts no thread."""
        code = (
            "import threading, talentos_core, talentos_http, talentos_cli.main;"
            "import os; print(threading.active_count(), os.path.exists('talentos.db'))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT / "tests",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.stdout.split() == ["1", "False"], done.stderr


#: Released migrations, by module, with the SHA-256 of their source. A database migrated by an
#: older release has already run these: editing one would leave it with a different schema
#: than a new installation. Add the next migration instead (and its line here).
RELEASED_MIGRATIONS = {
    "m001_foundation.py": "2e465b2c4580947dde9bc19cb10c8f8b51331d460f62a133dbe8bd2416eb554a",
}


class TestMigrations:
    def test_released_migrations_are_never_edited(self) -> None:
        """Each released migration module still has the source it was released with."""
        folder = ROOT / "talentos_core" / "backends" / "sqlite" / "migrations"
        found = {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.glob("m[0-9][0-9][0-9]_*.py"))
        }
        assert {name: found.get(name) for name in RELEASED_MIGRATIONS} == RELEASED_MIGRATIONS

    def test_migrations_are_numbered_in_order_without_gaps(self) -> None:
        """``MIGRATIONS`` applies module 001, 002 … in order, one entry per module."""
        from talentos_core.backends.sqlite.migrations import MIGRATIONS

        folder = ROOT / "talentos_core" / "backends" / "sqlite" / "migrations"
        modules = sorted(path.stem for path in folder.glob("m[0-9][0-9][0-9]_*.py"))
        assert [f"m{number:03d}" for number in range(1, len(modules) + 1)] == [
            name[:4] for name in modules
        ]
        assert [migration.__module__.rsplit(".", 1)[1] for migration in MIGRATIONS] == modules
