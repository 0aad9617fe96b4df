"""Webhook building blocks with no storage and no framework: signatures and target checks.

Receivers need only :func:`verify_signature`::

    from talentos_core.webhooks import verify_signature

    if not verify_signature(raw_body, request.headers["X-TalentOS-Signature"], secret):
        ...  # answer 400 and ignore the delivery

The delivery worker uses the rest: :func:`signature_header` and :func:`new_secret`
(:mod:`.signing`); :func:`check_url`, :func:`pick_address` and :func:`check_registration`
with a :class:`Resolver` (:mod:`.targets`). The fake resolver is in :mod:`talentos_core.testing`.
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

__all__ = [
    "DEFAULT_TOLERANCE",
    "SECRET_PREFIX",
    "SIGNATURE_HEADER",
    "ResolveError",
    "Resolver",
    "SystemResolver",
    "Target",
    "TargetRefused",
    "check_registration",
    "check_url",
    "new_secret",
    "pick_address",
    "sign",
    "signature_header",
    "verify_signature",
    "why_not_public",
]
