"""The JSON API under ``/api/v1``: lists with cursor pagination and CSV/JSONL downloads, one record, writes.

Handlers parse parameters, call one store query and shape the answer; errors are raised as exceptions and
turned into the one JSON error shape by :mod:`newsgraph.serve.app`.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from newsgraph.errors import NewsgraphError
from newsgraph.serve import _pending_queries as queries
from newsgraph.serve import models
from newsgraph.serve.errors import ApiError
from newsgraph.serve.params import ArticleFilters
from newsgraph.serve.settings import settings_of

# Rows per query while a CSV or JSONL download streams: large enough that a 10,000-row download takes
# 20 queries, small enough that the first bytes leave at once.
DOWNLOAD_PAGE = 500
MAX_LIMIT = 500
# Longest text filter: 10 kB covers any real query; longer ones are answered 400, naming the parameter.
TEXT_MAX = 10_240
Format = Literal["json", "csv", "jsonl"]


def reject_unknown(request: Request) -> None:
    """Answer 400 naming a query parameter the endpoint does not take (a misspelt filter filters nothing)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = {p.alias for p in _all_query_params(dependant)}
    for name in request.query_params:
        if name not in known:
            choices = ", ".join(sorted(known)) or "none"
            raise ApiError(400, f"unknown parameter {name[:60]!r}; this endpoint takes: {choices}", name[:60])


def _all_query_params(dependant: Any) -> list[Any]:
    params = list(dependant.query_params)
    for sub in dependant.dependencies:
        params.extend(_all_query_params(sub))
    return params


router = APIRouter(prefix="/api/v1", dependencies=[Depends(reject_unknown)])

# -- shared parameters -------------------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[
    str | None, Query(max_length=2000, description="Opaque position from a previous page's `next` link")
]
FormatQ = Annotated[
    Format,
    Query(alias="format", description="json (one page), or csv / jsonl: every matching item, streamed"),
]
Since = Annotated[
    str | None,
    Query(
        max_length=40,
        description="On or after this ISO date",
        openapi_examples={"month": {"value": "2024-03"}},
    ),
]
Until = Annotated[
    str | None,
    Query(
        max_length=40,
        description="On or before this ISO date (2024-03 includes all of March)",
        openapi_examples={"day": {"value": "2024-03-31"}},
    ),
]
Text = Annotated[str | None, Query(max_length=TEXT_MAX)]


def _page(
    request: Request,
    fmt: str,
    fetch: Callable[[str | None, int], queries.Page],
    cursor: str | None,
    limit: int,
    name: str,
    shape: Callable[[list[dict[str, Any]], str | None], dict[str, Any]] | None = None,
) -> Response:
    """One page as JSON with a ``next`` link, or every item from ``cursor`` on as a streamed download."""
    if fmt == "json":
        page = fetch(cursor, limit)
        nxt = str(request.url.include_query_params(cursor=page.next_cursor)) if page.next_cursor else None
        body = shape(page.items, nxt) if shape else {"items": page.items, "next": nxt}
        return JSONResponse(body)
    first = fetch(cursor, DOWNLOAD_PAGE)  # errors (bad date, bad query) answer 400 before streaming starts

    def rows() -> Iterator[dict[str, Any]]:
        page = first
        while True:
            yield from page.items
            if page.next_cursor is None:
                return
            page = fetch(page.next_cursor, DOWNLOAD_PAGE)

    if fmt == "jsonl":
        body: Iterator[str] = (json.dumps(row, ensure_ascii=False) + "\n" for row in rows())
        media = "application/x-ndjson"
    else:
        body = _csv_lines(rows())
        media = "text/csv; charset=utf-8"
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    return StreamingResponse(body, media_type=media, headers=headers)


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        flat = {
            k: (json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v)
            for k, v in row.items()
        }
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flat)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _reader(request: Request) -> Any:
    return queries.connect(settings_of(request).db)


def _streaming(
    request: Request, query: Callable[..., queries.Page], cached: bool = False, **kwargs: Any
) -> Callable[..., queries.Page]:
    """A fetch(cursor, limit) that opens its own read connection per page (downloads outlive the handler).
    With ``cached``, the pages of an aggregate are kept until the store changes."""
    cache = settings_of(request).cache

    def fetch(cursor: str | None, limit: int) -> queries.Page:
        with _reader(request) as conn:
            if cached:
                return cache.get(conn, query, cursor=cursor, limit=limit, **kwargs)
            return query(conn, cursor=cursor, limit=limit, **kwargs)

    return fetch


# -- endpoints ---------------------------------------------------------------------------------------

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorBody, "description": "A parameter is invalid; `errors[].parameter` names it"},
}


