"""The JSON API under ``/api/v1``: lists with cursor pagination and CSV/JSONL downloads, one record, writes.

Handlers parse parameters, call one store query and shape the answer; errors are raised as exceptions and
turned into the one JSON error shape by :mod:`newsgraph.serve.app`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import secrets
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from newsgraph.errors import NewsgraphError
from newsgraph.serve import models
from newsgraph.serve.errors import ApiError
from newsgraph.serve.settings import settings_of
from newsgraph.store import Page, QueryError, Store, places_geojson
from newsgraph.store.articles import article_page
from newsgraph.store.entities import entity_detail, entity_page
from newsgraph.store.events import event_counts, event_page
from newsgraph.store.params import decode_cursor, encode_cursor
from newsgraph.store.places import find_places
from newsgraph.store.quotes import quote_page
from newsgraph.store.records import find_stories
from newsgraph.store.search import search_page

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
    fetch: Callable[[str | None, int], Page[Any]],
    cursor: str | None,
    limit: int,
    name: str,
) -> Response:
    """One page as JSON with a ``next`` link, or every item from ``cursor`` on as a streamed download."""
    if fmt == "json":
        page = fetch(cursor, limit)
        nxt = str(request.url.include_query_params(cursor=page.next)) if page.next else None
        return JSONResponse({"items": [item.to_dict() for item in page.items], "next": nxt})
    first = fetch(cursor, DOWNLOAD_PAGE)  # errors (bad date, bad query) answer 400 before streaming starts

    def rows() -> Iterator[dict[str, Any]]:
        page = first
        while True:
            yield from (item.to_dict() for item in page.items)
            if page.next is None:
                return
            page = fetch(page.next, DOWNLOAD_PAGE)

    return _download(rows(), fmt, name)


def _download(rows: Iterator[dict[str, Any]], fmt: str, name: str) -> Response:
    if fmt == "jsonl":
        body: Iterator[str] = (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        media = "application/x-ndjson"
    else:
        body = _csv_lines(rows)
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


def _store(request: Request) -> Store:
    """A read-only connection for one request (or one page of a download)."""
    return Store(settings_of(request).db, read_only=True)


def _streaming(
    request: Request, query: Callable[..., Page[Any]], cached: bool = False, **kwargs: Any
) -> Callable[[str | None, int], Page[Any]]:
    """A fetch(cursor, limit) that opens its own read connection per page (downloads outlive the handler).
    With ``cached``, the pages of an aggregate are kept for a while (see :mod:`newsgraph.serve.cache`)."""
    cache = settings_of(request).cache

    def fetch(cursor: str | None, limit: int) -> Page[Any]:
        with _store(request) as store:
            if cached:
                return cache.get(store, query, cursor=cursor, limit=limit, **kwargs)
            return query(store, cursor=cursor, limit=limit, **kwargs)

    return fetch


# -- endpoints ---------------------------------------------------------------------------------------

Language = Annotated[
    str | None,
    Query(
        max_length=10,
        pattern=r"^[A-Za-z]{2,3}$",
        description="Only articles written in this language (ISO 639-1 code), translated or not",
        openapi_examples={"spanish": {"value": "es"}},
    ),
]

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
            description="Speaker name or alias (case-insensitive substring), or an entity id from /entities",
            openapi_examples={"name": {"value": "Ribeiro"}},
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
        str | None, Query(max_length=TEXT_MAX, description="Publishing outlet (substring)")
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
    language: Language = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Who said what, according to whom: attributions with speaker, cue, content, kind, via and article,
    newest article first."""
    filters = {"speaker": speaker, "via": via, "outlet": outlet, "kind": kind, "q": q, "language": language}
    fetch = _streaming(request, quote_page, since=since, until=until, **filters)
    return _page(request, fmt, fetch, cursor, limit, "quotes")


@router.get("/articles", response_model=models.Page[models.ArticleItem], responses=_ERRORS, tags=["articles"])
def list_articles(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=TEXT_MAX, description="Full-text query over titles and texts")
    ] = None,
    outlet: Annotated[str | None, Query(max_length=TEXT_MAX, description="Outlet (substring)")] = None,
    speaker: Annotated[
        str | None,
        Query(max_length=TEXT_MAX, description="Articles quoting this speaker (name or entity id)"),
    ] = None,
    event_type: Annotated[
        str | None, Query(max_length=40, description="Articles reporting a PLOVER event of this type")
    ] = None,
    place: Annotated[
        int | None, Query(ge=0, le=2**53, description="Articles naming this GeoNames place")
    ] = None,
    since: Since = None,
    until: Until = None,
    ingested_after: Annotated[
        str | None, Query(max_length=40, description="Only articles stored after this ISO date-time")
    ] = None,
    language: Language = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Stored articles, newest publication first."""
    filters = {"q": q, "outlet": outlet, "speaker": speaker, "event_type": event_type, "place": place}
    fetch = _streaming(
        request,
        article_page,
        since=since,
        until=until,
        ingested_after=ingested_after,
        language=language,
        **filters,
    )
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
    with _store(request) as store:
        record = store.get(ref)
    if record is None:
        raise ApiError(404, f"no article with key, id or URL {ref[:200]!r}", "ref")
    return JSONResponse(record.to_dict())


@router.get("/entities", response_model=models.Page[models.EntityItem], responses=_ERRORS, tags=["entities"])
def list_entities(
    request: Request,
    type: Annotated[str | None, Query(max_length=40, description="PERSON, ORG, GPE, NORP, LOC, FAC…")] = None,
    name: Annotated[str | None, Query(max_length=TEXT_MAX, description="Name or alias (substring)")] = None,
    country: Annotated[
        str | None, Query(max_length=40, description="Country code an article gives it")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Entities across the store, most widely mentioned first, each with its store-wide id."""
    fetch = _streaming(request, entity_page, cached=True, type=type, name=name, country=country)
    return _page(request, fmt, fetch, cursor, limit, "entities")


