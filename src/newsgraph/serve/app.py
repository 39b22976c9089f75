"""The ASGI application: the JSON API, the HTML pages and their static files, over one newsgraph store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from newsgraph import __version__
from newsgraph.serve import api, errors, models, pages, render
from newsgraph.serve.settings import Settings
from newsgraph.store import Store

# Pages load only their own scripts, styles and images: even if some text slipped past escaping, a
# browser would refuse to run inline script or load anything from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

DESCRIPTION = """Who said what, according to whom: the records of a newsgraph store.

Lists take `limit` and return `{"items": [...], "next": URL or null}`; follow `next` for the following page.
Add `format=csv` or `format=jsonl` to download every matching item, streamed. Every error has one shape:
`{"ok": false, "status": 400, "error": "...", "errors": [{"parameter": "since", "message": "..."}]}`;
a bad date, a full-text query that cannot be parsed and an unknown parameter are 400s naming the parameter.
"""


# Largest request head uvicorn's HTTP parser accepts. Its 16 KiB default resets the connection on a long
# query string (a 10 kB filter percent-encoded grows up to 12-fold); 2 MiB lets every such request reach
# the app, which then answers it (a 400 when a parameter is too long).
MAX_REQUEST_HEAD = 2 * 1024 * 1024


def server_config(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> uvicorn.Config:
    """The uvicorn configuration ``newsgraph serve`` runs ``app`` with."""
    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", h11_max_incomplete_event_size=MAX_REQUEST_HEAD
    )


def create_app(
    db: str | Path, api_key: str | None = None, poll_seconds: float = 5.0, pipeline: Any = None
) -> FastAPI:
    """Build the server for the store at ``db`` (created and migrated if needed).

    Args:
        db: The store file.
        api_key: Enables ``POST /api/v1/articles`` for requests carrying it in ``X-API-Key``.
        poll_seconds: How often open pages look for newly stored articles.
        pipeline: The pipeline that analyses posted articles (loaded at the first write when None).

    Raises:
        StoreError: The store cannot be opened or upgraded.
    """
    path = Path(db)
    with Store(path):  # creates or upgrades the store before any reader opens it read-only
        pass
    settings = Settings(path, api_key=api_key or None, poll_seconds=poll_seconds, pipeline=pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.cache.start()
        yield
        settings.cache.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsgraph",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI would load its scripts from a CDN; pages must work offline
        redoc_url=None,
    )
    app.state.settings = settings
    root = files("newsgraph.serve")
    app.state.templates = Jinja2Templates(directory=str(root / "templates"))
    app.state.templates.env.globals["safe_url"] = render.safe_url
    errors.install(app)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.get("/healthz", response_model=models.Health, tags=["health"])
    def healthz(request: Request) -> Response:
        """Whether the store can be read, and how many articles it holds."""
        settings = request.app.state.settings
        with Store(settings.db, read_only=True) as store:
            total = store.stats()["articles"]
        return JSONResponse({"ok": True, "articles": total, "writes": settings.api_key is not None})

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(root / "static")), name="static")
    return app
