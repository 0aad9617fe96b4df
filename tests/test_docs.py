"""The Python snippets in README.md and docs/ run as written, and docs/api.md's error table
is the API's."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from talentos_core import errors
from talentos_http.errors import FALCON_CODES, INTERNAL_ERROR, status_of

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


#: ``| 404 | `not_found` | …`` rows of docs/api.md's error table.
_ERROR_ROW = re.compile(r"^\| (\d{3}) \| `([a-z_]+)` \|", flags=re.M)


def documented_errors() -> list[tuple[str, int]]:
    """``(code, status)`` of each row of the table under docs/api.md's "## Errors"."""
    text = (ROOT / "docs" / "api.md").read_text()
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    return [(code, int(status)) for status, code in _ERROR_ROW.findall(section)]


def answered_errors() -> dict[str, int]:
    """Every code the API can answer, with its status: each error class of the core through
    the status table, Falcon's own errors, and the 500."""
    classes = [
        kind
        for _, kind in inspect.getmembers(errors, inspect.isclass)
        if issubclass(kind, errors.TalentOSError)
        and kind is not errors.TalentOSError
        and kind.__module__ == errors.__name__
    ]
    answered: dict[str, int] = {}
    pairs = [(kind.code, status_of(kind.__new__(kind))) for kind in classes]
    pairs += [(code, status) for status, code in FALCON_CODES.items()]
    pairs += [(INTERNAL_ERROR, 500)]
    for code, status in pairs:
        assert answered.setdefault(code, status) == status, f"{code} has two statuses"
    return answered


class TestTheApiDocument:
    def test_every_error_code_is_documented_with_its_status(self) -> None:
        """Each code the API answers is in docs/api.md's table with the status it answers."""
        documented = dict(documented_errors())
        missing = {c: s for c, s in answered_errors().items() if documented.get(c) != s}
        assert missing == {}

    def test_nothing_is_documented_that_the_api_does_not_answer(self) -> None:
        """Each row of the table names a code the API answers, with that status, once."""
        rows = documented_errors()
        answered = answered_errors()
        assert [(c, s) for c, s in rows if answered.get(c) != s] == []
        assert len(rows) == len({code for code, _ in rows}) > 0

    def test_the_documents_point_only_inside_the_repository(self) -> None:
        """README and docs/ name no file outside the project (such as ../shared/)."""
        for path in (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))):
            assert "../" not in path.read_text(), path.name
