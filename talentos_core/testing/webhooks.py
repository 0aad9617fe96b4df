"""Fakes for webhook delivery: a resolver that answers from a table. Thread-safe."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

from talentos_core.webhooks.targets import ResolveError

#: One answer of a :class:`FakeResolver`: an address, or a list of them (empty: no address).
Answer = str | Sequence[str]


class FakeResolver:
    """A :class:`~talentos_core.webhooks.targets.Resolver` answering from ``hosts``.

    Each host maps to one of:

    - an address, or a list of addresses: the answer every time;
    - a list of *lists*: answers given in turn, the last one repeating — so
      ``{"hook.example": [["93.184.216.34"], ["127.0.0.1"]]}`` answers public, then private,
      as a DNS rebinding attacker would.

    An empty list, or a host not in the table, raises
    :class:`~talentos_core.webhooks.targets.ResolveError`. ``calls`` records each
    ``(host, port)`` looked up.
    """

    def __init__(self, hosts: Mapping[str, Answer | Sequence[Sequence[str]]] | None = None) -> None:
        self._turns: dict[str, list[list[str]]] = {}
        self._lock = threading.Lock()
        self.calls: list[tuple[str, int]] = []
        for host, answer in (hosts or {}).items():
            self.set(host, answer)

    def set(self, host: str, answer: Answer | Sequence[Sequence[str]]) -> None:
        """Replace what ``host`` resolves to (same forms as the constructor's table)."""
        if isinstance(answer, str):
            turns = [[answer]]
        elif answer and all(not isinstance(item, str) for item in answer):
            turns = [list(item) for item in answer]
        else:
            turns = [[str(item) for item in answer]]
        with self._lock:
            self._turns[host.lower()] = turns

    def resolve(self, host: str, port: int) -> list[str]:
        """The next answer for ``host``; raises ``ResolveError`` when there is none."""
        with self._lock:
            self.calls.append((host, port))
            turns = self._turns.get(host.lower())
            if not turns:
                raise ResolveError(f"{host} does not resolve (FakeResolver)")
            answer = turns.pop(0) if len(turns) > 1 else turns[0]
        if not answer:
            raise ResolveError(f"{host} has no address (FakeResolver)")
        return list(answer)
