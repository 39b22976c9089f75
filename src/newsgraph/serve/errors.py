"""The API's one error shape, ``{"ok": false, "status", "error", "errors": [{"parameter", "message"}]}``,
and the handlers that turn every failure into it (never a traceback, never an HTML error page for /api)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from newsgraph.errors import InputError, NewsgraphError, StoreError

log = logging.getLogger("newsgraph.serve")


class ApiError(Exception):
    """An answer other than 2xx, with the parameter at fault when there is one."""

    def __init__(self, status: int, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def error_body(status: int, message: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": message, "errors": errors or []}


def _answer(
    request: Request, status: int, message: str, parameter: str | None = None, **extra: Any
) -> Response:
    errors = extra.get("errors") or [{"parameter": parameter, "message": message}]
    if not request.url.path.startswith("/api/") and request.url.path not in ("/healthz", "/openapi.json"):
        templates = getattr(request.app.state, "templates", None)
        if templates is not None:
            return templates.TemplateResponse(
                request, "error.html", {"status": status, "message": message}, status_code=status
            )
        return HTMLResponse(f"<h1>{status}</h1>", status_code=status)
    return JSONResponse(error_body(status, message, errors), status_code=status)


def _parameter(exc: NewsgraphError) -> str | None:
    """The parameter a library error names (QueryError's ``param``)."""
    found = getattr(exc, "param", None) or getattr(exc, "parameter", None)
    return str(found) if found else None


def _status_of(exc: NewsgraphError) -> int:
    if _parameter(exc):
        return 400
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 400


def install(app: FastAPI) -> None:
    """Route every error of ``app`` through the one shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _answer(request, exc.status, exc.message, exc.parameter)

    @app.exception_handler(NewsgraphError)
    async def library_error(request: Request, exc: NewsgraphError) -> Response:
        errors = [{"parameter": _parameter(exc), "message": str(exc)}]
        return _answer(request, _status_of(exc), str(exc), errors=errors)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = []
        for item in exc.errors():
            loc = [
                str(part) for part in item.get("loc", ()) if part not in ("query", "path", "body", "header")
            ]
            name = ".".join(loc) or None
            errors.append({"parameter": name, "message": str(item.get("msg", "invalid"))})
        first = errors[0] if errors else {"parameter": None, "message": "invalid request"}
        message = f"{first['parameter']}: {first['message']}" if first["parameter"] else str(first["message"])
        return _answer(request, 400, message, errors=errors)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path[:200]}"
        response = _answer(request, exc.status_code, message)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _answer(
            request, 500, f"unexpected {type(exc).__name__}; please report it with the request URL"
        )
