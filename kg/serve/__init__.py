"""The built dataset over HTTP: a read-only SPARQL 1.1 endpoint, linked-data pages and the network page.

``create_app`` gives the ASGI application (Starlette) for a project, ``serve`` runs it on uvicorn; both are
what ``kg serve`` calls, and a notebook or a test can call them too.
"""

from .app import Settings, create_app, serve

__all__ = ["Settings", "create_app", "serve"]
