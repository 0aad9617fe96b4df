"""``talentos openapi``: the HTTP API's OpenAPI document, for clients and code generators."""

from __future__ import annotations

import json

import click


@click.command()
def openapi() -> None:
    """Print the OpenAPI 3.1 document of the HTTP API (as served at /api/openapi.json)."""
    # Imported here so that the admin commands never pay for (or depend on) the web layer.
    from talentos_http import openapi_document

    click.echo(json.dumps(openapi_document(), indent=2, ensure_ascii=False))
