"""``create_app(talentos)``: the Falcon WSGI app over a built :class:`TalentOS`.

Reading configuration is the CLI's job; this function only wires what it is given.
"""

from __future__ import annotations

from typing import Any

import falcon

from talentos_core.bootstrap import TalentOS
from talentos_http import errors
from talentos_http.cors import Cors
from talentos_http.middleware import RequestContext
from talentos_http.resources import ROUTES
from talentos_http.routing import add_routes


def create_app(talentos: TalentOS) -> falcon.App:
    """The API as a WSGI app; closing ``talentos`` stays the caller's job."""
    # Typed loosely: falcon's protocols do not accept a list of two middleware classes.
    middleware: list[Any] = [RequestContext(), Cors(talentos)]
    app = falcon.App(middleware=middleware, cors_enable=False)
    app.req_options.strip_url_path_trailing_slash = False
    errors.install(app)
    add_routes(app, talentos, ROUTES)
    return app
