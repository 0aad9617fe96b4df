"""Printing for every command: one-line errors, JSON documents, domain objects as JSON."""

from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import IO, Any

import attrs
import click

from talentos_core.clock import isoformat
from talentos_core.naming import camel


class CommandError(click.ClickException):
    """A failure shown as one line ``error: <message>`` on stderr (exit 1), never a traceback."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True, file=file)


class ConfigError(CommandError):
    """A setting or the database path cannot be used: exit status 2, as for bad usage."""

    exit_code = 2


def emit_json(document: Any) -> None:
    """Write ``document`` to stdout as indented JSON."""
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def to_json(value: Any) -> Any:
    """An attrs object (or a structure of them) as JSON data with the API's camelCase names.

    Fields marked ``metadata={"secret": True}`` (hashes) are left out.
    """
    if attrs.has(type(value)):
        return {
            camel(field.name): to_json(getattr(value, field.name))
            for field in attrs.fields(type(value))
            if not field.metadata.get("secret")
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return isoformat(value)
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value
