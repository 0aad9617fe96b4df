"""`talentos openapi` prints the same document the API serves."""

from __future__ import annotations

import json

from cli_support import Invoke

from talentos_http import openapi_document


def test_prints_the_openapi_document_as_json(invoke: Invoke):
    """The output parses as JSON and equals the HTTP layer's OpenAPI 3.1 document."""
    result = invoke("openapi")

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document == openapi_document()
    assert document["openapi"].startswith("3.1")
    assert "/api/health" in document["paths"]
