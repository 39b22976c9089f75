"""The HTML pages: home, search, article, speaker, events and the map. Each fetches through the same store
queries as the JSON API and hands plain values to a Jinja template (autoescaped)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsgraph.errors import NewsgraphError
from newsgraph.serve import _pending_queries as queries
from newsgraph.serve import render
from newsgraph.serve.api import TEXT_MAX
from newsgraph.serve.errors import ApiError
from newsgraph.serve.params import ArticleFilters
from newsgraph.serve.settings import settings_of

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Text = Annotated[str | None, Query(max_length=TEXT_MAX)]


def _page(request: Request, template: str, **context: Any) -> Response:
    context.setdefault("poll_seconds", settings_of(request).poll_seconds)
    response: Response = request.app.state.templates.TemplateResponse(request, template, context)
    return response


@router.get("/")
def home(request: Request) -> Response:
    settings = settings_of(request)
    with queries.connect(settings.db) as conn:
        latest = queries.articles(conn, sort="ingested", limit=15).items
        speakers = settings.cache.get(conn, queries.entities, order="quotes", limit=10).items
        counts = settings.cache.get(conn, queries.event_counts)
        stories = settings.cache.get(conn, queries.stories, min_outlets=2, limit=8).items
        total = queries.count_articles(conn)
    return _page(
        request,
        "home.html",
        latest=latest,
        speakers=[s for s in speakers if s["quotes"]],
        timeline=_event_timeline(counts),
        stories=stories,
        total=total,
    )


def _event_timeline(counts: list[dict[str, Any]]) -> dict[str, Any]:
    """Event reports by month and type: a table (types × months) and one bar per month."""
    months = render.month_range([c["month"] for c in counts])
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for c in counts:
        table[c["type"]][c["month"]] = c["count"]
    totals = [(m, sum(table[t].get(m, 0) for t in table)) for m in months]
    return {"months": months, "types": sorted(table), "table": table, "bars": render.bar_chart(totals)}


@router.get("/search")
def search(
    request: Request,
    q: Text = None,
    outlet: Text = None,
    speaker: Text = None,
    event_type: Annotated[str | None, Query(max_length=40)] = None,
    place: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    filters = {
        "q": q or None,
        "outlet": outlet or None,
        "speaker": speaker or None,
        "event_type": event_type or None,
        "place": place,
        "since": since or None,
        "until": until or None,
    }
    error = None
    items: list[dict[str, Any]] = []
    facets: dict[str, list[dict[str, Any]]] = {}
    next_url = None
    try:
        with queries.connect(settings_of(request).db) as conn:
            chosen = ArticleFilters(**filters)
            page = queries.articles(conn, chosen, limit=25, cursor=cursor)
            facets = queries.article_facets(conn, chosen)
        items = page.items
        if page.next_cursor:
            next_url = str(request.url.include_query_params(cursor=page.next_cursor))
    except NewsgraphError as exc:
        error = str(exc)
    active = {k: v for k, v in filters.items() if v is not None}
    return _page(
        request,
        "search.html",
        filters=filters,
        active=active,
        items=items,
        facets=facets,
        error=error,
        next_url=next_url,
    )


@router.get("/articles/{ref:path}")
def article(request: Request, ref: Annotated[str, Path(max_length=4000)]) -> Response:
    settings = settings_of(request)
    record = settings.record(ref)
    if record is None:
        raise ApiError(404, f"no article with key, id or URL {ref[:200]!r}")
    story = settings.story_of(record.article.key)
    others = [m for m in story.members if m.key != record.article.key or not m.stored] if story else []
    marks = render.record_marks(record)
    metadata = record.article.metadata
    names = {e.id: e.name for e in record.entities}
    return _page(
        request,
        "article.html",
        record=record,
        article=record.article,
        source_url=render.safe_url(record.article.url),
        segments=render.segments(record.article.text, marks),
        marks=render.marks_json(marks),
        furniture=[str(f) for f in metadata.get("furniture") or []],
        furniture_kinds=[str(f) for f in metadata.get("furniture_elements") or []],
        others=[{"member": m, "url": render.safe_url(m.url)} for m in others],
        outlets=story.outlets if story else [],
        names=names,
        span_text=lambda span: "" if span is None else record.article.text[span[0] : span[1]],
    )


@router.get("/entities/{ident:path}")
def entity(request: Request, ident: Annotated[str, Path(max_length=4000)]) -> Response:
    with queries.connect(settings_of(request).db) as conn:
        found = queries.entity_detail(conn, ident)
        if found is None:
            raise ApiError(404, f"no entity {ident[:200]!r}")
        quotes = queries.quotes(conn, speaker=ident, limit=50).items
    by_month = {c["value"]: c["count"] for c in found["quotes_by_month"]}
    months = render.month_range(list(by_month))
    chart = render.bar_chart([(m, by_month.get(m, 0)) for m in months])
    return _page(
        request, "entity.html", entity=found, chart=chart, quotes=quotes, undated=by_month.get(None, 0)
    )


@router.get("/events")
def events(
    request: Request,
    type: Annotated[str | None, Query(max_length=40)] = None,
    country: Annotated[str | None, Query(max_length=40)] = None,
    hedged: Annotated[str | None, Query(max_length=10)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    flag = {"yes": True, "no": False}.get(hedged or "")
    filters = {
        "type": type or None,
        "country": country or None,
        "since": since or None,
        "until": until or None,
    }
    error = None
    items: list[dict[str, Any]] = []
    next_url = None
    settings = settings_of(request)
    with queries.connect(settings.db) as conn:
        counts = settings.cache.get(conn, queries.event_counts)
        try:
            page = queries.events(conn, hedged=flag, limit=50, cursor=cursor, **filters)
            items = page.items
            if page.next_cursor:
                next_url = str(request.url.include_query_params(cursor=page.next_cursor))
        except NewsgraphError as exc:
            error = str(exc)
    by_country: dict[str, int] = defaultdict(int)
    for item in items:
        for code in {item["actor_country"], item["target_country"]} - {None}:
            by_country[code] += 1
    return _page(
        request,
        "events.html",
        timeline=_event_timeline(counts),
        items=items,
        filters={**filters, "hedged": hedged or ""},
        by_country=sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0])),
        error=error,
        next_url=next_url,
    )


@router.get("/places")
def places(
    request: Request,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    error = None
    found: list[dict[str, Any]] = []
    try:
        settings = settings_of(request)
        with queries.connect(settings.db) as conn:
            chosen = {"since": since or None, "until": until or None}
            found = settings.cache.get(conn, queries.places, limit=2000, **chosen).items
    except NewsgraphError as exc:
        error = str(exc)
    return _page(
        request,
        "places.html",
        land=render.land_path(),
        markers=render.markers(found),
        width=render.MAP_WIDTH,
        height=render.MAP_HEIGHT,
        places=found,
        filters={"since": since or "", "until": until or ""},
        error=error,
    )
