"""TalentOS over HTTP: a thin Falcon app that translates requests into core calls."""

from talentos_http.app import create_app
from talentos_http.openapi import document as openapi_document

__all__ = ["create_app", "openapi_document"]
