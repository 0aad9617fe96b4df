"""The Python snippets in README.md and docs/ run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Snippets that are templates for the reader to fill in, not runnable as they stand.
TEMPLATES = ("PostgresStore",)


def snippets() -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))):
        blocks = re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.S)
        for number, block in enumerate(blocks, start=1):
            if not any(marker in block for marker in TEMPLATES):
                found.append((f"{path.name}#{number}", block))
    return found


@pytest.mark.parametrize(("where", "code"), snippets(), ids=[w for w, _ in snippets()])
def test_snippet_runs(where: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each snippet executes, and any ``test_*`` function it defines passes."""
    monkeypatch.chdir(tmp_path)  # snippets may create ./talentos.db
    namespace: dict[str, object] = {"__name__": "snippet"}
    exec(compile(code, where, "exec"), namespace)
    for name, value in namespace.items():
        if name.startswith("test_") and callable(value):
            value()


def test_there_are_snippets_to_run() -> None:
    """README's embedding example and the testing guide are among the snippets checked."""
    assert {"README.md#1", "README.md#2", "testing.md#1"} <= {w for w, _ in snippets()}
