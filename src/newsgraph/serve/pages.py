"""The HTML pages: home, search, article, speaker, events and the map. Each reads through the same store
queries as the JSON API and hands plain values to a Jinja template (autoescaped)."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from newsgraph.errors import NewsgraphError
from newsgraph.serve import render
from newsgraph.serve.api import TEXT_MAX
from newsgraph.serve.errors import ApiError
from newsgraph.serve.settings import settings_of
from newsgraph.store import Store
from newsgraph.store.articles import article_facets, article_page
from newsgraph.store.entities import entity_detail, top_speakers
from newsgraph.store.events import event_counts, event_page
from newsgraph.store.places import find_places
from newsgraph.store.quotes import quote_page
from newsgraph.store.records import count_rows, find_stories

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
Text = Annotated[str | None, Query(max_length=TEXT_MAX)]
Short = Annotated[str | None, Query(max_length=40)]


def _page(request: Request, template: str, **context: Any) -> Response:
    context.setdefault("poll_seconds", settings_of(request).poll_seconds)
    response: Response = request.app.state.templates.TemplateResponse(request, template, context)
    return response


def _store(request: Request) -> Store:
    return Store(settings_of(request).db, read_only=True)


@router.get("/")
def home(request: Request) -> Response:
    cache = settings_of(request).cache
    with _store(request) as store:
        latest = article_page(store, limit=15).items
        speakers = cache.get(store, top_speakers, limit=10)
        counts = cache.get(store, event_counts)
        stories = cache.get(store, find_stories, min_outlets=2, limit=8)
        total = cache.get(store, count_rows)["articles"]
    return _page(
        request,
        "home.html",
        latest=latest,
        newest=max((a.ingested_at for a in latest), default=""),
        speakers=speakers,
        timeline=_event_timeline(counts),
        stories=stories,
        total=total,
    )


def _event_timeline(counts: list[tuple[str, str, int]]) -> dict[str, Any]:
    """Event reports by month and type: a table (types × months) and one bar per month."""
    months = render.month_range([month for month, _, _ in counts])
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for month, type_, n in counts:
        table[type_][month] = n
    totals = [(m, sum(table[t].get(m, 0) for t in table)) for m in months]
    return {"months": months, "types": sorted(table), "table": table, "bars": render.bar_chart(totals)}


@router.get("/search")
def search(
    request: Request,
    q: Text = None,
    outlet: Text = None,
    speaker: Text = None,
    event_type: Short = None,
    place: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    since: Short = None,
    until: Short = None,
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
    items: list[Any] = []
    facets: dict[str, list[tuple[str, str, int]]] = {}
    next_url = None
    try:
        with _store(request) as store:
            page = article_page(store, limit=25, cursor=cursor, **filters)
            facets = article_facets(store, **filters)
        items = page.items
        if page.next:
            next_url = str(request.url.include_query_params(cursor=page.next))
    except NewsgraphError as exc:
        error = str(exc)
    active = {k: v for k, v in filters.items() if v is not None}
    labels = {value: label for value, label, _ in facets.get("speaker", [])}
    return _page(
        request,
        "search.html",
        filters=filters,
        active=active,
        labels=labels,
        items=items,
        facets=facets,
        error=error,
        next_url=next_url,
    )


@router.get("/articles/{ref:path}")
def article(request: Request, ref: Annotated[str, Path(max_length=4000)]) -> Response:
    with _store(request) as store:
        record = store.get(ref)
        story = store.same_story(record.article.key) if record is not None else None
    if record is None:
        raise ApiError(404, f"no article with key, id or URL {ref[:200]!r}")
    others = [m for m in story.members if m.key != record.article.key or not m.stored] if story else []
    marks = render.record_marks(record)
    metadata = record.article.metadata
    translation = record.article.translation
    aligned = [s.translation for s in translation.sentences] if translation else []
    return _page(
        request,
        "article.html",
        record=record,
        article=record.article,
        source_url=render.safe_url(record.article.url),
        segments=render.segments(record.article.text, marks, aligned),
        translation=translation,
        original=render.original_segments(translation) if translation else [],
        marks=render.marks_json(marks),
        furniture=[str(f) for f in metadata.get("furniture") or []],
        furniture_kinds=[str(f) for f in metadata.get("furniture_elements") or []],
        others=[{"member": m, "url": render.safe_url(m.url)} for m in others],
        outlets=story.outlets if story else [],
        names={e.id: e.name for e in record.entities},
        keys={e.id: render.entity_key_of(e) for e in record.entities},
        span_text=lambda span: "" if span is None else record.article.text[span[0] : span[1]],
    )


@router.get("/entities/{key}")
def entity(request: Request, key: Annotated[str, Path(max_length=200)]) -> Response:
    with _store(request) as store:
        found = entity_detail(store, key)
        if found is None:
            raise ApiError(404, f"no entity {key[:200]!r}")
        quotes = quote_page(store, speaker=key, limit=50).items
    by_month = {month: n for month, n in found.by_month if month}
    months = render.month_range(list(by_month))
    chart = render.bar_chart([(m, by_month.get(m, 0)) for m in months])
    undated = sum(n for month, n in found.by_month if not month)
    return _page(request, "entity.html", entity=found, chart=chart, quotes=quotes, undated=undated)


@router.get("/events")
def events(
    request: Request,
    type: Short = None,
    country: Short = None,
    hedged: Annotated[str | None, Query(max_length=10)] = None,
    since: Short = None,
    until: Short = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    flag = {"yes": True, "no": False}.get(hedged or "")
    filters = {
        "type": type or None,
        "country": country or None,
        "since": since or None,
        "until": until or None,
    }
    cache = settings_of(request).cache
    error = None
    items: list[Any] = []
    next_url = None
    with _store(request) as store:
        counts = cache.get(store, event_counts)
        try:
            page = cache.get(store, event_page, hedged=flag, limit=50, cursor=cursor, **filters)
            items = page.items
            if page.next:
                next_url = str(request.url.include_query_params(cursor=page.next))
        except NewsgraphError as exc:
            error = str(exc)
    by_country: dict[str, int] = defaultdict(int)
    for group in items:
        for code in {group.actor_country, group.target_country} - {None}:
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
def places(request: Request, since: Short = None, until: Short = None) -> Response:
    error = None
    found: list[Any] = []
    try:
        with _store(request) as store:
            chosen = {"since": since or None, "until": until or None}
            found = settings_of(request).cache.get(store, find_places, **chosen)
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