@router.get("/quotes", response_model=models.Page[models.QuoteItem], responses=_ERRORS, tags=["quotes"])
def list_quotes(
    request: Request,
    speaker: Annotated[
        str | None,
        Query(
            max_length=TEXT_MAX,
            description="Speaker name or alias (case-insensitive substring), or an entity id TYPE:Name",
            openapi_examples={"name": {"value": "Ribeiro"}, "entity id": {"value": "PERSON:Ana Ribeiro"}},
        ),
    ] = None,
    via: Annotated[
        str | None,
        Query(
            max_length=TEXT_MAX,
            description="An outlet in the reporting chain (substring)",
            openapi_examples={"agency": {"value": "Kyodo"}},
        ),
    ] = None,
    outlet: Annotated[
        str | None, Query(max_length=TEXT_MAX, description="Publishing outlet (exact, any case)")
    ] = None,
    kind: Annotated[Literal["direct", "indirect", "mixed"] | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=TEXT_MAX,
            description="Full-text query (SQLite FTS5) over what was said",
            openapi_examples={"words": {"value": "agreement"}},
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Who said what, according to whom: attributions with speaker, cue, content, kind, via and article."""
    fetch = _streaming(
        request,
        queries.quotes,
        speaker=speaker,
        via=via,
        outlet=outlet,
        kind=kind,
        q=q,
        since=since,
        until=until,
    )
    return _page(request, fmt, fetch, cursor, limit, "quotes")


@router.get("/articles", response_model=models.Page[models.ArticleItem], responses=_ERRORS, tags=["articles"])
def list_articles(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=TEXT_MAX, description="Full-text query over titles and texts")
    ] = None,
    outlet: Text = None,
    speaker: Annotated[
        str | None,
        Query(max_length=TEXT_MAX, description="Articles quoting this speaker (name, or TYPE:Name)"),
    ] = None,
    event_type: Annotated[
        str | None, Query(max_length=40, description="Articles reporting a PLOVER event of this type")
    ] = None,
    place: Annotated[
        int | None, Query(ge=0, le=2**53, description="Articles naming this GeoNames place")
    ] = None,
    since: Since = None,
    until: Until = None,
    sort: Annotated[
        Literal["published", "ingested"], Query(description="Newest published, or newest stored, first")
    ] = "published",
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Stored articles, newest first (best match first with ``q``)."""
    filters = ArticleFilters(q, outlet, since, until, speaker, event_type, place)
    fetch = _streaming(request, queries.articles, filters=filters, sort=sort)
    return _page(request, fmt, fetch, cursor, limit, "articles")


@router.get(
    "/articles/{ref:path}",
    response_model=models.RecordModel,
    responses={404: {"model": models.ErrorBody, "description": "No such article"}},
    tags=["articles"],
)
def get_article(
    request: Request,
    ref: Annotated[str, Path(description="The article's key, id or URL", examples=["ribeiro-tokyo-visit"])],
) -> Response:
    """One article with everything extracted from it: the record of the JSONL contract."""
    record = settings_of(request).record(ref)
    if record is None:
        raise ApiError(404, f"no article with key, id or URL {ref[:200]!r}", "ref")
    return JSONResponse(record.to_dict())


@router.get("/entities", response_model=models.Page[models.EntityItem], responses=_ERRORS, tags=["entities"])
def list_entities(
    request: Request,
    type: Annotated[str | None, Query(max_length=40, description="PERSON, ORG, GPE, NORP, LOC, FAC…")] = None,
    name: Annotated[str | None, Query(max_length=TEXT_MAX, description="Name or alias (substring)")] = None,
    order: Annotated[
        Literal["articles", "quotes"], Query(description="Most mentioned or most quoted first")
    ] = ("articles"),
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Entities across the store, by how many articles mention them (or how often they are quoted)."""
    fetch = _streaming(request, queries.entities, cached=True, type=type, name=name, order=order)
    return _page(request, fmt, fetch, cursor, limit, "entities")


@router.get(
    "/entities/{ident:path}",
    response_model=models.EntityDetail,
    responses={**_ERRORS, 404: {"model": models.ErrorBody, "description": "No such entity"}},
    tags=["entities"],
)
def get_entity(
    request: Request,
    ident: Annotated[str, Path(description="TYPE:Name", examples=["PERSON:Ana Ribeiro"])],
) -> Response:
    """One entity: aliases, roles, and its quotes counted by month, outlet and via."""
    with _reader(request) as conn:
        found = queries.entity_detail(conn, ident)
    if found is None:
        raise ApiError(
            404, f"no entity {ident[:200]!r}; ids are TYPE:Name as /api/v1/entities lists them", "ident"
        )
    return JSONResponse(found)


@router.get("/events", response_model=models.Page[models.EventItem], responses=_ERRORS, tags=["events"])
def list_events(
    request: Request,
    type: Annotated[
        str | None,
        Query(max_length=40, description="PLOVER type", openapi_examples={"consult": {"value": "CONSULT"}}),
    ] = None,
    country: Annotated[
        str | None, Query(max_length=40, description="Actor or target country (ISO alpha-3)")
    ] = None,
    actor_country: Annotated[str | None, Query(max_length=40)] = None,
    target_country: Annotated[str | None, Query(max_length=40)] = None,
    hedged: Annotated[
        bool | None, Query(description="Only hedged (true) or asserted (false) reports")
    ] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Coded event reports (PLOVER), latest event first, with trigger, parties, place and article."""
    fetch = _streaming(
        request,
        queries.events,
        type=type,
        country=country,
        actor_country=actor_country,
        target_country=target_country,
        hedged=hedged,
        since=since,
        until=until,
    )
    return _page(request, fmt, fetch, cursor, limit, "events")


@router.get("/places", response_model=models.FeatureCollection, responses=_ERRORS, tags=["places"])
def list_places(
    request: Request,
    country: Annotated[str | None, Query(max_length=40, description="ISO alpha-2 country code")] = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Resolved places as a GeoJSON FeatureCollection, each with how many articles and mentions name it."""
    fetch = _streaming(request, queries.places, cached=True, country=country, since=since, until=until)

    def collection(items: list[dict[str, Any]], nxt: str | None) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [item["lon"], item["lat"]]},
                    "properties": {k: v for k, v in item.items() if k not in ("lat", "lon")},
                }
                for item in items
            ],
            "next": nxt,
        }

    return _page(request, fmt, fetch, cursor, limit, "places", shape=collection)


@router.get("/stories", response_model=models.Page[models.StoryItem], responses=_ERRORS, tags=["stories"])
def list_stories(
    request: Request,
    min_outlets: Annotated[int, Query(ge=1, le=1000, description="Fewest distinct outlets")] = 2,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Stories carried by several outlets (syndicated copies), most versions first."""
    fetch = _streaming(request, queries.stories, cached=True, min_outlets=min_outlets)
    return _page(request, fmt, fetch, cursor, limit, "stories")


@router.get("/search", response_model=models.Page[models.ArticleItem], responses=_ERRORS, tags=["articles"])
def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=TEXT_MAX,
            description='SQLite FTS5 query: words, "phrases", AND/OR/NOT, prefix*',
            openapi_examples={
                "words": {"value": "trade talks"},
                "phrase": {"value": '"maritime cooperation"'},
            },
        ),
    ],
    limit: Limit = 20,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Full-text search over article titles and texts, best match first, with a snippet per article."""
    fetch = _streaming(request, queries.articles, filters=ArticleFilters(q=q))
    return _page(request, fmt, fetch, cursor, limit, "search")


@router.post(
    "/articles",
    response_model=models.IngestResult,
    status_code=201,
    responses={
        200: {"model": models.IngestResult, "description": "Already stored (same URL or same text)"},
        401: {"model": models.ErrorBody, "description": "Missing or wrong API key"},
        403: {
            "model": models.ErrorBody,
            "description": "The server takes no writes (started without --api-key)",
        },
        422: {"model": models.ErrorBody, "description": "The article or its URL could not be read"},
    },
    tags=["articles"],
)
def post_article(
    request: Request,
    article: Annotated[models.ArticleIn, Body()],
    x_api_key: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    """Analyse and store one article (JSON with its text, or a URL to fetch). Needs the server's API key in
    the ``X-API-Key`` header; stored like ``newsgraph ingest`` stores it (skipped when already stored)."""
    settings = settings_of(request)
    if settings.api_key is None:
        raise ApiError(403, "this server takes no writes; start it with --api-key KEY to enable them")
    if x_api_key is None or not secrets.compare_digest(x_api_key.encode(), settings.api_key.encode()):
        raise ApiError(401, "missing or wrong API key; send it in the X-API-Key header", "X-API-Key")
    if not article.text and not article.url:
        raise ApiError(400, "give the article's text, or a url to fetch", "text")
    try:
        result = settings.writer.ingest(article.model_dump())
    except NewsgraphError as exc:
        raise ApiError(422, str(exc), "url" if not article.text else "text") from exc
    body = {
        "key": result.key,
        "added": result.added,
        "skipped": result.skipped,
        "url": str(request.url_for("get_article", ref=result.key)) if result.key else None,
    }
    return JSONResponse(body, status_code=201 if result.added else 200)
