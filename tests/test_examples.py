"""The examples in examples/ run and show what they claim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))

import pipeline  # noqa: E402
import quickstart  # noqa: E402


class TestQuickstart:
    @pytest.mark.parametrize("backend", ["memory", "sqlite"])
    def test_walks_the_core_api_on_both_backends(self, backend: str, tmp_path: Path) -> None:
        """The quickstart signs up, publishes, is refused by role, and keeps the audit chain."""
        db = ":memory:" if backend == "memory" else str(tmp_path / "demo.db")
        seen = quickstart.main(db)
        assert seen == {
            "tenant": "acme-bank",
            "board": ["Senior Backend Engineer"],
            "open": ["Data Analyst", "Senior Backend Engineer"],
            "interviewer_refused": True,
            "audit_ok": True,
        }

    def test_runs_as_a_script(self) -> None:
        """``python examples/quickstart.py`` exits 0 and reports an intact chain."""
        done = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "quickstart.py")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Audit chain intact: True" in done.stdout


class TestPipeline:
    @pytest.mark.parametrize("backend", ["memory", "sqlite"])
    def test_hires_one_applicant_on_both_backends(self, backend: str, tmp_path: Path) -> None:
        """The pipeline example applies twice (one candidate), interviews, offers, accepts,
        and leaves exact counters, the webhook events and an intact chain."""
        db = ":memory:" if backend == "memory" else str(tmp_path / "pipeline.db")
        assert pipeline.main(db) == {
            "dedup": True,
            "stage": "hired",
            "counters": (1, 1),
            "events": [
                "candidate.applied",
                "candidate.stage_changed",
                "candidate.stage_changed",
                "candidate.stage_changed",
                "interview.completed",
                "interview.scheduled",
                "offer.accepted",
                "offer.sent",
                "vacancy.published",
            ],
            "audit_ok": True,
        }
