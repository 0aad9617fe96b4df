"""Webhook building blocks with no storage and no framework: signatures, target checks, and the
transport that sends one attempt.

Receivers need only :func:`verify_signature`::

    from talentos_core.webhooks import verify_signature

    if not verify_signature(raw_body, request.headers["X-TalentOS-Signature"], secret):
        ...  # answer 400 and ignore the delivery

The delivery worker uses the rest: :func:`signature_header` and :func:`new_secret`
(:mod:`.signing`); :func:`check_url`, :func:`pick_address` and :func:`check_registration`
with a :class:`Resolver` (:mod:`.targets`); a :class:`WebhookTransport` such as
:class:`HttpsTransport` (:mod:`.transport`). Their fakes are in :mod:`talentos_core.testing`.
"""

from talentos_core.webhooks.signing import (
    DEFAULT_TOLERANCE,
    SECRET_PREFIX,
    SIGNATURE_HEADER,
    new_secret,
    sign,
    signature_header,
    verify_signature,
)
from talentos_core.webhooks.targets import (
    ResolveError,
    Resolver,
    SystemResolver,
    Target,
    TargetRefused,
    check_registration,
    check_url,
    pick_address,
    why_not_public,
)
from talentos_core.webhooks.transport import (
    CONNECTION_ERROR,
    PROTOCOL_ERROR,
    TIMEOUT,
    TLS_ERROR,
    HttpsTransport,
    WebhookRequest,
    WebhookResponse,
    WebhookTransport,
)

__all__ = [
    "CONNECTION_ERROR",
    "DEFAULT_TOLERANCE",
    "PROTOCOL_ERROR",
    "SECRET_PREFIX",
    "SIGNATURE_HEADER",
    "TIMEOUT",
    "TLS_ERROR",
    "HttpsTransport",
    "ResolveError",
    "Resolver",
    "SystemResolver",
    "Target",
    "TargetRefused",
    "WebhookRequest",
    "WebhookResponse",
    "WebhookTransport",
    "check_registration",
    "check_url",
    "new_secret",
    "pick_address",
    "sign",
    "signature_header",
    "verify_signature",
    "why_not_public",
]
