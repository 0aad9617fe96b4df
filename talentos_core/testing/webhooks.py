"""Fakes for webhook delivery: a resolver that answers from a table, and a transport that
records what it was asked to send and answers from a script. Both are thread-safe."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from talentos_core.webhooks.targets import ResolveError
from talentos_core.webhooks.transport import WebhookRequest, WebhookResponse

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


@attrs.frozen
class Reply:
    """One scripted answer of a :class:`RecordingTransport`.

    ``delay`` seconds pass (through the transport's ``sleep``) before it is given; ``raises``,
    when set, is raised instead of answering — for a worker's "the transport itself broke" path.
    """

    status: int | None = 200
    error: str | None = None
    body: bytes = b""
    delay: float = 0.0
    raises: BaseException | None = None


#: What a script may hold: a status, an error name (``"timeout"``…), a :class:`Reply`, a
#: ready :class:`WebhookResponse`, or an exception to raise.
Scripted = int | str | Reply | WebhookResponse | BaseException


class RecordingTransport:
    """A :class:`~talentos_core.webhooks.transport.WebhookTransport` for tests.

    Records every request in ``requests`` and answers from ``script`` in order, then with
    ``default`` (a 200) once the script runs out; or, when ``respond`` is given, with whatever
    it returns for each request. ``sleep`` spends a :class:`Reply`'s delay: ``time.sleep`` by
    default, or e.g. ``lambda s: clock.advance(seconds=s)`` with a :class:`FrozenClock`.
    """

    def __init__(
        self,
        script: Iterable[Scripted] = (),
        *,
        default: Scripted = 200,
        respond: Callable[[WebhookRequest], Scripted] | None = None,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._script = list(script)
        self._default = default
        self._respond = respond
        self._sleep = sleep
        self._lock = threading.Lock()
        self.requests: list[WebhookRequest] = []

    def push(self, *answers: Scripted) -> None:
        """Append answers to the script."""
        with self._lock:
            self._script.extend(answers)

    def send(self, request: WebhookRequest) -> WebhookResponse:
        """Record ``request`` and give the next scripted answer."""
        with self._lock:
            self.requests.append(request)
            queued = self._script.pop(0) if self._script else self._default
        scripted = queued if self._respond is None else self._respond(request)
        return _answer(scripted, self._sleep)

    def close(self) -> None:
        """Nothing to close; here so code written for HttpsTransport runs unchanged."""


def _answer(scripted: Scripted, sleep: Callable[[float], object]) -> WebhookResponse:
    if isinstance(scripted, WebhookResponse):
        return scripted
    if isinstance(scripted, BaseException):
        raise scripted
    if isinstance(scripted, bool):
        raise TypeError("a scripted answer is a status, an error name, a Reply or a response")
    if isinstance(scripted, int):
        return WebhookResponse(scripted, b"", 1.0, None)
    if isinstance(scripted, str):
        return WebhookResponse(None, b"", 1.0, scripted)
    if scripted.delay:
        sleep(scripted.delay)
    if scripted.raises is not None:
        raise scripted.raises
    status = None if scripted.error is not None else scripted.status
    return WebhookResponse(status, scripted.body, scripted.delay * 1000.0, scripted.error)
