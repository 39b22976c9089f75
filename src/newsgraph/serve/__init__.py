"""``newsgraph serve``: the JSON API under ``/api/v1`` and the web pages, over one store.

Example:
    >>> import uvicorn
    >>> from newsgraph.serve import create_app
    >>> uvicorn.run(create_app("news.db"), host="127.0.0.1", port=8000)
"""

from newsgraph.serve.app import create_app

__all__ = ["create_app"]