@router.get(
    "/entities/{key}",
    response_model=models.EntityDetail,
    responses={404: {"model": models.ErrorBody, "description": "No such entity"}},
    tags=["entities"],
)
def get_entity(
    request: Request,
    key: Annotated[str, Path(max_length=200, description="The entity's id, as /api/v1/entities lists it")],
) -> Response:
    """One entity: aliases, roles, and its quotes counted by month, outlet and via."""
    with _store(request) as store:
        found = entity_detail(store, key)
    if found is None:
        raise ApiError(404, f"no entity {key[:200]!r}; /api/v1/entities lists their ids", "key")
    return JSONResponse(found.to_dict())


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
    actor: Annotated[str | None, Query(max_length=TEXT_MAX, description="Actor name (substring)")] = None,
    target: Annotated[str | None, Query(max_length=TEXT_MAX, description="Target name (substring)")] = None,
    hedged: Annotated[
        bool | None, Query(description="Only hedged (true) or asserted (false) reports")
    ] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Coded events (PLOVER), latest first, each with all its reports across articles."""
    filters = {"type": type, "country": country, "actor_country": actor_country, "actor": actor}
    filters.update(target_country=target_country, target=target, since=since, until=until)
    fetch = _streaming(request, event_page, cached=True, hedged=hedged, **filters)
    return _page(request, fmt, fetch, cursor, limit, "events")


@router.get("/events/timeline", response_model=list[models.EventCount], tags=["events"])
def events_timeline(request: Request) -> Response:
    """Coded event reports counted by month (of the event's date) and PLOVER type, oldest first."""
    with _store(request) as store:
        counts = settings_of(request).cache.get(store, event_counts)
    return JSONResponse([{"month": month, "type": type_, "reports": n} for month, type_, n in counts])


@router.get("/places", response_model=models.FeatureCollection, responses=_ERRORS, tags=["places"])
def list_places(
    request: Request,
    country: Annotated[str | None, Query(max_length=40, description="ISO alpha-2 country code")] = None,
    outlet: Annotated[str | None, Query(max_length=TEXT_MAX, description="Outlet (substring)")] = None,
    event_type: Annotated[
        str | None, Query(max_length=40, description="Only places of events of this PLOVER type")
    ] = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
    fmt: FormatQ = "json",
) -> Response:
    """Resolved places as a GeoJSON FeatureCollection, each with how many articles and mentions name it."""
    filters = {"country": country, "outlet": outlet, "event_type": event_type, "since": since, "until": until}
    with _store(request) as store:
        found = settings_of(request).cache.get(store, find_places, limit=limit, **filters)
    if fmt != "json":
        return _download(iter([dataclasses.asdict(row) for row in found]), fmt, "places")
    return JSONResponse({**places_geojson(found), "next": None})


def _story_page(store: Store, *, min_outlets: int, cursor: str | None, limit: int) -> Page[Any]:
    """Stories by position: they are few, and ``find_stories`` returns them most versions first."""
    (offset,) = decode_cursor(cursor, "stories", 1) if cursor else [0]
    if not isinstance(offset, int) or offset < 0:
        raise QueryError("cursor", "cursor: not a cursor of this list; pass the 'next' value it returned")
    found = find_stories(store, min_outlets, offset + limit + 1)
    chosen = [_StoryItem(story) for story in found[offset : offset + limit]]
    return Page(chosen, encode_cursor("stories", [offset + limit]) if len(found) > offset + limit else None)


class _StoryItem:
    def __init__(self, story: Any) -> None:
        self.story = story

    def to_dict(self) -> dict[str, Any]:
        story = self.story
        members = [dataclasses.asdict(m) for m in story.members]
        return {"id": story.id, "title": story.title, "outlets": story.outlets, "members": members}


@router.get("/stories", response_model=models.Page[models.StoryItem], responses=_ERRORS, tags=["stories"])
def list_stories(
    request: Request,
    min_outlets: Annotated[int, Query(ge=1, le=1000, description="Fewest distinct outlets")] = 2,
    limit: Limit = 50,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Stories carried by several outlets (syndicated copies), most versions first."""
    fetch = _streaming(request, _story_page, cached=True, min_outlets=min_outlets)
    return _page(request, fmt, fetch, cursor, limit, "stories")


@router.get("/search", response_model=models.Page[models.SearchHit], responses=_ERRORS, tags=["articles"])
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
    outlet: Annotated[str | None, Query(max_length=TEXT_MAX, description="Outlet (substring)")] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    cursor: Cursor = None,
    fmt: FormatQ = "json",
) -> Response:
    """Full-text search over article titles and texts, best match first, with a snippet per article."""

    def fetch(after: str | None, size: int) -> Page[Any]:
        with _store(request) as store:
            return search_page(store, q, outlet=outlet, since=since, until=until, cursor=after, limit=size)

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
