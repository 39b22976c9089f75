"""Response models of the JSON API, derived from :mod:`newsgraph.schema` (no second definition of a record).

The models only describe responses in ``/openapi.json``; handlers build plain dicts in the same shape.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from newsgraph import schema

T = TypeVar("T")


def _fields_of(cls: type, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The pydantic field definitions of a schema dataclass's fields, with their types and defaults."""
    hints = typing.get_type_hints(cls, vars(schema))
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in skip:
            continue
        if f.default is not dataclasses.MISSING:
            out[f.name] = (hints[f.name], f.default)
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = (hints[f.name], Field(default_factory=f.default_factory))
        else:
            out[f.name] = (hints[f.name], ...)
    return out


ArticleRef = create_model(
    "ArticleRef",
    key=(str, ...),
    **{name: (str | None, None) for name in ("id", "title", "url", "outlet", "published")},
)

# On a translated article every reported item points back to the sentence of the original it was read in.
_ORIGINAL = (
    list[int] | None,
    Field(
        None,
        description="Translated articles only: [start, end) of the sentence of translation.original_text "
        "this item was read in",
    ),
)


def _with_original(cls: type) -> Any:
    return create_model(cls.__name__, **_fields_of(cls), original=_ORIGINAL)


AttributionModel = _with_original(schema.Attribution)

# GET /api/v1/articles/{id}: the whole record of the JSONL contract (schema.Record.to_dict()).
RecordModel = create_model(
    "Record",
    **_fields_of(schema.Article),
    entities=(list[schema.Entity], Field(default_factory=list)),
    attributions=(list[AttributionModel], Field(default_factory=list)),
    events=(list[_with_original(schema.Event)], Field(default_factory=list)),
    places=(list[_with_original(schema.Place)], Field(default_factory=list)),
    times=(list[_with_original(schema.TimeRef)], Field(default_factory=list)),
    claims=(list[AttributionModel], Field(default_factory=list)),
)


QuoteItem = create_model(
    "Quote",
    **_fields_of(schema.Attribution),
    speaker_entity=(str | None, Field(None, description="The speaker's entity id (see /api/v1/entities)")),
    speaker_type=(str | None, None),
    content_text=(str, ...),
    cue_text=(str, ""),
    article=(create_model("QuoteArticle", __base__=ArticleRef, language=(str | None, None)), ...),
)

ArticleItem = create_model(
    "ArticleItem",
    __base__=ArticleRef,
    language=(str | None, None),
    ingested_at=(str, ...),
    story_id=(int | None, None),
    attributions=(int, 0),
    events=(int, 0),
)

SearchHit = create_model(
    "SearchHit",
    __base__=ArticleRef,
    rank=(float, Field(description="bm25 score; lower is a better match")),
    snippet=(str, Field(description="A passage around the match, matched terms between [ and ]")),
)


class EntityItem(BaseModel):
    id: str = Field(description="The store-wide id of the entity (a hash of its name and type)")
    name: str
    type: str
    articles: int
    attributions: int
    aliases: list[str]


class MonthCount(BaseModel):
    month: str | None
    quotes: int


class OutletCount(BaseModel):
    outlet: str | None
    quotes: int


class ViaCount(BaseModel):
    via: str | None = Field(description="The relaying outlet; null for quotes reported first-hand")
    quotes: int


class EntityDetail(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    roles: list[str]
    countries: list[str]
    sectors: list[str]
    articles: int
    attributions: int
    by_month: list[MonthCount]
    by_outlet: list[OutletCount]
    by_via: list[ViaCount]


EventReportItem = create_model(
    "EventReport",
    **{k: v for k, v in _fields_of(schema.Event).items() if k != "candidate"},
    article=(str, Field(description="The reporting article's id (or key)")),
    url=(str | None, None),
    outlet=(str | None, None),
    published=(str | None, None),
    trigger_text=(str, ...),
    date=(str | None, None),
    date_source=(str, ...),
    reported_by_name=(str | None, None),
    place_name=(str | None, None),
)

EventItem = create_model(
    "EventItem",
    **{
        k: v
        for k, v in _fields_of(schema.Event).items()
        if k in ("type", "mode", "actor_name", "actor_country", "actor_sector", "target_name")
        or k in ("target_country", "target_sector", "hedged", "negated", "planned")
    },
    id=(str, ...),
    date=(str | None, Field(None, description="The event's date (its own time, else the publication date)")),
    place=(str | None, None),
    num_reports=(int, ...),
    num_sources=(int, ...),
    reports=(list[EventReportItem], ...),  # type: ignore[valid-type]
)


class EventCount(BaseModel):
    month: str = Field(examples=["2024-03"])
    type: str = Field(examples=["CONSULT"])
    reports: int


class StoryMember(BaseModel):
    key: str
    id: str | None
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    stored: bool


class StoryItem(BaseModel):
    id: int
    title: str | None
    outlets: list[str]
    members: list[StoryMember]


class Page(BaseModel, Generic[T]):
    """One page of a list; follow ``next`` for the following one."""

    items: list[T]
    next: str | None = Field(None, description="URL of the next page, or null on the last one")


class PlaceProperties(BaseModel):
    geonameid: int
    name: str
    country: str | None
    admin1: str | None
    feature: str | None
    mentions: int
    articles: int


class PointGeometry(BaseModel):
    type: str = "Point"
    coordinates: list[float] = Field(description="[lon, lat]")


class Feature(BaseModel):
    type: str = "Feature"
    id: int
    geometry: PointGeometry
    properties: PlaceProperties


class FeatureCollection(BaseModel):
    type: str = "FeatureCollection"
    features: list[Feature]
    next: str | None = None


class ErrorDetail(BaseModel):
    parameter: str | None = Field(None, description="The query parameter, path part or body field at fault")
    message: str


class ErrorBody(BaseModel):
    """Every error the API returns has this shape."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "ok": False,
                    "status": 400,
                    "error": "since: must be an ISO date such as 2024-03-14, not 'yesterday'",
                    "errors": [{"parameter": "since", "message": "must be an ISO date …"}],
                }
            ]
        }
    )

    ok: bool = False
    status: int
    error: str
    errors: list[ErrorDetail] = Field(default_factory=list)


class Health(BaseModel):
    ok: bool
    articles: int
    writes: bool = Field(description="Whether POST /api/v1/articles is enabled (the server has an API key)")


class ArticleIn(BaseModel):
    """A new article: its text and metadata (as a line of JSONL input), or only a URL to fetch."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "NHK said the minister met Prime Minister Kishida on Tuesday.",
                    "title": "Minister meets Kishida",
                    "outlet": "Example Wire",
                    "published": "2024-03-14",
                },
                {"url": "https://example.org/news/story.html"},
            ]
        },
    )

    text: str | None = Field(None, max_length=2_000_000)
    url: str | None = Field(None, max_length=4000)
    id: str | None = Field(None, max_length=1000)
    title: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=1000)
    authors: list[str] = Field(default_factory=list, max_length=100)
    published: str | None = Field(None, max_length=40)
    language: str | None = Field(None, max_length=10)


class IngestResult(BaseModel):
    key: str | None
    added: int
    skipped: int
    url: str | None = Field(None, description="Where the stored record can be read")
