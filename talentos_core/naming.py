"""How the API spells attribute names."""

from __future__ import annotations

from functools import cache


@cache
def camel(name: str) -> str:
    """``employment_type`` → ``employmentType``: the API's (and the audit hash's) spelling."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
