"""The workbench: an HTTP API and a web page to explore, review and correct events."""

from khaldun.web.app import create_app

__all__ = ["create_app"]
