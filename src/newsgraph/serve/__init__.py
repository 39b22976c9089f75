"""``newsgraph serve``: the JSON API under ``/api/v1`` and the web pages, over one store.

Example:
    >>> import uvicorn
    >>> from newsgraph.serve import create_app, server_config
    >>> uvicorn.Server(server_config(create_app("news.db"), port=8000)).run()
"""

from newsgraph.serve.app import create_app, server_config

__all__ = ["create_app", "server_config"]
