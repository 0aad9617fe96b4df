"""SQLite rows: what the read path decodes is what the write path encoded."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from talentos_core.backends.sqlite.rows import _dumps, _text_list


class TestTextListColumns:
    @given(st.lists(st.text()))
    def test_orjson_reads_lists_of_text_as_the_standard_library_does(
        self, texts: list[str]
    ) -> None:
        """Skills and interviewers written by the row converter read back the same, as
        ``json.loads`` would read them (any text: quotes, controls, astral characters)."""
        written = _dumps(texts)
        assert _text_list(written) == json.loads(written) == texts

    def test_what_orjson_refuses_falls_back_to_the_standard_library(self) -> None:
        """JSON that ``json.dumps`` may write but orjson refuses (NaN) still reads."""
        assert str(_text_list("[NaN]")) == "[nan]"
